"""Reference for the picture benchmark: atelier's two GAN families, in idiomatic PyTorch.

The same networks as atelier-core's art.atelier.image.gan at 64x64 RGB, unconditioned, layer for
layer (every convolution and dense layer with a bias), and the same training step:

- dcgan (Radford et al. 2016, with resize-convolutions): z (100) -> dense -> 4x4x512, BatchNorm, ReLU;
  per stage nearest x2 upsampling and a 3x3 convolution (512 -> 256 -> 128 -> 64 -> 3), BatchNorm
  and ReLU after all but the last, tanh. The discriminator: 4x4 stride-2 convolutions
  (3 -> 64 -> 128 -> 256 -> 512), BatchNorm on all but the first, leaky ReLU 0.2, a 4x4 valid
  convolution to one logit. Non-saturating logistic loss; Adam 2e-4, betas 0.5/0.999; batch 64.
  Real and generated pictures go through the discriminator in two passes (batch statistics).
- atelier: the same generator, batch 32; the same discriminator with every layer spectrally
  normalised (one power iteration per training forward) and BatchNorm kept (FastGAN's arrangement),
  real and generated pictures in two passes; DiffAugment (colour, translation 1/8, cutout 1/2) on
  every picture the discriminator sees (atelier adapts the probability of each; the benchmark times
  p = 1, the costliest); non-saturating loss; Adam 2e-4, betas 0.5/0.99; a moving average of the
  generator's weights (half-life 10k pictures, ramped up over the first steps), whose BatchNorm
  statistics are gathered anew only when it draws or is saved (not part of a step).

One step: the generator draws the batch's fakes once; the discriminator learns from real and
detached fake pictures and steps; the generator learns from the updated discriminator's verdict on
the same fakes (augmented again) and steps; then the moving average.

The pictures are the ones the Java side prepared (ImageCorpus at 64x64, 3 channels, cropped), written
as a raw (N, 64, 64, 3) uint8 file that this script memory-maps.

Standalone: runs --warmup steps, then --steps timed ones, and prints one JSON object.
With --serve: prints a JSON line when ready, then for every line "K" on stdin runs K steps and prints
a JSON line with their times; stops at "quit" or end of input. The Java benchmark drives it this way
so that the two implementations take turns without either being restarted.

Run with Debian's interpreter: /usr/bin/python3 gan_reference.py --model atelier --data pictures.u8
"""
import argparse
import copy
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

SIZE = 64
CHANNELS = 3


