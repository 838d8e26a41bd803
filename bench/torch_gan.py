"""The book's DCGAN (chapter 14) trained in PyTorch, the reference `bench/gan.mjs` compares with.

Same networks as @neurona/gan (Keras's defaults carried over: LeakyReLU 0.3, BatchNorm momentum
0.99 and epsilon 1e-3, Glorot-uniform kernels, zero biases), the same step (one generator pass
feeds both losses; the generator's non-saturating loss, the discriminator's real -> 1 and
generated -> 0 from logits), Adam per network, the images a raw float32 file written by the
benchmark (already in [-1, 1], shuffled by it). After training it writes COUNT images from the
generator in inference mode, for the benchmark to score with Neurona's scorer.

Usage: /usr/bin/python3 torch_gan.py IMAGES.f32 N STEPS BATCH LR BETA1 SEED COUNT OUT.f32
Prints one JSON line.
"""
import json
from array import array
import sys
import time

import torch
from torch import nn

# The same networks as bench:backends times (torch_cnn.py), with Keras's initialisers and BatchNorm here.
from torch_cnn import dcgan_discriminator, dcgan_generator


def keras_like(module):
    # Keras's initialisers: Glorot-uniform kernels, zero biases; BatchNorm as Keras's defaults.
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.momentum = 0.01
            m.eps = 1e-3
    return module


def generator():
    return keras_like(dcgan_generator()[0])


def discriminator():
    return keras_like(dcgan_discriminator()[0])


def main():
    path, n, steps, batch, lr, beta1, seed, count, out = sys.argv[1:10]
    n, steps, batch, seed, count = int(n), int(steps), int(batch), int(seed), int(count)
    lr, beta1 = float(lr), float(beta1)
    torch.manual_seed(seed)
    with open(path, "rb") as f:
        images = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(n, 1, 28, 28)
    g, d = generator(), discriminator()
    g_opt = torch.optim.Adam(g.parameters(), lr=lr, betas=(beta1, 0.999), eps=1e-7)
    d_opt = torch.optim.Adam(d.parameters(), lr=lr, betas=(beta1, 0.999), eps=1e-7)
    bce = nn.BCEWithLogitsLoss()
    per_epoch = n // batch
    losses = []
    t0 = time.perf_counter()
    for step in range(steps):
        k = step % per_epoch
        real = images[k * batch:(k + 1) * batch]
        noise = torch.randn(real.shape[0], 100)
        fake = g(noise)
        # Both gradients from the one generator pass, as the book's train_step.
        fake_logits = d(fake)
        g_loss = bce(fake_logits, torch.ones_like(fake_logits))
        g_opt.zero_grad()
        g_loss.backward(inputs=list(g.parameters()))
        real_logits = d(real)
        fake_logits = d(fake.detach())
        d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
        d_opt.zero_grad()
        d_loss.backward()
        g_opt.step()
        d_opt.step()
        losses.append((float(d_loss), float(g_loss)))
    seconds = time.perf_counter() - t0
    g.eval()
    with torch.no_grad():
        made = torch.cat([g(torch.randn(min(500, count - i), 100)) for i in range(0, count, 500)])
    with open(out, "wb") as f:
        # Without numpy (Debian's python3-torch does not need it): through a float32 array.
        f.write(array("f", made.reshape(-1).tolist()).tobytes())
    last = losses[-max(1, per_epoch):]
    print(json.dumps({
        "runtime": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "steps": steps, "batchSize": batch, "seconds": seconds,
        "imagesPerSec": steps * batch / seconds, "secondsPerStep": seconds / steps,
        "d_loss": sum(l[0] for l in last) / len(last), "g_loss": sum(l[1] for l in last) / len(last),
    }))


if __name__ == "__main__":
    main()
