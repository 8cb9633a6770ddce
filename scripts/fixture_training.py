"""Training helpers shared by both fixture models: seeds, schedule, batching, the copy-friendly initialisation."""

from __future__ import annotations

import math
import random
import time
import warnings
from pathlib import Path

import torch  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

# ---------------------------------------------------------------------------
# Shared training helpers
# ---------------------------------------------------------------------------


def set_seed(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def lr_at(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    frac = (step - warmup) / max(1, total - warmup)
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))


def pad_batch(seqs: list[list[int]], pad_id: int, label: bool = False) -> torch.Tensor:
    m = max(len(s) for s in seqs)
    fill = -100 if label else pad_id
    return torch.tensor([s + [fill] * (m - len(s)) for s in seqs], dtype=torch.long)


def train_loop(model, make_batches, steps: int, peak_lr: float, warmup: int, pad_id: int, name: str) -> float:
    """make_batches() yields lists of (src_ids, tgt_ids) -- called again when exhausted."""
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=peak_lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)
    t0 = time.time()
    it = iter(make_batches())
    running = None
    for step in range(steps):
        try:
            batch = next(it)
        except StopIteration:
            it = iter(make_batches())
            batch = next(it)
        src = pad_batch([b[0] for b in batch], pad_id)
        labels = pad_batch([b[1] for b in batch], pad_id, label=True)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, peak_lr, warmup)
        out = model(input_ids=src, attention_mask=(src != pad_id).long(), labels=labels)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        loss = out.loss.item()
        running = loss if running is None else 0.98 * running + 0.02 * loss
        if step % 100 == 0 or step == steps - 1:
            print(f"  [{name}] step {step:5d}/{steps} loss {running:.4f} lr {opt.param_groups[0]['lr']:.2e} "
                  f"bs {len(batch)}x{src.shape[1]} {time.time() - t0:6.1f}s", flush=True)
    model.eval()
    return time.time() - t0


def token_batches(examples: list[tuple[list[int], list[int]]], budget: int, rng: random.Random):
    """Sort by length, cut into batches of ~budget (src+tgt) tokens, shuffle batch order."""
    examples = sorted(examples, key=lambda e: (len(e[0]), len(e[1])))
    batches, cur, cur_max = [], [], 0
    for e in examples:
        L = len(e[0]) + len(e[1])
        if cur and max(cur_max, L) * (len(cur) + 1) > budget:
            batches.append(cur)
            cur, cur_max = [], 0
        cur.append(e)
        cur_max = max(cur_max, L)
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def sinusoid_table(n_pos: int, dim: int) -> torch.Tensor:
    pos = torch.arange(n_pos, dtype=torch.float32)[:, None]
    freq = torch.pow(10000.0, -torch.arange(0, dim, 2, dtype=torch.float32) / dim)[None, :]
    return torch.cat([torch.sin(pos * freq), torch.cos(pos * freq)], dim=1)


def warm_start_cross_attention(decoder_layers, d_model: int) -> None:
    """Initialise cross-attention projections to the identity.

    Encoder and decoder states both carry (sinusoidal) position information, so with identity q/k the
    decoder step t already attends mostly to source position t -- the alignment a copy model needs.
    Without this the 2-core training spends most of its budget discovering that alignment.
    """
    with torch.no_grad():
        for layer in decoder_layers:
            att = layer.encoder_attn
            for proj in (att.q_proj, att.k_proj, att.v_proj, att.out_proj):
                proj.weight.copy_(torch.eye(d_model))
                proj.bias.zero_()


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
