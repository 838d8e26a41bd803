#!/usr/bin/env python3
"""PyTorch CPU reference for bench:text: the chapter-13 character model, one thread.

Usage: /usr/bin/python3 torch_char.py CONFIG.json
CONFIG: {"mode": "throughput" | "train", "cell": "gru"|"lstm", "vocabulary": V, "embeddingDim": E,
         "units": U, "batchSize": B, "sequenceLength": L, "learningRate": lr, "seed": s,
         "steps": n (throughput), "seconds": t (train: the wall-time budget),
         "train": "train.i32", "validation": "validation.i32"}  (int32 ids, little-endian)
Prints one JSON object. Same model as Neurona's: Embedding -> GRU/LSTM (batch first) -> Linear
over the vocabulary, logits, cross-entropy in nats, Adam; non-overlapping windows of L + 1,
shuffled every epoch; validation on the last 10% of the text, never trained on.
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)  # on this 2-vCPU machine one thread is PyTorch's fastest setting


class CharModel(nn.Module):
    def __init__(self, cell, vocabulary, embedding_dim, units):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding_dim)
        rnn = nn.GRU if cell == 'gru' else nn.LSTM
        self.rnn = rnn(embedding_dim, units, batch_first=True)
        self.logits = nn.Linear(units, vocabulary)

    def forward(self, x):
        out, _ = self.rnn(self.embedding(x))
        return self.logits(out)


def windows(ids, length):
    count = (len(ids) - 1) // length
    x = ids[:count * length].reshape(count, length)
    y = ids[1:count * length + 1].reshape(count, length)
    return x.long(), y.long()


def read_ids(path):
    with open(path, 'rb') as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.int32)


def main():
    config = json.load(open(sys.argv[1]))
    torch.manual_seed(config['seed'])
    model = CharModel(config['cell'], config['vocabulary'], config['embeddingDim'], config['units'])
    optimizer = torch.optim.Adam(model.parameters(), lr=config['learningRate'])
    loss_fn = nn.CrossEntropyLoss()
    batch, length, vocabulary = config['batchSize'], config['sequenceLength'], config['vocabulary']
    params = sum(p.numel() for p in model.parameters())

    def step(x, y):
        optimizer.zero_grad()
        loss = loss_fn(model(x).reshape(-1, vocabulary), y.reshape(-1))
        loss.backward()
        optimizer.step()
        return loss.item()

    if config['mode'] == 'throughput':
        g = torch.Generator().manual_seed(1)
        x = torch.randint(1, vocabulary, (batch, length), generator=g)
        y = torch.randint(1, vocabulary, (batch, length), generator=g)
        step(x, y)  # warm-up
        t0 = time.perf_counter()
        for _ in range(config['steps']):
            step(x, y)
        seconds = time.perf_counter() - t0
        print(json.dumps({'runtime': f'pytorch {torch.__version__}', 'threads': torch.get_num_threads(), 'params': params,
                          'charactersPerSec': config['steps'] * batch * length / seconds}))
        return

    train = read_ids(config['train'])
    validation = read_ids(config['validation'])
    x, y = windows(train, length)
    vx, vy = windows(validation, length)

    def validate():
        model.eval()
        total, count = 0.0, 0
        with torch.no_grad():
            for s in range(0, len(vx), batch):
                out = model(vx[s:s + batch])
                total += loss_fn(out.reshape(-1, vocabulary), vy[s:s + batch].reshape(-1)).item() * len(vx[s:s + batch])
                count += len(vx[s:s + batch])
        model.train()
        return total / count

    untrained = validate()
    g = torch.Generator().manual_seed(config['seed'])
    budget = config['seconds']
    trained, epochs, losses, t0 = 0.0, [], [], time.perf_counter()
    out_of_time = False
    while not out_of_time:
        order = torch.randperm(len(x), generator=g)
        for s in range(0, len(x), batch):
            rows = order[s:s + batch]
            losses.append(step(x[rows], y[rows]))
            if time.perf_counter() - t0 >= budget:
                out_of_time = True
                break
        trained = time.perf_counter() - t0
        epochs.append({'epochs': len(epochs) + (0 if out_of_time else 1) + (s + batch) / len(x) * out_of_time,
                       'seconds': trained, 'valLoss': validate()})
    print(json.dumps({'runtime': f'pytorch {torch.__version__}', 'threads': torch.get_num_threads(), 'params': params,
                      'untrained': untrained, 'points': epochs, 'trainSeconds': trained,
                      'charactersPerSec': len(losses) * batch * length / trained}))


main()
