"""The tiny GPT (GPT-2 style, pre-LayerNorm, tied embeddings) as a torch module.

Parameter names equal the safetensors names of /work/tiny-spec.md (wte.weight, h.{i}.attn.c_attn.weight,
...), so state_dict() can be written as is. forward() can return the residual after each block
(hook blocks.{i}.hook_resid_post) and can apply a function to one block's output (SAE splicing).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import safetensors_io

ARCH_KEYS = ("vocab_size", "n_layer", "n_head", "d_model", "n_ctx", "layer_norm_eps")


class Attention(nn.Module):
    def __init__(self, d, n_head):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        hd = D // self.n_head
        q, k, v = self.c_attn(x).split(D, dim=2)
        q = q.view(B, T, self.n_head, hd).transpose(1, 2)
        k = k.view(B, T, self.n_head, hd).transpose(1, 2)
        v = v.view(B, T, self.n_head, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, D)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.c_fc = nn.Linear(d, 4 * d)
        self.c_proj = nn.Linear(4 * d, d)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, d, n_head, eps):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.attn = Attention(d, n_head)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.mlp = MLP(d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = {k: cfg[k] for k in ARCH_KEYS}
        d = cfg["d_model"]
        self.wte = nn.Embedding(cfg["vocab_size"], d)
        self.wpe = nn.Embedding(cfg["n_ctx"], d)
        self.h = nn.ModuleList([Block(d, cfg["n_head"], cfg["layer_norm_eps"]) for _ in range(cfg["n_layer"])])
        self.ln_f = nn.LayerNorm(d, eps=cfg["layer_norm_eps"])
        self.apply(self._init)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg["n_layer"]))

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, mean=0.0, std=0.02)

    def forward(self, ids, return_resid=False, hook_layer=None, hook_fn=None, stop_at=None):
        """ids [B,T] -> logits [B,T,V] (or the hook residual when stop_at is a layer index).
        hook_fn(x) replaces the residual after block hook_layer. return_resid adds a list of residuals."""
        T = ids.shape[1]
        pos = torch.arange(T, device=ids.device)
        x = self.wte(ids) + self.wpe(pos)[None]
        resid = []
        for i, block in enumerate(self.h):
            x = block(x)
            if hook_fn is not None and i == hook_layer:
                x = hook_fn(x)
            if stop_at == i:
                return x
            resid.append(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return (logits, resid) if return_resid else logits

    def save(self, path, metadata=None):
        tensors = {k: v.detach().cpu().float().numpy() for k, v in self.state_dict().items()}
        safetensors_io.write(path, tensors, metadata)

    @classmethod
    def load(cls, path, cfg):
        model = cls(cfg)
        tensors, _ = safetensors_io.read(path)
        model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)
        return model
