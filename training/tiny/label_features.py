"""Writes features.json: a description of every SAE feature, made automatically from held-out text.

Usage: /usr/bin/python3 training/tiny/label_features.py --weights lib/local/tiny/weights [--tokens 131072]
For each feature over the held-out tokens (corpus.py's validation split, cached by train.py):
  density        fraction of held-out tokens on which the feature is active (> 0 after TopK)
  topTokens      the tokens at its 100 largest activations, most frequent first (up to 8 distinct)
  topContexts    its 5 largest activations: the text of up to 16 tokens ending at the token, the token, the value
  promotedTokens the 8 tokens whose embeddings have the largest dot product with its decoder row (W_dec[i] @ wte^T)
  label          the top three distinct topTokens (whitespace trimmed) joined by " / ", with the top promoted
                 token after an arrow when it is not among them; "dead" for a feature that never fires
  dead           true when the feature never fires on the held-out tokens
"""
import json
import os
import sys
from collections import Counter

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sae as sae_lib  # noqa: E402
import tokenizer as tok_lib  # noqa: E402

TOP_N = 100


def show(s):
    t = s.strip()
    return t if t else repr(s)


@torch.no_grad()
def main(argv=None):
    args = sae_lib.held_out_args(argv, os.path.dirname(os.path.abspath(__file__)))
    torch.set_num_threads(1)
    lm, cfg, sae, scfg = sae_lib.load_trained(args.weights)
    tok = tok_lib.Tokenizer.load(os.path.join(args.weights, "tokenizer.json"))
    n_ctx, layer, d_sae = cfg["n_ctx"], scfg["hook_layer"], scfg["d_sae"]
    ids = sae_lib.held_out_windows(args.data_dir, n_ctx, args.tokens)
    n_win = ids.shape[0]
    fired = torch.zeros(d_sae)
    top_v = torch.full((d_sae, TOP_N), -1.0)
    top_i = torch.zeros((d_sae, TOP_N), dtype=torch.long)
    for w in range(0, n_win, 16):
        x = ids[w:w + 16]
        acts = sae.encode(lm(x, stop_at=layer)).reshape(-1, d_sae)  # [n, d_sae]
        fired += (acts > 0).sum(0)
        flat = torch.arange(w * n_ctx, w * n_ctx + acts.shape[0])
        k = min(TOP_N, acts.shape[0])
        v, i = acts.t().topk(k, dim=1)
        cat_v, cat_i = torch.cat([top_v, v], 1), torch.cat([top_i, flat[i]], 1)
        top_v, j = cat_v.topk(TOP_N, dim=1)
        top_i = cat_i.gather(1, j)
    flat_ids = ids.reshape(-1)
    n_tokens = flat_ids.numel()
    promoted = (sae.W_dec @ lm.wte.weight.t()).topk(8, dim=1).indices
    feats = []
    for f in range(d_sae):
        dead = bool(fired[f] == 0)
        entry = {"index": f, "density": round(float(fired[f]) / n_tokens, 6), "dead": dead,
                 "promotedTokens": [tok.decode([int(t)]) for t in promoted[f]]}
        if dead:
            entry.update({"label": "dead", "topTokens": [], "topContexts": []})
        else:
            live = [(float(v), int(p)) for v, p in zip(top_v[f], top_i[f]) if v > 0]
            counts = Counter(int(flat_ids[p]) for _, p in live)
            top_tokens = [tok.decode([t]) for t, _ in counts.most_common(8)]
            contexts = []
            for v, p in live[:5]:
                start = max(p - 15, (p // n_ctx) * n_ctx)
                contexts.append({"text": tok.decode(flat_ids[start:p + 1].tolist()),
                                 "token": tok.decode([int(flat_ids[p])]), "value": round(v, 4)})
            names = []
            for t in top_tokens:
                if show(t) not in names:
                    names.append(show(t))
                if len(names) == 3:
                    break
            label = " / ".join(names)
            if show(entry["promotedTokens"][0]) not in names:
                label += " → " + show(entry["promotedTokens"][0])
            entry.update({"label": label, "topTokens": top_tokens, "topContexts": contexts})
        feats.append({k: entry[k] for k in ("index", "label", "density", "topTokens", "promotedTokens", "topContexts", "dead")})
    out = {"hook_name": scfg["hook_name"], "d_sae": d_sae, "n_tokens": n_tokens, "features": feats}
    with open(os.path.join(args.weights, "features.json"), "w") as handle:
        json.dump(out, handle, indent=1, ensure_ascii=False)
    print(f"wrote features.json: {d_sae} features over {n_tokens} held-out tokens, {sum(f['dead'] for f in feats)} dead")


if __name__ == "__main__":
    main()
