#!/usr/bin/env python3
"""PyTorch CPU reference for bench:backends: the same models, batch sizes, losses and optimizers
(the CNNs of ch. 8, the character models of ch. 13, the DCGAN networks of ch. 14).

Usage: /usr/bin/python3 torch_cnn.py mnist-cnn,fashion-cnn,char-lstm,char-gru,dcgan-generator,dcgan-discriminator SECONDS
Prints JSON records {model, backend, runtime, batchSize, trainSamplesPerSec, predictSamplesPerSec}.
"""
import json
import sys
import time

import torch
from torch import nn


def mnist_cnn():
    # Conv 32 5x5 -> MaxPool -> Conv 64 5x5 -> MaxPool -> Dense 10 (62,346 parameters)
    return nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(4 * 4 * 64, 10),
    ), 100, lambda p: torch.optim.SGD(p, lr=0.01)


def fashion_cnn():
    # Conv 32 3x3 same -> BN -> MaxPool -> Dropout -> Conv 64 -> BN -> MaxPool -> Dropout
    # -> Dense 128 -> Dropout -> Dense 10 (422,026 parameters with BN statistics)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(32), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(64), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10),
    ), 64, lambda p: torch.optim.Adam(p, lr=0.001)


class CharRnn(nn.Module):
    # Embedding(65, 64) -> LSTM/GRU(256) -> Linear(65): the bench's char models (logits; the loss applies softmax)
    def __init__(self, cell):
        super().__init__()
        self.embedding = nn.Embedding(65, 64)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(64, 256, batch_first=True)
        self.out = nn.Linear(256, 65)

    def forward(self, x):
        return self.out(self.rnn(self.embedding(x))[0])


def char(cell):
    return CharRnn(cell), 64, lambda p: torch.optim.Adam(p, lr=0.001)


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def dcgan_generator():
    # Dense 7*7*256 -> BN -> LeakyReLU -> ConvT 128 s1 -> BN -> LReLU -> ConvT 64 s2 -> BN -> LReLU -> ConvT 1 s2, tanh
    return nn.Sequential(
        nn.Linear(100, 7 * 7 * 256, bias=False), nn.BatchNorm1d(7 * 7 * 256), nn.LeakyReLU(0.3), Reshape(256, 7, 7),
        nn.ConvTranspose2d(256, 128, 5, 1, 2, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.3),
        nn.ConvTranspose2d(128, 64, 5, 2, 2, output_padding=1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.3),
        nn.ConvTranspose2d(64, 1, 5, 2, 2, output_padding=1, bias=False), nn.Tanh(),
    ), 64, lambda p: torch.optim.Adam(p, lr=1e-4)


def dcgan_discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 5, 2, 2), nn.LeakyReLU(0.3), nn.Dropout(0.3),
        nn.Conv2d(64, 128, 5, 2, 2), nn.LeakyReLU(0.3), nn.Dropout(0.3),
        nn.Flatten(), nn.Linear(7 * 7 * 128, 1),
    ), 64, lambda p: torch.optim.Adam(p, lr=1e-4)


MODELS = {
    "mnist-cnn": mnist_cnn,
    "fashion-cnn": fashion_cnn,
    "char-lstm": lambda: char("lstm"),
    "char-gru": lambda: char("gru"),
    "dcgan-generator": dcgan_generator,
    "dcgan-discriminator": dcgan_discriminator,
}


def batch_for(name, batch):
    """Inputs and targets of the same shapes as bench/models.mjs, and the loss it compiles with."""
    if name.startswith("char-"):
        ce = nn.CrossEntropyLoss()
        return (torch.randint(0, 65, (batch, 100)), torch.randint(0, 65, (batch, 100)),
                lambda out, y: ce(out.reshape(-1, 65), y.reshape(-1)))
    if name == "dcgan-generator":
        return torch.rand(batch, 100) * 2 - 1, torch.rand(batch, 1, 28, 28) * 2 - 1, nn.MSELoss()
    if name == "dcgan-discriminator":
        return torch.rand(batch, 1, 28, 28) * 2 - 1, torch.randint(0, 2, (batch, 1)).float(), nn.MSELoss()
    return torch.rand(batch, 1, 28, 28), torch.randint(0, 10, (batch,)), nn.CrossEntropyLoss()


def time_loop(step, seconds):
    step()
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or steps < 2:
        step()
        steps += 1
    return steps, time.perf_counter() - t0


def main():
    names = [n for n in sys.argv[1].split(",") if n in MODELS]
    seconds = float(sys.argv[2])
    torch.manual_seed(1)
    records = []
    for name in names:
        model, batch, make_optimizer = MODELS[name]()
        optimizer = make_optimizer(model.parameters())
        x, y, loss_fn = batch_for(name, batch)

        def train():
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()

        def predict():
            with torch.no_grad():
                model.eval()
                model(x)
                model.train()

        ts, tt = time_loop(train, seconds)
        ps, pt = time_loop(predict, seconds)
        records.append({
            "model": name, "backend": "cpu", "runtime": "pytorch", "batchSize": batch,
            "trainSamplesPerSec": ts * batch / tt, "predictSamplesPerSec": ps * batch / pt,
            "torch": torch.__version__, "threads": torch.get_num_threads(),
        })
    print(json.dumps(records))


if __name__ == "__main__":
    main()
