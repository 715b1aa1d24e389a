"""Writes the SAE's fixed 2-D plane for the /steer page's trajectory: sae/projection.safetensors.

Usage: /usr/bin/python3 training/tiny/projection.py --weights lib/local/tiny/weights [--tokens 131072]
The plane is spanned by the first two principal components of the SAE's activations (after TopK)
over held-out tokens (corpus.py's validation split, cached by train.py). Fixed once here, so a
token's point never moves as later tokens arrive, and the same text lands in the same place in
every run. Tensors: `mean [d_sae]` (the activations' mean) and `components [2, d_sae]` (unit
rows); a point is components @ (activations - mean). The metadata records the share of variance
each component explains.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sae as sae_lib  # noqa: E402
import safetensors_io  # noqa: E402


@torch.no_grad()
def main(argv=None):
    args = sae_lib.held_out_args(argv, os.path.dirname(os.path.abspath(__file__)))
    torch.manual_seed(0)
    lm, cfg, sae, scfg = sae_lib.load_trained(args.weights)
    layer = scfg["hook_layer"]
    ids = sae_lib.held_out_windows(args.data_dir, cfg["n_ctx"], args.tokens)
    n_win = ids.shape[0]
    acts = torch.cat([sae.encode(lm(ids[w:w + 16], stop_at=layer)).reshape(-1, scfg["d_sae"]) for w in range(0, n_win, 16)])
    mean = acts.mean(0)
    centred = acts - mean
    # The top right-singular vectors of the centred activations are the principal directions.
    _, s, v = torch.linalg.svd(centred, full_matrices=False)
    components = v[:2].contiguous()
    # A fixed orientation: each component points the way its largest-magnitude entry is positive.
    for c in range(2):
        if components[c, components[c].abs().argmax()] < 0:
            components[c] = -components[c]
    total = float((s ** 2).sum())
    explained = [round(float(s[c] ** 2) / total, 4) for c in range(2)]
    out = os.path.join(args.weights, "sae", "projection.safetensors")
    safetensors_io.write(out, {"mean": mean.numpy().astype(np.float32), "components": components.numpy().astype(np.float32)},
                         {"explained_variance": json.dumps(explained), "tokens": str(acts.shape[0])})
    print(f"wrote {out}: PC1 and PC2 explain {explained[0]:.1%} and {explained[1]:.1%} of the variance over {acts.shape[0]} tokens")


if __name__ == "__main__":
    main()
