"""Byte-level BPE for the tiny model: trainer, encoder, decoder (the contract is /work/tiny-spec.md).

Ids 0..255 are raw bytes; merge i creates id 256+i; id 2047 is <|endoftext|>. Text is split into
chunks by PATTERN over its UTF-8 bytes (ASCII classes only, so the same regex works in Python
bytes mode and in a JavaScript non-unicode regex over a latin1 string); BPE never crosses chunks.

Training counts chunk frequencies once, then merges the most frequent adjacent pair repeatedly,
updating pair counts incrementally from only the chunks that contain the merged pair.
Ties are broken by the pair's first appearance (dict order), which is deterministic.
"""
import json
import re
import sys
from collections import Counter, defaultdict

WS = r"[ \t\n\r\x0b\x0c]"
NWS = r"[^ \t\n\r\x0b\x0c]"
PATTERN = (r"( ?[A-Za-z]+| ?[0-9]{1,3}| ?[^ \t\n\r\x0b\x0cA-Za-z0-9]+|" + WS + r"+(?!" + NWS + r")|" + WS + r"+)")
VOCAB_SIZE = 2048
EOT = 2047
N_MERGES = VOCAB_SIZE - 256 - 1  # 1791

_RE = re.compile(PATTERN.encode("ascii"))


def chunks(data: bytes):
    return _RE.findall(data)


def merge_pair(ids, a, b, new_id):
    """`ids` with every non-overlapping (a, b), left to right, replaced by `new_id`."""
    out = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == a and ids[i + 1] == b:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def train(texts, n_merges=N_MERGES, log=print):
    freq = Counter()
    for t in texts:
        freq.update(chunks(t.encode("utf-8")))
    words = [list(w) for w in freq]
    counts = [freq[w] for w in freq]
    stats = defaultdict(int)
    where = defaultdict(set)
    for wi, w in enumerate(words):
        c = counts[wi]
        for p in zip(w, w[1:]):
            stats[p] += c
            where[p].add(wi)
    merges = []
    for m in range(n_merges):
        if not stats:
            break
        best = max(stats, key=stats.get)
        if stats[best] <= 0:
            break
        new_id = 256 + m
        merges.append(best)
        a, b = best
        for wi in list(where[best]):
            w = words[wi]
            c = counts[wi]
            for p in zip(w, w[1:]):
                stats[p] -= c
            out = merge_pair(w, a, b, new_id)
            words[wi] = out
            for p in zip(out, out[1:]):
                stats[p] += c
                where[p].add(wi)
        del stats[best]
        del where[best]
        if log and (m + 1) % 300 == 0:
            log(f"merge {m + 1}/{n_merges}")
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(p) for p in merges]
        self.rank = {p: i for i, p in enumerate(self.merges)}
        self.bytes = [bytes([i]) for i in range(256)]
        for a, b in self.merges:
            self.bytes.append(self.bytes[a] + self.bytes[b])
        self.bytes.append(b"<|endoftext|>")  # id 2047 when the full merge set is present
        self.eot = EOT
        self._cache = {}

    @classmethod
    def load(cls, path):
        with open(path, "r", encoding="utf-8") as handle:
            spec = json.load(handle)
        assert spec["type"] == "byte-bpe" and spec["pattern"] == PATTERN and spec["eot"] == EOT
        return cls(spec["merges"])

    def save(self, path):
        spec = {"version": 1, "type": "byte-bpe", "pattern": PATTERN,
                "merges": [list(p) for p in self.merges], "eot": EOT}
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(spec, handle)

    def encode_chunk(self, chunk: bytes):
        hit = self._cache.get(chunk)
        if hit is not None:
            return hit
        ids = list(chunk)
        while len(ids) > 1:
            best = None
            for p in zip(ids, ids[1:]):
                r = self.rank.get(p)
                if r is not None and (best is None or r < best):
                    best = r
            if best is None:
                break
            a, b = self.merges[best]
            ids = merge_pair(ids, a, b, 256 + best)
        if len(self._cache) < 500000:
            self._cache[chunk] = ids
        return ids

    def encode(self, text: str):
        out = []
        for c in chunks(text.encode("utf-8")):
            out.extend(self.encode_chunk(c))
        return out

    def token_bytes(self, i):
        return self.bytes[i]

    def decode(self, ids):
        return b"".join(self.bytes[i] for i in ids).decode("utf-8", errors="replace")


def self_test(tok, texts):
    samples = ["Call me Ishmael.  Some years ago—never mind how long\n\n\tprecisely 1790 12345!",
               "naïve café ☃ 😀 \r\n end   ", ""] + [t[:2000] for t in texts[:20]]
    for s in samples:
        ids = tok.encode(s)
        assert all(0 <= i < EOT for i in ids)
        assert tok.decode(ids) == s, repr(s[:80])
    return True


if __name__ == "__main__":
    import os
    import time
    sys.path.insert(0, os.path.dirname(__file__))
    import corpus
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(corpus.ROOT, "lib", "local", "tiny", "weights", "tokenizer.json")
    tr, _ = corpus.build()
    t0 = time.time()
    merges = train(tr)
    tok = Tokenizer(merges)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tok.save(out)
    self_test(Tokenizer.load(out), tr)
    print(f"trained {len(merges)} merges in {time.time() - t0:.1f}s -> {out}; round-trip self-test passed")
