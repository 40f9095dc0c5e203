"""Reference for the VQ-VAE benchmark: atelier's VQ-VAE (the "standard" preset at 64x64 RGB), in idiomatic PyTorch.

The same networks as atelier-core's art.atelier.image.vqvae, layer for layer, and the same training steps.

The autoencoder (van den Oord et al. 2017, their picture model):
- encoder: 4x4 stride-2 convolutions halving the picture twice (3 -> 64 -> 128, the width doubling up
  to the hidden 128), each followed by ReLU; a 3x3 convolution 128 -> 128; the residual stack; a 1x1
  convolution 128 -> 64 (the code dimension D). 64x64 pictures become a 16x16 grid of 64-vectors.
- residual stack: 2 blocks, each x + conv1x1(ReLU(conv3x3(ReLU(x)))) (128 -> 64 -> 128), then ReLU.
- decoder: a 3x3 convolution 64 -> 128, the residual stack, then twice nearest x2 upsampling and a
  3x3 convolution (128 -> 64, ReLU; 64 -> 3, no activation).
- every convolution has a bias; weights uniform in +-1/sqrt(fan_in) (PyTorch's default), biases 0.
- vector quantizer: K = 512 codes of D = 64, nearest code by squared Euclidean distance (ties to the
  lowest index), straight-through gradient, commitment loss 0.25 * mean((z_e - sg(e))^2). The codebook
  is not learnt by gradient but by exponential moving averages (decay 0.99): N_k <- 0.99 N_k + 0.01 n_k,
  m_k <- 0.99 m_k + 0.01 sum(z_e assigned to k), e_k = m_k / N~_k with N~ Laplace-smoothed (1e-5). After
  the averages, a code with N_k below 1.0 is dead and moves onto a random encoder output of the batch
  (m_k = 1.0 * that output, N_k = 1.0). At the very first step the codebook is set to k-means centroids
  (10 Lloyd iterations from 512 distinct random outputs) of the first batch's encoder outputs, each
  count to its cluster's size, at least 1.0.

One autoencoder step: a batch of 32 training pictures in [-1, 1] drawn with replacement; encode,
quantize, decode; loss = mean((x_hat - x)^2) + commitment; Adam (lr 3e-4, betas 0.9/0.999, eps 1e-8, no
weight decay) on the encoder and decoder; then the codebook's moving averages and the dead-code restart
from the same batch; the batch's code perplexity is computed as atelier reports it.

The prior: music_reference.py's GPT, imported (gpt_reference.py's decoder: pre-LayerNorm blocks,
causal self-attention with an explicit mask, exact GELU MLP, tied embeddings, no biases) at vocabulary 513 (the 512 codes and a start token),
context 256 (the 16x16 grid in raster order), 4 layers, 4 heads, width 128, with dropout 0.1 where
nanoGPT puts it (embeddings, attention weights, both residual branches). One prior step: a batch of 32
grids, each read as the start token and its first 255 codes to predict all 256 codes; cross-entropy;
backward; global gradient-norm clipping at 1.0; AdamW (betas 0.9/0.99, weight decay 0.1 on tensors of
two or more dimensions) at the step's rate (1e-3, warm-up then cosine decay to 1e-4 over 10,000 steps).
The grids are uniformly random codes: a step's cost does not depend on which codes they are.

The pictures are the ones the Java side prepared (ImageCorpus at 64x64, 3 channels, cropped, over white),
written as a raw (N, 64, 64, 3) uint8 file that this script memory-maps.

Standalone: runs --warmup steps of --stage, then --steps timed ones, and prints one JSON object.
With --serve: prints a JSON line when ready, then for every line "K" on stdin runs K steps and prints a
JSON line with their times; stops at "quit" or end of input. The Java benchmark drives it this way so
that the two implementations take turns without either being restarted.

Run with Debian's interpreter: /usr/bin/python3 vqvae_reference.py --stage autoencoder --data pictures.u8
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 64
CHANNELS = 3
HIDDEN = 128
RESIDUAL_HIDDEN = 64
RESIDUAL_BLOCKS = 2
DOWNSAMPLE = 4
CODES = 512
CODE_DIM = 64
COMMITMENT = 0.25
DECAY = 0.99
DEAD_CODE_THRESHOLD = 1.0
LAPLACE = 1e-5
KMEANS_ITERATIONS = 10
GRID = SIZE // DOWNSAMPLE
STAGES = DOWNSAMPLE.bit_length() - 1


# ---- the autoencoder ------------------------------------------------------------------------------


class ResidualStack(nn.Module):
    def __init__(self, width, inner, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.ReLU(), nn.Conv2d(width, inner, 3, 1, 1), nn.ReLU(), nn.Conv2d(inner, width, 1))
            for _ in range(blocks))

    def forward(self, x):
        for block in self.blocks:
            x = x + block(x)
        return F.relu(x)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        layers = []
        c = CHANNELS
        for s in range(STAGES):
            width = HIDDEN >> (STAGES - 1 - s)
            layers += [nn.Conv2d(c, width, 4, 2, 1), nn.ReLU()]
            c = width
        layers += [nn.Conv2d(HIDDEN, HIDDEN, 3, 1, 1), ResidualStack(HIDDEN, RESIDUAL_HIDDEN, RESIDUAL_BLOCKS),
                   nn.Conv2d(HIDDEN, CODE_DIM, 1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(CODE_DIM, HIDDEN, 3, 1, 1), ResidualStack(HIDDEN, RESIDUAL_HIDDEN, RESIDUAL_BLOCKS)]
        width = HIDDEN
        for s in range(STAGES):
            last = s == STAGES - 1
            out = CHANNELS if last else width // 2
            layers += [nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(width, out, 3, 1, 1)]
            if not last:
                layers.append(nn.ReLU())
            width = out
        self.net = nn.Sequential(*layers)

    def forward(self, z):
        return self.net(z)


def conv_init(module):
    if isinstance(module, nn.Conv2d):
        fan_in = module.weight[0].numel()
        bound = 1.0 / math.sqrt(fan_in)
        nn.init.uniform_(module.weight, -bound, bound)
        nn.init.zeros_(module.bias)


class VectorQuantizer(nn.Module):
    """Nearest-code quantization with a codebook learnt by moving averages (buffers, not parameters)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("codebook", torch.randn(CODES, CODE_DIM))
        self.register_buffer("cluster_size", torch.full((CODES,), DEAD_CODE_THRESHOLD))
        self.register_buffer("embed_sum", torch.randn(CODES, CODE_DIM))

    def nearest(self, flat):
        # |z - e|^2 = |z|^2 - 2 z.e + |e|^2; |z|^2 is the same for every code
        return (self.codebook.pow(2).sum(1) - 2.0 * flat @ self.codebook.t()).argmin(1)

    def forward(self, z):
        b, d, h, w = z.shape
        flat = z.permute(0, 2, 3, 1).reshape(-1, d)  # (N, D)
        codes = self.nearest(flat.detach())
        e = F.embedding(codes, self.codebook)  # a buffer: no gradient
        commitment = COMMITMENT * F.mse_loss(flat, e)
        straight_through = flat + (e - flat).detach()
        return straight_through.view(b, h, w, d).permute(0, 3, 1, 2), commitment, codes, flat.detach()

    @torch.no_grad()
    def initialize_from(self, flat):
        n_rows = flat.size(0)
        pick = torch.randperm(n_rows)[:CODES] if n_rows >= CODES else torch.randint(n_rows, (CODES,))
        centroids = flat[pick]
        counts = torch.zeros(CODES)
        for _ in range(KMEANS_ITERATIONS):
            self.codebook.copy_(centroids)
            codes = self.nearest(flat)
            counts = torch.bincount(codes, minlength=CODES).to(flat.dtype)
            sums = torch.zeros(CODES, flat.size(1)).index_add_(0, codes, flat)
            used = (counts > 0).unsqueeze(1)
            centroids = torch.where(used, sums / counts.clamp(min=1.0).unsqueeze(1), centroids)
        n = counts.clamp(min=DEAD_CODE_THRESHOLD)
        self.cluster_size.copy_(n)
        self.embed_sum.copy_(centroids * n.unsqueeze(1))
        self.codebook.copy_(centroids)

    @torch.no_grad()
    def update(self, codes, flat):
        """The moving averages from a batch, the dead-code restart, the new codebook; returns the
        batch's code counts and the number of codes restarted."""
        counts = torch.bincount(codes, minlength=CODES).to(flat.dtype)
        sums = torch.zeros_like(self.embed_sum).index_add_(0, codes, flat)
        n = self.cluster_size * DECAY + counts * (1.0 - DECAY)
        m = self.embed_sum * DECAY + sums * (1.0 - DECAY)
        dead = n < DEAD_CODE_THRESHOLD
        restarted = int(dead.sum().item())
        if restarted:
            samples = flat[torch.randint(flat.size(0), (CODES,))]
            m = torch.where(dead.unsqueeze(1), samples * DEAD_CODE_THRESHOLD, m)
            n = torch.where(dead, torch.full_like(n, DEAD_CODE_THRESHOLD), n)
        self.cluster_size.copy_(n)
        self.embed_sum.copy_(m)
        total = n.sum()
        smoothed = (n + LAPLACE) / (total + CODES * LAPLACE) * total
        self.codebook.copy_(m / smoothed.unsqueeze(1))
        return counts, restarted