def width(base, resolution, cap):
    """Feature maps at a resolution: base at SIZE/2, doubling as resolution halves, at most cap."""
    return max(1, min(cap, base * SIZE // (2 * resolution)))


def stages():
    return SIZE.bit_length() - 1 - 2  # 4x4 -> SIZE


def lrelu():
    return nn.LeakyReLU(0.2)


def upsample():
    return nn.Upsample(scale_factor=2, mode="nearest")


# ---- dcgan ------------------------------------------------------------------------------------


class DcganGenerator(nn.Module):
    def __init__(self, latent=100, base=64, cap=512):
        super().__init__()
        self.head_width = width(base, 4, cap)
        self.project = nn.Linear(latent, 16 * self.head_width)
        self.project_norm = nn.BatchNorm2d(self.head_width)
        layers = []
        c = self.head_width
        for s in range(1, stages() + 1):
            last = s == stages()
            out = CHANNELS if last else width(base, 4 << s, cap)
            layers += [upsample(), nn.Conv2d(c, out, 3, 1, 1)]
            if not last:
                layers += [nn.BatchNorm2d(out), nn.ReLU()]
            c = out
        layers.append(nn.Tanh())
        self.body = nn.Sequential(*layers)

    def forward(self, z):
        x = self.project(z).view(z.size(0), self.head_width, 4, 4)
        return self.body(F.relu(self.project_norm(x)))


class DcganDiscriminator(nn.Module):
    """DCGAN's discriminator; with spectral=True (the atelier family) every layer is also spectrally
    normalised."""

    def __init__(self, base=64, cap=512, spectral=False):
        super().__init__()
        wrap = spectral_norm if spectral else (lambda m: m)
        layers = []
        c = CHANNELS
        for s in range(1, stages() + 1):
            out = width(base, SIZE >> s, cap)
            layers.append(wrap(nn.Conv2d(c, out, 4, 2, 1)))
            if s > 1:
                layers.append(nn.BatchNorm2d(out))
            layers.append(lrelu())
            c = out
        layers.append(wrap(nn.Conv2d(c, 1, 4, 1, 0)))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x).view(-1)


def dcgan_init(module):
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


# ---- atelier: DCGAN's networks, the discriminator spectrally normalised ------------------------


def dcgan_init_sn(module):
    """dcgan_init, reaching the weights behind spectral normalisation."""
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        w = module.weight_orig if hasattr(module, "weight_orig") else module.weight
        nn.init.normal_(w, 0.0, 0.02)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


# ---- DiffAugment (Zhao et al. 2020) -----------------------------------------------------------


def augment_color(x):
    b = x.size(0)
    x = x + (torch.rand(b, 1, 1, 1) - 0.5)  # brightness
    mean = x.mean(dim=1, keepdim=True)
    x = (x - mean) * (torch.rand(b, 1, 1, 1) * 2.0) + mean  # saturation
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return (x - mean) * (torch.rand(b, 1, 1, 1) + 0.5) + mean  # contrast


def augment_translation(x, ratio=0.125):
    """Shifts every picture by up to ratio of its size each way; zeros come in at the edges."""
    b, _, h, w = x.shape
    s = int(h * ratio + 0.5)
    dy = torch.randint(-s, s + 1, (b, 1, 1))
    dx = torch.randint(-s, s + 1, (b, 1, 1))
    rows = torch.arange(h).view(1, h, 1) + dy + s  # source rows in the padded picture
    cols = torch.arange(w).view(1, 1, w) + dx + s
    padded = F.pad(x, (s, s, s, s)).permute(0, 2, 3, 1)  # (B, H+2s, W+2s, C)
    picked = padded[torch.arange(b).view(b, 1, 1), rows, cols]  # (B, H, W, C)
    return picked.permute(0, 3, 1, 2)


def augment_cutout(x, ratio=0.5):
    """Blanks a square of ratio of the size, centred anywhere in the picture."""
    b, _, h, w = x.shape
    cut = int(h * ratio + 0.5)
    top = torch.randint(0, h + 1 - cut % 2, (b, 1, 1)) - cut // 2
    left = torch.randint(0, w + 1 - cut % 2, (b, 1, 1)) - cut // 2
    ys = torch.arange(h).view(1, h, 1)
    xs = torch.arange(w).view(1, 1, w)
    inside = (ys >= top) & (ys < top + cut) & (xs >= left) & (xs < left + cut)
    return x * (~inside).unsqueeze(1).to(x.dtype)


def diff_augment(x):
    # the atelier family's policies, each on every picture: adaptive augmentation's costliest step (p = 1)
    return augment_cutout(augment_translation(augment_color(x)))


# ---- training ---------------------------------------------------------------------------------


class Trainer:
    def __init__(self, family, pictures, seed):
        torch.manual_seed(seed)
        self.family = family
        self.pictures = pictures  # (N, S, S, 3) uint8, memory-mapped
        if family == "dcgan":
            self.batch, self.latent = 64, 100
            self.g, self.d = DcganGenerator(), DcganDiscriminator()
            self.g.apply(dcgan_init)
            self.d.apply(dcgan_init)
            betas = (0.5, 0.999)
            self.average = None
        else:
            self.batch, self.latent = 32, 100
            self.g, self.d = DcganGenerator(), DcganDiscriminator(spectral=True)
            self.g.apply(dcgan_init_sn)
            self.d.apply(dcgan_init_sn)
            betas = (0.5, 0.99)
            self.average = copy.deepcopy(self.g).requires_grad_(False)
            self.half_life = 10_000
        self.g_opt = torch.optim.Adam(self.g.parameters(), lr=2e-4, betas=betas, eps=1e-8)
        self.d_opt = torch.optim.Adam(self.d.parameters(), lr=2e-4, betas=betas, eps=1e-8)
        self.steps_done = 0
        self.last = {}

    def real_batch(self):
        idx = torch.randint(len(self.pictures), (self.batch,)).numpy()
        x = torch.from_numpy(self.pictures[idx]).permute(0, 3, 1, 2)  # (B, 3, S, S) uint8
        return x.float() / 127.5 - 1.0

    def step(self):
        real = self.real_batch()
        z = torch.randn(self.batch, self.latent)
        fake = self.g(z)
        if self.family == "dcgan":
            d_real = self.d(real)
            d_fake = self.d(fake.detach())
        else:
            d_real = self.d(diff_augment(real))
            d_fake = self.d(diff_augment(fake.detach()))
        d_loss = F.softplus(-d_real).mean() + F.softplus(d_fake).mean()
        self.d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        self.d_opt.step()

        if self.family == "dcgan":
            g_loss = F.softplus(-self.d(fake)).mean()
        else:
            g_loss = F.softplus(-self.d(diff_augment(fake))).mean()
        self.g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        self.g_opt.step()
        self.d_opt.zero_grad(set_to_none=True)  # the generator's step left gradients on D
        if self.average is not None:
            self.update_average()
        self.steps_done += 1
        self.last = {"d_loss": d_loss.item(), "g_loss": g_loss.item(),
                     "d_real": d_real.mean().item(), "d_fake": d_fake.mean().item()}

    @torch.no_grad()
    def update_average(self):
        # the half-life is at most 5% of the pictures shown so far (StyleGAN2-ADA's ramp-up)
        half_life = min(self.half_life, (self.steps_done + 1) * self.batch * 0.05)
        beta = 0.5 ** (self.batch / max(half_life, 1e-8))
        for avg, now in zip(self.average.parameters(), self.g.parameters()):
            avg.lerp_(now, 1.0 - beta)

    def run(self, steps):
        times = []
        for _ in range(steps):
            t0 = time.perf_counter()
            self.step()
            times.append((time.perf_counter() - t0) * 1000.0)
        return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["dcgan", "atelier"], required=True)
    ap.add_argument("--data", required=True, help="raw (N, 64, 64, 3) uint8 pictures")
    ap.add_argument("--count", type=int, default=None, help="N (default: from the file's size)")
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--serve", action="store_true", help="take step counts on stdin (see the module comment)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    plane = SIZE * SIZE * CHANNELS
    count = a.count if a.count is not None else os.path.getsize(a.data) // plane
    pictures = np.memmap(a.data, dtype=np.uint8, mode="r", shape=(count, SIZE, SIZE, CHANNELS))
    trainer = Trainer(a.model, pictures, a.seed)
    about = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "model": a.model,
        "batch": trainer.batch,
        "pictures": count,
        "params_g": sum(p.numel() for p in trainer.g.parameters()),
        "params_d": sum(p.numel() for p in trainer.d.parameters()),
    }

    def report(times):
        return dict(about, steps=len(times), ms_per_step=times, ms_per_step_median=statistics.median(times) if times else None,
                    losses=trainer.last, steps_done=trainer.steps_done)

    if a.serve:
        print(json.dumps(dict(about, ready=True)), flush=True)
        for line in sys.stdin:
            line = line.strip()
            if line == "quit":
                break
            if line:
                print(json.dumps(report(trainer.run(int(line)))), flush=True)
        return
    trainer.run(a.warmup)
    print(json.dumps(report(trainer.run(a.steps))))


if __name__ == "__main__":
    main()
