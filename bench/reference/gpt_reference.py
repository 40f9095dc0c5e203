"""Reference for the text benchmark: the same GPT as atelier's `baby` preset, in idiomatic PyTorch.

Written for this project in the manner of nanoGPT (pre-LayerNorm decoder, causal self-attention with
an explicit mask, GELU MLP, tied input/output embeddings, no biases), initialised as atelier's Gpt
(scaled to the width, as GPT-NeoX), and trained the way nanoGPT's CPU "baby Shakespeare" run is:
batch 12, context 64, AdamW (betas 0.9/0.99, weight decay 0.1 on 2-D
parameters only), learning rate 1e-3 with 100 warm-up steps and cosine decay to 1e-4 at 2000,
global gradient-norm clipping at 1.0, evaluation every 250 iterations on 20 batches.

Prints one JSON object on stdout; the Java side of the benchmark reads it.
Run with Debian's interpreter: /usr/bin/python3 gpt_reference.py --data tinyshakespeare.txt
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size, bias):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=bias)
        self.c_proj = nn.Linear(n_embd, n_embd, bias=bias)
        mask = torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size)
        self.register_buffer("mask", mask)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, n_embd, bias):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=bias)
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=bias)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class LayerNorm(nn.Module):
    """LayerNorm with an optional bias (PyTorch 1.13's nn.LayerNorm always has one), as in nanoGPT."""

    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size, bias):
        super().__init__()
        self.ln_1 = LayerNorm(n_embd, bias)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size, bias)
        self.ln_2 = LayerNorm(n_embd, bias)
        self.mlp = MLP(n_embd, bias)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, bias=False):
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList([Block(n_embd, n_head, block_size, bias) for _ in range(n_layer)])
        self.ln_f = LayerNorm(n_embd, bias)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # tied
        # initialisation scaled to the width, as GPT-NeoX does (and atelier's Gpt): every weight
        # N(0, sqrt(2 / (5 C))), the projections into the residual stream N(0, 2 / (L sqrt(C)))
        std = math.sqrt(2.0 / (5.0 * n_embd))
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, mean=0.0, std=std)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=2.0 / (n_layer * math.sqrt(n_embd)))

    def forward(self, idx, targets=None):
        B, T = idx.size()
        pos = torch.arange(0, T, dtype=torch.long)
        x = self.wte(idx) + self.wpe(pos)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss

    def optimizer(self, lr, weight_decay, betas):
        params = [p for p in self.parameters() if p.requires_grad]
        decay = [p for p in params if p.dim() >= 2]
        no_decay = [p for p in params if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay},
                  {"params": no_decay, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=lr, betas=betas)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, generator=None):
        for _ in range(max_new_tokens):
            ctx = idx if idx.size(1) <= self.block_size else idx[:, -self.block_size:]
            logits, _ = self(ctx)
            probs = F.softmax(logits[:, -1, :] / temperature, dim=-1)
            nxt = torch.multinomial(probs, num_samples=1, generator=generator)
            idx = torch.cat((idx, nxt), dim=1)
        return idx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--iters", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--block", type=int, default=64)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--embd", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--eval-interval", type=int, default=250)
    ap.add_argument("--eval-iters", type=int, default=20)
    ap.add_argument("--final-eval-iters", type=int, default=200)
    ap.add_argument("--sample-tokens", type=int, default=500)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=1337)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    text = open(a.data, encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    train, val = data[:n], data[n:]

    def batch(split, gen):
        d = train if split == "train" else val
        ix = torch.randint(len(d) - a.block, (a.batch,), generator=gen)
        x = torch.stack([d[i:i + a.block] for i in ix])
        y = torch.stack([d[i + 1:i + 1 + a.block] for i in ix])
        return x, y

    model = GPT(len(chars), a.block, a.layers, a.heads, a.embd)
    opt = model.optimizer(a.lr, 0.1, (0.9, 0.99))

    def lr_at(it):
        if it < a.warmup:
            return a.lr * (it + 1) / (a.warmup + 1)
        ratio = (it - a.warmup) / (a.iters - a.warmup)
        return a.min_lr + 0.5 * (1.0 + math.cos(math.pi * min(ratio, 1.0))) * (a.lr - a.min_lr)

    @torch.no_grad()
    def estimate(split, iters, gen):
        model.eval()
        losses = [model(*batch(split, gen))[1].item() for _ in range(iters)]
        model.train()
        return sum(losses) / len(losses)

    gen = torch.Generator().manual_seed(a.seed)
    eval_gen = torch.Generator().manual_seed(a.seed + 1)
    times, evals = [], []
    start = time.perf_counter()
    for it in range(a.iters + 1):
        if (it > 0 and it % a.eval_interval == 0) or it == a.iters:
            evals.append({"step": it, "train": estimate("train", a.eval_iters, eval_gen),
                          "val": estimate("val", a.eval_iters, eval_gen)})
        if it == a.iters:
            break
        t0 = time.perf_counter()
        for g in opt.param_groups:
            g["lr"] = lr_at(it)
        x, y = batch("train", gen)
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        times.append((time.perf_counter() - t0) * 1000.0)
    wall = time.perf_counter() - start

    final_val = estimate("val", a.final_eval_iters, torch.Generator().manual_seed(4242))
    model.eval()
    idx = torch.zeros((1, 1), dtype=torch.long)
    t0 = time.perf_counter()
    model.generate(idx, a.sample_tokens, generator=torch.Generator().manual_seed(7))
    sample_tps = a.sample_tokens / (time.perf_counter() - t0)

    warm = times[100:] if len(times) > 200 else times
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": sum(p.numel() for p in model.parameters()),
        "iters": a.iters,
        "ms_per_iter_median": statistics.median(warm),
        "wall_seconds": wall,
        "evals": evals,
        "final_val_loss": final_val,
        "sample_tokens_per_second_no_cache": sample_tps,
    }))


if __name__ == "__main__":
    main()