def perplexity(counts):
    p = counts / counts.sum()
    return math.exp(-(p * torch.log(p + 1e-10)).sum().item())


class AutoencoderTrainer:
    def __init__(self, pictures, seed):
        torch.manual_seed(seed)
        self.pictures = pictures  # (N, S, S, 3) uint8, memory-mapped
        self.batch = 32
        self.encoder = Encoder()
        self.decoder = Decoder()
        self.encoder.apply(conv_init)
        self.decoder.apply(conv_init)
        self.quantizer = VectorQuantizer()
        params = list(self.encoder.parameters()) + list(self.decoder.parameters())
        self.opt = torch.optim.Adam(params, lr=3e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
        self.steps_done = 0
        self.last = {}

    def params(self):
        return sum(p.numel() for p in self.encoder.parameters()) + sum(p.numel() for p in self.decoder.parameters())

    def real_batch(self):
        idx = torch.randint(len(self.pictures), (self.batch,)).numpy()
        x = torch.from_numpy(self.pictures[idx]).permute(0, 3, 1, 2)  # (B, 3, S, S) uint8
        return x.float() / 127.5 - 1.0

    def step(self):
        x = self.real_batch()
        if self.steps_done == 0:
            with torch.no_grad():
                self.quantizer.initialize_from(self.encoder(x).permute(0, 2, 3, 1).reshape(-1, CODE_DIM))
        z = self.encoder(x)
        quantized, commitment, codes, flat = self.quantizer(z)
        reconstruction = self.decoder(quantized)
        mse = F.mse_loss(reconstruction, x)
        loss = mse + commitment
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        counts, restarted = self.quantizer.update(codes, flat)
        self.steps_done += 1
        self.last = {"loss": loss.item(), "mse": mse.item() / 4, "perplexity": perplexity(counts),
                     "restarted": restarted}


# ---- the prior ------------------------------------------------------------------------------------


# The prior is the music reference's GPT (atelier's GPT with nanoGPT's dropout), at the prior's shape.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from music_reference import GPT  # noqa: E402


class PriorTrainer:
    def __init__(self, seed, nominal_steps=10_000):
        torch.manual_seed(seed)
        self.batch = 32
        self.model = GPT(CODES + 1, GRID * GRID, 4, 4, 128, 0.1)
        self.model.train()
        params = [p for p in self.model.parameters() if p.requires_grad]
        groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
                  {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
        self.opt = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99), eps=1e-8)
        self.lr, self.min_lr = 1e-3, 1e-4
        self.steps = nominal_steps
        self.warmup = min(100, nominal_steps // 20)
        self.steps_done = 0
        self.last = {}

    def params(self):
        return sum(p.numel() for p in self.model.parameters())

    def lr_at(self, it):
        if it < self.warmup:
            return self.lr * (it + 1) / (self.warmup + 1)
        ratio = min(1.0, (it - self.warmup) / max(1, self.steps - self.warmup))
        return self.min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (self.lr - self.min_lr)

    def step(self):
        grids = torch.randint(CODES, (self.batch, GRID * GRID))
        start = torch.full((self.batch, 1), CODES, dtype=torch.long)
        inputs = torch.cat([start, grids[:, :-1]], dim=1)
        for g in self.opt.param_groups:
            g["lr"] = self.lr_at(self.steps_done)
        loss = self.model(inputs, grids)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.opt.step()
        self.steps_done += 1
        self.last = {"loss": loss.item(), "grad_norm": float(norm)}


def run(trainer, steps):
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        trainer.step()
        times.append((time.perf_counter() - t0) * 1000.0)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", choices=["autoencoder", "prior"], required=True)
    ap.add_argument("--data", help="raw (N, 64, 64, 3) uint8 pictures (the autoencoder's)")
    ap.add_argument("--count", type=int, default=None, help="N (default: from the file's size)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--serve", action="store_true", help="take step counts on stdin (see the module comment)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    if a.stage == "autoencoder":
        if a.data is None:
            ap.error("the autoencoder stage needs --data")
        plane = SIZE * SIZE * CHANNELS
        count = a.count if a.count is not None else os.path.getsize(a.data) // plane
        pictures = np.memmap(a.data, dtype=np.uint8, mode="r", shape=(count, SIZE, SIZE, CHANNELS))
        trainer = AutoencoderTrainer(pictures, a.seed)
    else:
        count = 0
        trainer = PriorTrainer(a.seed)
    about = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "stage": a.stage,
        "batch": trainer.batch,
        "pictures": count,
        "params": trainer.params(),
    }

    def report(times):
        return dict(about, steps=len(times), ms_per_step=times,
                    ms_per_step_median=statistics.median(times) if times else None,
                    metrics=trainer.last, steps_done=trainer.steps_done)

    if a.serve:
        print(json.dumps(dict(about, ready=True)), flush=True)
        for line in sys.stdin:
            line = line.strip()
            if line == "quit":
                break
            if line:
                print(json.dumps(report(run(trainer, int(line)))), flush=True)
        return
    run(trainer, a.warmup)
    print(json.dumps(report(run(trainer, a.steps))))


if __name__ == "__main__":
    main()
