#!/usr/bin/env python3
"""PyTorch CPU reference for bench:backends: the same CNNs, batch sizes and optimizers.

Usage: /usr/bin/python3 torch_cnn.py mnist-cnn,fashion-cnn SECONDS
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


MODELS = {"mnist-cnn": mnist_cnn, "fashion-cnn": fashion_cnn}


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
        loss_fn = nn.CrossEntropyLoss()
        x = torch.rand(batch, 1, 28, 28)
        y = torch.randint(0, 10, (batch,))

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
