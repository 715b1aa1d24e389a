"""Trains the tiny GPT on the corpus (corpus.py) with the BPE tokenizer (tokenizer.py).

Usage: /usr/bin/python3 training/tiny/train.py --config training/tiny/config.json --out lib/local/tiny/weights
         [--max-steps N] [--steps N] [--device auto|cpu|cuda] [--tokenizer PATH] [--data-dir DIR]
Writes OUT/model.safetensors and OUT/config.json at every evaluation (so an early stop still leaves
usable weights) and at the end; config.json carries the settings and the measured held-out
loss/perplexity. The step count is --steps if given, else fixed after 20 timed steps so that training
fits config time_budget_s (capped by max_steps); the count actually used is recorded. AdamW,
linear warm-up then cosine decay to min_lr, weight decay on matrices only, gradient clipping.

--wall-clock S trains for S seconds of wall time instead, with the cosine decay following the
fraction of that time elapsed: on a machine shared with other work, the step rate varies, and a
step count fixed in advance either overruns or stops before the learning rate has come down.
The steps it took are recorded; `--steps` with that count reruns it step for step on an idle
machine up to the small difference in each step's learning rate.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
import model as model_lib  # noqa: E402
import tokenizer as tok_lib  # noqa: E402


def encode_docs(tok, docs):
    ids = []
    for d in docs:
        ids.extend(tok.encode(d))
        ids.append(tok_lib.EOT)
    return np.array(ids, dtype=np.uint16)


def load_data(tok_path, data_dir, docs=None):
    """Returns (train_ids, val_ids) as uint16 arrays, cached in data_dir keyed by the tokenizer file."""
    os.makedirs(data_dir, exist_ok=True)
    stamp = str(os.path.getmtime(tok_path)) + str(os.path.getsize(tok_path))
    tr_p, va_p, st_p = (os.path.join(data_dir, n) for n in ("train.npy", "val.npy", "stamp.txt"))
    if docs is None and os.path.exists(st_p) and open(st_p).read() == stamp:
        return np.load(tr_p), np.load(va_p)
    tok = tok_lib.Tokenizer.load(tok_path)
    train_docs, val_docs = docs if docs is not None else corpus.build()
    tr, va = encode_docs(tok, train_docs), encode_docs(tok, val_docs)
    np.save(tr_p, tr)
    np.save(va_p, va)
    with open(st_p, "w") as handle:
        handle.write(stamp)
    return tr, va


def val_windows(val, n_ctx):
    n = (len(val) - 1) // n_ctx
    x = np.stack([val[i * n_ctx:(i + 1) * n_ctx] for i in range(n)]).astype(np.int64)
    y = np.stack([val[i * n_ctx + 1:(i + 1) * n_ctx + 1] for i in range(n)]).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


@torch.no_grad()
def evaluate(model, vx, vy, batch, device, limit=None, hook_fn=None, hook_layer=None):
    model.eval()
    n = len(vx) if limit is None else min(limit, len(vx))
    total, count = 0.0, 0
    for i in range(0, n, batch):
        x, y = vx[i:i + batch].to(device), vy[i:i + batch].to(device)
        logits = model(x, hook_fn=hook_fn, hook_layer=hook_layer)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum")
        total += loss.item()
        count += y.numel()
    model.train()
    return total / count


def lr_at(step, total, cfg, progress=None):
    if step < cfg["warmup_steps"]:
        return cfg["lr"] * (step + 1) / cfg["warmup_steps"]
    if progress is None:
        progress = (step - cfg["warmup_steps"]) / max(1, total - cfg["warmup_steps"])
    progress = min(1.0, progress)
    return cfg["min_lr"] + 0.5 * (cfg["lr"] - cfg["min_lr"]) * (1 + math.cos(math.pi * progress))


def write_outputs(model, cfg, out, results):
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "model.safetensors.tmp")
    model.save(tmp, {"format": "pt", "model_name": "streamconsole-tiny"})
    os.replace(tmp, os.path.join(out, "model.safetensors"))
    full = dict(cfg)
    full.update(results)
    with open(os.path.join(out, "config.json"), "w") as handle:
        json.dump(full, handle, indent=2)


def main(argv=None):
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--config", default=os.path.join(here, "config.json"))
    ap.add_argument("--out", default=os.path.join(corpus.ROOT, "lib", "local", "tiny", "weights"))
    ap.add_argument("--tokenizer", default=None)
    ap.add_argument("--data-dir", default=os.path.join(here, "build"))
    ap.add_argument("--max-steps", type=int, default=None, help="cap on steps (smoke runs)")
    ap.add_argument("--steps", type=int, default=None, help="fixed step count (overrides time budget)")
    ap.add_argument("--wall-clock", type=float, default=None, help="train for this many seconds, the decay following elapsed time")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: config threads)")
    args = ap.parse_args(argv)
    with open(args.config) as handle:
        cfg = json.load(handle)
    for k in list(cfg):
        if k.startswith("measured_") or k in ("steps_run", "train_tokens_seen", "wall_clock_s"):
            del cfg[k]
    tok_path = args.tokenizer or os.path.join(args.out, "tokenizer.json")
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    torch.set_num_threads(args.threads or cfg.get("threads", 2))
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])

    train_ids, val_ids = load_data(tok_path, args.data_dir)
    print(f"device {device}; train tokens {len(train_ids)}, val tokens {len(val_ids)}", flush=True)
    vx, vy = val_windows(val_ids, cfg["n_ctx"])
    model = model_lib.GPT(cfg).to(device)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg["lr"], betas=tuple(cfg["betas"]))
    B, T = cfg["batch_size"], cfg["n_ctx"]
    total = args.steps or cfg["max_steps"]
    if args.max_steps is not None:
        total = min(total, args.max_steps)
    fixed = args.steps is not None or args.max_steps is not None or args.wall_clock is not None
    wall = args.wall_clock
    if wall is not None:
        total = 10 ** 9
    t_start = time.time()
    t_warm = None
    t_log, tok_log = time.time(), 0
    results = {}
    step = 0
    while step < total:
        progress = None
        if wall is not None:
            if step == cfg["warmup_steps"]:
                t_warm = time.time()
            if t_warm is not None:
                progress = (time.time() - t_warm) / max(1.0, wall - (t_warm - t_start))
                if progress >= 1.0:
                    total = step + 1  # this is the last step; the final evaluation follows it
        lr = lr_at(step, total, cfg, progress)
        for g in opt.param_groups:
            g["lr"] = lr
        starts = rng.integers(0, len(train_ids) - T - 1, size=B)
        x = torch.from_numpy(np.stack([train_ids[s:s + T] for s in starts]).astype(np.int64)).to(device)
        y = torch.from_numpy(np.stack([train_ids[s + 1:s + T + 1] for s in starts]).astype(np.int64)).to(device)
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["grad_clip"])
        opt.step()
        step += 1
        tok_log += B * T
        if not math.isfinite(loss.item()):
            raise SystemExit(f"non-finite loss at step {step}")
        if step == 20 and not fixed:
            per_step = (time.time() - t_start) / 20
            evals = cfg["max_steps"] // cfg["eval_interval"]
            budget = cfg["time_budget_s"] * 0.92
            total = max(cfg["warmup_steps"] + 50, min(cfg["max_steps"], int(budget / per_step) - evals * 8))
            print(f"measured {per_step:.3f}s/step; training {total} steps to fit {cfg['time_budget_s']}s", flush=True)
        if step % 10 == 0 or step == total:
            now = time.time()
            print(f"step {step}/{total} loss {loss.item():.4f} lr {lr:.2e} tok/s {tok_log / (now - t_log):.0f}", flush=True)
            t_log, tok_log = now, 0
        if step % cfg["eval_interval"] == 0 or step == total:
            final = step == total
            limit = cfg.get("final_eval_windows") if final else cfg["eval_batches"] * B
            vl = evaluate(model, vx, vy, B, device, limit=limit)
            results = {"steps_run": step, "train_tokens_seen": step * B * T,
                       "measured_val_loss": round(vl, 5), "measured_val_perplexity": round(math.exp(vl), 3),
                       "measured_val_tokens": int(min(len(vy), limit or len(vy)) * T),
                       "measured_train_seconds": round(time.time() - t_start, 1), "device": device,
                       "final": final, **({"wall_clock_s": wall} if wall is not None else {})}
            write_outputs(model, cfg, args.out, results)
            print(f"eval step {step}: held-out loss {vl:.4f} ppl {math.exp(vl):.2f} over {results['measured_val_tokens']} tokens -> saved", flush=True)
    return results


if __name__ == "__main__":
    main()
