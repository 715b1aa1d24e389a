"""Writes golden.json: the Python reference model's outputs that the TypeScript engine must reproduce (tolerance 1e-4).

Usage:
  /usr/bin/python3 training/tiny/golden.py --weights lib/local/tiny/weights      # golden for the trained model
  /usr/bin/python3 training/tiny/golden.py --fixture lib/local/tiny/fixtures     # random-weight test fixture

golden.json format (stable; the engine's parity tests read it):
  {"model_dir": "weights" | "fixtures", "hook_name": "blocks.L.hook_resid_post", "hook_layer": L,
   "prompts": [{
     "text": str,                 # the prompt text (ids are its encoding with tokenizer.json)
     "ids": [int, ...],           # token ids fed to the model, positions 0..len-1 (len <= n_ctx)
     "positions": [int, ...],     # sampled positions (always includes the last, len(ids)-1)
     "logits": [[float x vocab_size], ...],   # logits at each sampled position
     "resid": [[float x d_model], ...],       # hook residual at each sampled position (before any SAE)
     "saeTop": [[{"index": int, "value": float}, ...], ...],  # the SAE's non-zero TopK activations
                                   # at each sampled position, sorted by value descending
     "greedy": [int, ...]          # 8 tokens generated greedily (temperature 0, no penalty, no steering)
   }, ...]}

The fixture (--fixture DIR) is a self-contained model folder laid out like lib/local/tiny/weights:
config.json (vocab 2048, n_layer 2, n_head 2, d_model 32, n_ctx 32), model.safetensors with random
weights (std 0.3, so logits vary strongly and parity is a real test), tokenizer.json (a copy of the
trained one), sae/cfg.json + sae/sae_weights.safetensors (random TopK SAE, d_sae 64, k 8, on hook
blocks.1.hook_resid_post, hook_layer 1), features.json (labels from decoder-promoted tokens) and golden.json.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as model_lib  # noqa: E402
import sae as sae_lib  # noqa: E402
import tokenizer as tok_lib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PROMPTS = [
    "Call me Ishmael.",
    "The whale",
    "Fellow-Citizens of the Senate and House of Representatives:",
    "In 1862 the Congress of the United States",
    "naïve café — “quoted” 😀",
]
FIXTURE_PROMPTS = ["Call me Ishmael.", "The whale", "Fellow-Citizens of the Senate", "naïve café — 😀"]
GREEDY_TOKENS = 8


@torch.no_grad()
def greedy(lm, ids, n):
    ids = list(ids)
    out = []
    for _ in range(n):
        window = ids[-lm.cfg["n_ctx"]:]
        logits = lm(torch.tensor([window]))[0, -1]
        nxt = int(torch.argmax(logits))
        out.append(nxt)
        ids.append(nxt)
        if nxt == tok_lib.EOT:
            break
    return out


@torch.no_grad()
def golden(lm, sae, sae_cfg, tok, prompts, tag):
    layer = sae_cfg["hook_layer"]
    entries = []
    for text in prompts:
        ids = tok.encode(text)[: lm.cfg["n_ctx"]]
        T = len(ids)
        positions = sorted({0, T // 2, T - 1})
        x = torch.tensor([ids])
        logits, resid = lm(x, return_resid=True)
        h = resid[layer][0]
        acts = sae.encode(h)
        tops = []
        for p in positions:
            nz = [(float(acts[p, i]), int(i)) for i in torch.nonzero(acts[p] > 0).flatten().tolist()]
            nz.sort(key=lambda t: -t[0])
            tops.append([{"index": i, "value": v} for v, i in nz])
        entries.append({"text": text, "ids": ids, "positions": positions,
                        "logits": [logits[0, p].tolist() for p in positions],
                        "resid": [h[p].tolist() for p in positions],
                        "saeTop": tops,
                        "greedy": greedy(lm, ids, GREEDY_TOKENS)})
    return {"model_dir": tag, "hook_name": sae_cfg["hook_name"], "hook_layer": layer, "prompts": entries}


def write_golden(weights, tag="weights"):
    lm, _ = sae_lib.load_lm(weights)
    sae, cfg = sae_lib.TopKSAE.load(os.path.join(weights, "sae"))
    sae.eval()
    tok = tok_lib.Tokenizer.load(os.path.join(weights, "tokenizer.json"))
    data = golden(lm, sae, cfg, tok, PROMPTS if tag == "weights" else FIXTURE_PROMPTS, tag)
    with open(os.path.join(weights, "golden.json"), "w") as handle:
        json.dump(data, handle)
    return data


def make_fixture(out, tokenizer_path, seed=7):
    torch.manual_seed(seed)
    cfg = {"vocab_size": 2048, "n_layer": 2, "n_head": 2, "d_model": 32, "n_ctx": 32, "layer_norm_eps": 1e-5,
           "seed": seed, "note": "random-weight test fixture made by training/tiny/golden.py; not trained"}
    lm = model_lib.GPT(cfg)
    with torch.no_grad():
        for name, p in lm.named_parameters():
            if name.startswith("ln") or ".ln_" in name:
                p.copy_((1.0 if name.endswith("weight") else 0.0) + 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    os.makedirs(os.path.join(out, "sae"), exist_ok=True)
    lm.save(os.path.join(out, "model.safetensors"), {"format": "pt", "model_name": "streamconsole-tiny-fixture"})
    with open(os.path.join(out, "config.json"), "w") as handle:
        json.dump(cfg, handle, indent=2)
    shutil.copyfile(tokenizer_path, os.path.join(out, "tokenizer.json"))
    sae = sae_lib.TopKSAE(32, 64, 8)
    with torch.no_grad():
        sae.W_enc.copy_(0.5 * torch.randn(32, 64))
        sae.b_enc.copy_(0.1 * torch.randn(64))
        sae.b_dec.copy_(0.1 * torch.randn(32))
    sae.save(os.path.join(out, "sae"), sae_lib.sae_cfg(32, 64, 8, 1, 32, {"note": "random fixture SAE"}))
    tok = tok_lib.Tokenizer.load(tokenizer_path)
    promoted = (sae.W_dec @ lm.wte.weight.t()).detach()
    feats = []
    for i in range(64):
        top = [tok.decode([int(t)]) for t in promoted[i].topk(5).indices]
        feats.append({"index": i, "label": " / ".join(s.strip() or repr(s) for s in top[:3]), "density": 0.0,
                      "topTokens": [], "promotedTokens": top, "topContexts": [], "dead": False})
    with open(os.path.join(out, "features.json"), "w") as handle:
        json.dump({"hook_name": "blocks.1.hook_resid_post", "d_sae": 64, "features": feats}, handle, indent=1)
    write_golden(out, tag="fixtures")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=None)
    ap.add_argument("--fixture", default=None)
    ap.add_argument("--tokenizer", default=os.path.join(ROOT, "lib", "local", "tiny", "weights", "tokenizer.json"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.fixture:
        make_fixture(args.fixture, args.tokenizer)
        print(f"wrote fixture {args.fixture}")
    if args.weights:
        write_golden(args.weights)
        print(f"wrote {os.path.join(args.weights, 'golden.json')}")
