"""Reads and writes float32 safetensors files by hand (no safetensors package is installed).

Layout: 8-byte little-endian u64 header length N, N bytes of JSON header (padded with spaces to a
multiple of 8) mapping each name to dtype/shape/data_offsets (relative to the end of the header),
then the raw little-endian row-major data. Named safetensors_io so it cannot shadow a real
`safetensors` package on sys.path.
"""
import json
import struct

import numpy as np


def write(path, tensors, metadata=None):
    """tensors: {name: array-like float32}; written in the given order."""
    header = {}
    blobs = []
    offset = 0
    for name, value in tensors.items():
        arr = np.ascontiguousarray(np.asarray(value, dtype="<f4"))
        data = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((-len(raw)) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(raw)))
        handle.write(raw)
        for data in blobs:
            handle.write(data)


def read(path):
    """Returns ({name: np.ndarray float32}, metadata dict)."""
    with open(path, "rb") as handle:
        blob = handle.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", info
        s, e = info["data_offsets"]
        out[name] = np.frombuffer(blob[base + s:base + e], dtype="<f4").reshape(info["shape"]).copy()
    return out, meta
