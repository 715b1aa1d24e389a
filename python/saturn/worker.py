"""Saturn render worker: draws ARC grids as PNG images and reports Saturn's steps.

Spoken to over NDJSON by `lib/producers/saturn/bridge.ts`, which starts one
`python3 -I python/saturn/worker.py` per run with the environment

  SATURN_CORR_ID     the run id; every envelope's `corrId`
  SATURN_IMAGE_DIR   where PNG files go (created if missing)

Protocol: request/response, one JSON object per line each way (UTF-8).

  stdin, commands:
    {"op": "render", "request": "r1", "phase": "pair-1", "step": 1, "total": 5,
     "message": "Looking at the first training pair",
     "images": [{"kind": "grid",    "label": str, "grid": Grid},
                {"kind": "pair",    "label": str, "input": Grid, "output": Grid},
                {"kind": "diff",    "label": str, "a": Grid, "b": Grid},
                {"kind": "compare", "label": str, "predicted": Grid, "expected": Grid | null}]}
    {"op": "done", "request": "r9", "predictions": [Grid | null], "correct": [bool | null],
     "solved": bool}

  stdout, EventEnvelope v1 lines (`lib/protocol/envelope.ts`), each validated against
  `lib/protocol/envelope.schema.json` before it is written, `seq` 1, 2, 3, ... per run:
    render -> `saturn.step`, one `saturn.image` per image (in order), then
              `status {state: "waiting", code: "ready:<request>"}`: the request is complete.
    done   -> `saturn.done`, then exit 0.
    EOF    -> exit 0.
    A command that is not valid -> `error {code: "saturn:bad_command"}`, exit 2.
    Any other failure           -> `error {code: "saturn:internal"}`, exit 1 (traceback on stderr).

Images are content-addressed: `<sha256 of the PNG>.png` in SATURN_IMAGE_DIR, written to a temp
file and hard-linked into place (never overwriting an existing file; an existing file of the
same name must hold the same bytes), served as `/api/images/<sha256>.png`. Rendering is
deterministic, so the same grids always give the same file.

Standard library only: PNG through zlib + struct, a 5x7 bitmap font for captions, and a small
JSON Schema validator for the subset of draft 2020-12 the exported envelope schema uses.
"""

import functools
import hashlib
import json
import math
import os
import re
import struct
import sys
import tempfile
import time
import traceback
import uuid
import zlib

SCHEMA_PATH = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "protocol", "envelope.schema.json"
)

MAX_COMMAND_BYTES = 4 * 1024 * 1024
MAX_GRID_SIDE = 30
MAX_IMAGES_PER_REQUEST = 16
MAX_CANVAS_SIDE = 4096

# ---------------------------------------------------------------------------------------------
# JSON Schema (the subset `lib/protocol/envelope.schema.json` uses, plus a few neighbours).


class SchemaError(Exception):
    """The schema itself uses a keyword this validator does not implement."""


# Keywords that only annotate: ignored, as the spec says validators may.
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "format"}
)
ASSERTIONS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "enum",
        "const",
        "items",
        "anyOf",
        "oneOf",
        "allOf",
        "not",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "pattern",
    }
)


def check_schema(schema, path="#"):
    """Raise SchemaError if `schema` (recursively) uses a keyword outside the supported subset.

    Failing closed: a schema regenerated with a new keyword must not be half-checked silently.
    """
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise SchemaError(f"{path}: a schema must be an object or a boolean")
    for key, sub in schema.items():
        if key in ANNOTATIONS:
            continue
        if key not in ASSERTIONS:
            raise SchemaError(f"{path}: unsupported keyword {key!r}")
        if key == "properties":
            for name, prop in sub.items():
                check_schema(prop, f"{path}/properties/{name}")
        elif key in ("items", "additionalProperties", "not"):
            check_schema(sub, f"{path}/{key}")
        elif key in ("anyOf", "oneOf", "allOf"):
            for i, branch in enumerate(sub):
                check_schema(branch, f"{path}/{key}/{i}")
        elif key == "pattern":
            re.compile(sub)


def _is_number(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def _type_matches(expected, value):
    if expected == "object":
        return isinstance(value, dict)
    if expected == "array":
        return isinstance(value, list)
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "null":
        return value is None
    if expected == "number":
        return _is_number(value)
    if expected == "integer":
        return _is_number(value) and (isinstance(value, int) or value.is_integer())
    raise SchemaError(f"unknown type {expected!r}")


def _json_equal(a, b):
    # JSON equality: 1 == 1.0, but true != 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def schema_errors(schema, value, path="$"):
    """Every way `value` fails `schema`, as `path: message` strings (empty when valid)."""
    if schema is True:
        return []
    if schema is False:
        return [f"{path}: no value is allowed here"]
    errors = []
    expected = schema.get("type")
    if expected is not None:
        types = expected if isinstance(expected, list) else [expected]
        if not any(_type_matches(t, value) for t in types):
            return [f"{path}: expected {' or '.join(types)}, got {_describe(value)}"]
    if "const" in schema and not _json_equal(schema["const"], value):
        errors.append(f"{path}: must be {json.dumps(schema['const'])}")
    if "enum" in schema and not any(_json_equal(option, value) for option in schema["enum"]):
        errors.append(f"{path}: must be one of {json.dumps(schema['enum'])}")
    if _is_number(value):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: must be >= {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: must be <= {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            errors.append(f"{path}: must be > {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            errors.append(f"{path}: must be < {schema['exclusiveMaximum']}")
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{path}: must be at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{path}: must be at most {schema['maxLength']} characters")
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            errors.append(f"{path}: must match {schema['pattern']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{path}: must have at least {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{path}: must have at most {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                errors.extend(schema_errors(schema["items"], item, f"{path}[{i}]"))
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}: missing required property {name!r}")
        for name, item in value.items():
            if name in properties:
                errors.extend(schema_errors(properties[name], item, f"{path}.{name}"))
            elif "additionalProperties" in schema:
                errors.extend(schema_errors(schema["additionalProperties"], item, f"{path}.{name}"))
    if "allOf" in schema:
        for branch in schema["allOf"]:
            errors.extend(schema_errors(branch, value, path))
    if "not" in schema and not schema_errors(schema["not"], value, path):
        errors.append(f"{path}: must not match the schema under 'not'")
    for key in ("anyOf", "oneOf"):
        if key not in schema:
            continue
        results = [schema_errors(branch, value, path) for branch in schema[key]]
        matched = sum(1 for r in results if not r)
        if key == "oneOf" and matched > 1:
            errors.append(f"{path}: matches {matched} schemas of oneOf, expected exactly one")
        elif matched == 0:
            errors.append(f"{path}: matches no schema of {key}; closest: {'; '.join(_closest(results))}")
    return errors


def _closest(results):
    """The failures of the branch that got furthest: its errors sit deepest (e.g. the branch whose
    `type` const matched fails inside `data`), ties broken by fewer errors."""

    def depth(errors):
        return max(e.split(":", 1)[0].count(".") + e.split(":", 1)[0].count("[") for e in errors)

    best = max(results, key=lambda errors: (depth(errors), -len(errors)))
    return best[:3]


def _describe(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def load_schema(path=SCHEMA_PATH):
    with open(path, "r", encoding="utf-8") as f:
        schema = json.load(f)
    check_schema(schema)
    return schema


# ---------------------------------------------------------------------------------------------
# PNG encoding (zlib + struct).


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def encode_png(width, height, rgb):
    """An 8-bit RGB PNG of `rgb` (width*height*3 bytes, rows top to bottom). Deterministic.

    A row equal to the one above it (most rows: every cell is many identical scanlines) is
    written with filter Up, i.e. as zeros; the others unfiltered. That makes zlib level 3 both
    fast (~2 ms for a 700x400 image) and about as small as level 6 on raw rows.
    """
    if len(rgb) != width * height * 3:
        raise ValueError("pixel buffer does not match the image size")
    stride = width * 3
    same = b"\x02" + bytes(stride)
    parts, previous = [], None
    for y in range(height):
        row = bytes(rgb[y * stride : (y + 1) * stride])
        parts.append(same if row == previous else b"\x00" + row)
        previous = row
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"IDAT", zlib.compress(b"".join(parts), 3)),
            _chunk(b"IEND", b""),
        )
    )


# ---------------------------------------------------------------------------------------------
# Drawing.

PALETTE = [
    (0x00, 0x00, 0x00),  # 0 black
    (0x00, 0x74, 0xD9),  # 1 blue
    (0xFF, 0x41, 0x36),  # 2 red
    (0x2E, 0xCC, 0x40),  # 3 green
    (0xFF, 0xDC, 0x00),  # 4 yellow
    (0xAA, 0xAA, 0xAA),  # 5 grey
    (0xF0, 0x12, 0xBE),  # 6 magenta
    (0xFF, 0x85, 0x1B),  # 7 orange
    (0x7F, 0xDB, 0xFF),  # 8 azure
    (0x87, 0x0C, 0x25),  # 9 maroon
]
BACKGROUND = (0xF2, 0xF2, 0xF2)
GRID_LINE = (0x55, 0x55, 0x55)
INK = (0x22, 0x22, 0x22)
ALERT = (0xC6, 0x28, 0x28)
GOOD = (0x1B, 0x7F, 0x34)
MARK_OUTER = (0xFF, 0xFF, 0xFF)
MARK_INNER = (0x00, 0x00, 0x00)

PAD = 12
GAP = 56  # between two grids: room for the arrow or "VS"
TEXT_SCALE = 2
GLYPH_W, GLYPH_H = 5, 7
LINE_H = GLYPH_H * TEXT_SCALE
CAPTION_GAP = 8

# A 5x7 font: seven rows per glyph, five bits a row, the high bit leftmost.
FONT = {
    "A": (0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "B": (0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E),
    "C": (0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E),
    "D": (0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E),
    "E": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F),
    "F": (0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10),
    "G": (0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F),
    "H": (0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11),
    "I": (0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "J": (0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C),
    "K": (0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11),
    "L": (0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F),
    "M": (0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11),
    "N": (0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11),
    "O": (0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "P": (0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10),
    "Q": (0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D),
    "R": (0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11),
    "S": (0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E),
    "T": (0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04),
    "U": (0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E),
    "V": (0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04),
    "W": (0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A),
    "X": (0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11),
    "Y": (0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04),
    "Z": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F),
    "0": (0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E),
    "1": (0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E),
    "2": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F),
    "3": (0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E),
    "4": (0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02),
    "5": (0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E),
    "6": (0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E),
    "7": (0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08),
    "8": (0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E),
    "9": (0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C),
    " ": (0, 0, 0, 0, 0, 0, 0),
    "-": (0, 0, 0, 0x1F, 0, 0, 0),
    ">": (0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08),
    ":": (0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0),
    ".": (0, 0, 0, 0, 0, 0x0C, 0x0C),
    ",": (0, 0, 0, 0, 0x0C, 0x04, 0x08),
    "/": (0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10),
    "(": (0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02),
    ")": (0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08),
    "=": (0, 0, 0x1F, 0, 0x1F, 0, 0),
    "?": (0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04),
    "!": (0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04),
}


def text_width(text):
    return 0 if not text else len(text) * (GLYPH_W + 1) * TEXT_SCALE - TEXT_SCALE


class Canvas:
    """An RGB pixel buffer with the few primitives the renderings need."""

    def __init__(self, width, height, background=BACKGROUND):
        if not (0 < width <= MAX_CANVAS_SIDE and 0 < height <= MAX_CANVAS_SIDE):
            raise ValueError(f"canvas of {width}x{height} is out of bounds")
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(background) * (width * height))

    def fill(self, x, y, w, h, color):
        x0, y0 = max(x, 0), max(y, 0)
        x1, y1 = min(x + w, self.width), min(y + h, self.height)
        if x0 >= x1 or y0 >= y1:
            return
        row = bytes(color) * (x1 - x0)
        for yy in range(y0, y1):
            start = (yy * self.width + x0) * 3
            self.pixels[start : start + len(row)] = row

    def frame(self, x, y, w, h, thickness, color):
        self.fill(x, y, w, thickness, color)
        self.fill(x, y + h - thickness, w, thickness, color)
        self.fill(x, y, thickness, h, color)
        self.fill(x + w - thickness, y, thickness, h, color)

    def row(self, x, y, data):
        """Copy one scanline of pixels (bytes, 3 a pixel) to (x, y); it must fit."""
        start = (y * self.width + x) * 3
        if x < 0 or y < 0 or y >= self.height or x + len(data) // 3 > self.width:
            raise ValueError("scanline out of bounds")
        self.pixels[start : start + len(data)] = data

    def text(self, x, y, text, color=INK, background=BACKGROUND):
        """Draw `text` (upper-cased) over a plain background, one scanline at a time."""
        if not text:
            return
        s = TEXT_SCALE
        ink, bg = bytes(color) * s, bytes(background) * s
        glyphs = [FONT.get(ch, FONT["?"]) for ch in text.upper()]
        for r in range(GLYPH_H):
            line = bytearray()
            for i, rows in enumerate(glyphs):
                bits = rows[r]
                for c in range(GLYPH_W):
                    line += ink if bits & (0x10 >> c) else bg
                if i < len(glyphs) - 1:
                    line += bg
            for k in range(s):
                self.row(x, y + r * s + k, line)

    def png(self):
        return encode_png(self.width, self.height, self.pixels)


def cell_size(*grids):
    """Pixels per cell: large for small grids, down to 8 for 30x30 (every grid of an image alike)."""
    side = max(max(len(g), len(g[0])) for g in grids if g is not None)
    return max(8, min(32, 320 // side))


def grid_extent(grid, cell):
    """(width, height) in pixels of a grid drawn with 1-pixel lines between and around cells."""
    rows, cols = len(grid), len(grid[0])
    return cols * (cell + 1) + 1, rows * (cell + 1) + 1


def blend(color, toward, amount):
    return tuple(round(c + (t - c) * amount) for c, t in zip(color, toward))


def draw_grid(canvas, x, y, grid, cell, style=None):
    """Draw `grid` at (x, y). `style(r, c)` may return 'dim', 'frame' or 'mark' for a cell.

    Scanline by scanline: each cell is a tile of `cell` rows, a grid row is the tiles' rows
    joined with 1-pixel lines, so a 30x30 grid is ~300 row copies rather than 900 rectangles.
    """
    width, _ = grid_extent(grid, cell)
    line = bytes(GRID_LINE)
    line_row = line * width
    for r, values in enumerate(grid):
        top = y + r * (cell + 1)
        canvas.row(x, top, line_row)
        tiles = [cell_tile(value, style(r, c) if style else None, cell) for c, value in enumerate(values)]
        for k in range(cell):
            canvas.row(x, top + 1 + k, line + line.join(tile[k] for tile in tiles) + line)
    canvas.row(x, y + len(grid) * (cell + 1), line_row)


@functools.lru_cache(maxsize=512)
def cell_tile(value, how, cell):
    """The scanlines of one cell of colour `value`, plain or styled ('dim', 'frame', 'mark')."""
    color = PALETTE[value]
    if how == "dim":
        color = blend(color, BACKGROUND, 0.7)
    tile = Canvas(cell, cell, background=color)
    if how == "frame":
        frame_cell(tile, 0, 0, cell)
    elif how == "mark":
        mark_cell(tile, 0, 0, cell)
    stride = cell * 3
    return tuple(bytes(tile.pixels[k * stride : (k + 1) * stride]) for k in range(cell))


def frame_cell(canvas, x, y, cell):
    """A white frame with a black inner line: visible on every palette colour."""
    t = max(1, cell // 10)
    canvas.frame(x, y, cell, cell, t, MARK_OUTER)
    canvas.frame(x + t, y + t, cell - 2 * t, cell - 2 * t, max(1, t // 2), MARK_INNER)


def mark_cell(canvas, x, y, cell):
    """A framed cell with an X across it: a wrong cell."""
    frame_cell(canvas, x, y, cell)
    t = max(1, cell // 10)
    inset = 2 * t
    span = cell - 2 * inset
    for i in range(span):
        for px in (x + inset + i, x + inset + span - 1 - i):
            canvas.fill(px - t // 2, y + inset + i - t // 2, t + 1, t + 1, MARK_OUTER)
    for i in range(span):
        for px in (x + inset + i, x + inset + span - 1 - i):
            canvas.fill(px, y + inset + i, max(1, t // 2), max(1, t // 2), MARK_INNER)


def draw_arrow(canvas, x, y, width, color=INK):
    """A right-pointing arrow centred on row y, spanning `width` pixels from x."""
    head = 10
    shaft = width - head
    canvas.fill(x, y - 2, shaft, 4, color)
    for i in range(head):
        half = head - i
        canvas.fill(x + shaft + i, y - half, 1, 2 * half, color)


def dims(grid):
    return f"{len(grid)}X{len(grid[0])}"


def layout(panels, headline=None, headline_color=INK, between=None):
    """Draw panels side by side, each `(caption, grid, style)`, under an optional headline.

    `between` is 'arrow', 'vs' or None: what sits in the gap between neighbouring panels.
    Returns a Canvas.
    """
    cell = cell_size(*[p[1] for p in panels])
    extents = [grid_extent(p[1], cell) for p in panels]
    widths = [max(w, text_width(p[0])) for p, (w, _) in zip(panels, extents)]
    gap = GAP if between else PAD * 2
    content_w = sum(widths) + gap * (len(panels) - 1)
    top = PAD + (LINE_H + CAPTION_GAP if headline else 0)
    grids_top = top + LINE_H + CAPTION_GAP
    max_grid_h = max(h for _, h in extents)
    width = PAD * 2 + max(content_w, text_width(headline or ""))
    height = grids_top + max_grid_h + PAD
    canvas = Canvas(width, height)
    if headline:
        canvas.text(PAD, PAD, headline, headline_color)
    x = PAD
    for i, ((caption, grid, style), (gw, gh), w) in enumerate(zip(panels, extents, widths)):
        canvas.text(x, top, caption)
        draw_grid(canvas, x, grids_top, grid, cell, style)
        x += w
        if i < len(panels) - 1:
            mid_y = grids_top + max_grid_h // 2
            if between == "arrow":
                draw_arrow(canvas, x + 12, mid_y, gap - 24)
            elif between == "vs":
                canvas.text(x + (gap - text_width("VS")) // 2, mid_y - LINE_H // 2, "VS", ALERT)
            x += gap
    return canvas


def render_grid(grid):
    return layout([(dims(grid), grid, None)])


def render_pair(inp, out):
    return layout([(f"INPUT {dims(inp)}", inp, None), (f"OUTPUT {dims(out)}", out, None)], between="arrow")


def render_diff(a, b):
    """Same shape: b's cells, unchanged ones dimmed and changed ones framed. Else: a shape banner."""
    if len(a) != len(b) or len(a[0]) != len(b[0]):
        return layout(
            [(f"BEFORE {dims(a)}", a, None), (f"AFTER {dims(b)}", b, None)],
            headline=f"SHAPE CHANGED: {dims(a)} -> {dims(b)}",
            headline_color=ALERT,
            between="vs",
        )
    changed = {(r, c) for r, row in enumerate(a) for c, v in enumerate(row) if b[r][c] != v}
    total = len(a) * len(a[0])
    style = lambda r, c: "frame" if (r, c) in changed else "dim"  # noqa: E731
    headline = "NOTHING CHANGED" if not changed else f"{len(changed)} OF {total} CELLS CHANGED"
    return layout([("FRAMED: CHANGED (NEW COLOUR)", b, style)], headline=headline, headline_color=INK if changed else GOOD)


def render_compare(predicted, expected):
    """Prediction beside the answer; wrong cells of the prediction crossed out."""
    if expected is None:
        return layout([(f"PREDICTION {dims(predicted)}", predicted, None)], headline="ANSWER UNKNOWN")
    if len(predicted) != len(expected) or len(predicted[0]) != len(expected[0]):
        return layout(
            [(f"PREDICTION {dims(predicted)}", predicted, None), (f"ANSWER {dims(expected)}", expected, None)],
            headline=f"WRONG SHAPE: {dims(predicted)} VS {dims(expected)}",
            headline_color=ALERT,
            between="vs",
        )
    wrong = {(r, c) for r, row in enumerate(predicted) for c, v in enumerate(row) if expected[r][c] != v}
    style = lambda r, c: "mark" if (r, c) in wrong else None  # noqa: E731
    if wrong:
        headline, color = f"{len(wrong)} WRONG CELL{'S' if len(wrong) != 1 else ''}", ALERT
    else:
        headline, color = "CORRECT", GOOD
    return layout(
        [(f"PREDICTION {dims(predicted)}", predicted, style), (f"ANSWER {dims(expected)}", expected, None)],
        headline=headline,
        headline_color=color,
        between="vs",
    )


def render_image(spec):
    """The Canvas of one image spec of a render command."""
    kind = spec["kind"]
    if kind == "grid":
        return render_grid(spec["grid"])
    if kind == "pair":
        return render_pair(spec["input"], spec["output"])
    if kind == "diff":
        return render_diff(spec["a"], spec["b"])
    if kind == "compare":
        return render_compare(spec["predicted"], spec.get("expected"))
    raise CommandError(f"unknown image kind {kind!r}")


# ---------------------------------------------------------------------------------------------
# Content-addressed image store.

IMAGE_NAME = re.compile(r"^[0-9a-f]{64}\.png$")


def store_image(directory, data):
    """Write `data` as `<sha256>.png` in `directory`, atomically; returns the file name.

    The file appears whole or not at all (temp file, then a hard link, which never replaces an
    existing file). An existing file of that name must already hold these bytes.
    """
    name = hashlib.sha256(data).hexdigest() + ".png"
    final = os.path.join(directory, name)
    if os.path.exists(final):
        _check_same(final, data)
        return name
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".png", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, final)
        except FileExistsError:
            _check_same(final, data)  # another worker wrote the same image meanwhile
        except OSError:
            # A filesystem without hard links: rename, which could replace a concurrent
            # writer's file, but that file holds the same bytes (the name is their hash).
            if os.path.exists(final):
                _check_same(final, data)
            else:
                os.replace(tmp, final)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return name


def _check_same(path, data):
    with open(path, "rb") as f:
        existing = f.read(len(data) + 1)
    if existing != data:
        raise RuntimeError(f"{os.path.basename(path)} exists with different content; not overwriting it")


# ---------------------------------------------------------------------------------------------
# Commands.


class CommandError(Exception):
    """A command that is not valid JSON or does not match the protocol."""


GRID_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "maxItems": MAX_GRID_SIDE,
    "items": {
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_GRID_SIDE,
        "items": {"type": "integer", "minimum": 0, "maximum": 9},
    },
}
LABEL = {"type": "string", "minLength": 1, "maxLength": 200}
REQUEST_ID = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"}

COMMAND_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "properties": {
                "op": {"const": "render"},
                "request": REQUEST_ID,
                "phase": {"type": "string", "minLength": 1, "maxLength": 64},
                "step": {"type": "integer", "minimum": 0, "maximum": 10000},
                "total": {"type": "integer", "minimum": 1, "maximum": 10000},
                "message": {"type": "string", "maxLength": 2000},
                "images": {
                    "type": "array",
                    "maxItems": MAX_IMAGES_PER_REQUEST,
                    "items": {
                        "oneOf": [
                            {
                                "type": "object",
                                "properties": {"kind": {"const": "grid"}, "label": LABEL, "grid": GRID_SCHEMA},
                                "required": ["kind", "label", "grid"],
                            },
                            {
                                "type": "object",
                                "properties": {"kind": {"const": "pair"}, "label": LABEL, "input": GRID_SCHEMA, "output": GRID_SCHEMA},
                                "required": ["kind", "label", "input", "output"],
                            },
                            {
                                "type": "object",
                                "properties": {"kind": {"const": "diff"}, "label": LABEL, "a": GRID_SCHEMA, "b": GRID_SCHEMA},
                                "required": ["kind", "label", "a", "b"],
                            },
                            {
                                "type": "object",
                                "properties": {
                                    "kind": {"const": "compare"},
                                    "label": LABEL,
                                    "predicted": GRID_SCHEMA,
                                    "expected": {"anyOf": [GRID_SCHEMA, {"type": "null"}]},
                                },
                                "required": ["kind", "label", "predicted"],
                            },
                        ]
                    },
                },
            },
            "required": ["op", "request", "phase", "step", "message", "images"],
        },
        {
            "type": "object",
            "properties": {
                "op": {"const": "done"},
                "request": REQUEST_ID,
                "predictions": {"type": "array", "maxItems": 64, "items": {"anyOf": [GRID_SCHEMA, {"type": "null"}]}},
                "correct": {"type": "array", "maxItems": 64, "items": {"type": ["boolean", "null"]}},
                "solved": {"type": "boolean"},
            },
            "required": ["op", "request", "predictions", "correct", "solved"],
        },
    ]
}
check_schema(COMMAND_SCHEMA)

GRID_FIELDS = {"grid": ("grid",), "pair": ("input", "output"), "diff": ("a", "b"), "compare": ("predicted", "expected")}


def parse_command(line):
    """Decode and validate one command line (bytes). Raises CommandError."""
    try:
        command = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CommandError(f"the command is not valid UTF-8 JSON: {e}") from None
    if not isinstance(command, dict) or command.get("op") not in ("render", "done"):
        raise CommandError(f"unknown op {command.get('op') if isinstance(command, dict) else None!r}")
    errors = schema_errors(COMMAND_SCHEMA, command)
    if errors:
        raise CommandError("; ".join(errors[:3]))
    grids = []
    if command["op"] == "render":
        for i, spec in enumerate(command["images"]):
            grids += [(f"images[{i}].{f}", spec.get(f)) for f in GRID_FIELDS[spec["kind"]]]
    else:
        grids += [(f"predictions[{i}]", g) for i, g in enumerate(command["predictions"])]
    for where, grid in grids:
        if grid is not None and any(len(row) != len(grid[0]) for row in grid):
            raise CommandError(f"{where}: every row of a grid must have the same length")
    return command


# ---------------------------------------------------------------------------------------------
# Envelopes.


class Emitter:
    """Writes EventEnvelope v1 lines, each validated against the exported schema first."""

    def __init__(self, corr_id, schema, out):
        self.corr_id = corr_id
        self.schema = schema
        self.out = out
        self.seq = 0

    def envelope(self, type_, data):
        return {
            "v": "1",
            "id": str(uuid.uuid4()),
            "type": type_,
            "seq": self.seq + 1,
            "ts": int(time.time() * 1000),
            "corrId": self.corr_id,
            "data": data,
        }

    def emit(self, type_, data):
        envelope = self.envelope(type_, data)
        errors = schema_errors(self.schema, envelope) if self.schema is not None else []
        if errors:
            raise ValueError(f"refusing to write an invalid {type_} envelope: {'; '.join(errors[:3])}")
        line = json.dumps(envelope, ensure_ascii=True, allow_nan=False, separators=(",", ":")) + "\n"
        self.out.write(line.encode("ascii"))
        self.out.flush()
        self.seq += 1
        return envelope


def handle_render(command, emitter, image_dir):
    step = {"message": command["message"], "step": command["step"], "phase": command["phase"]}
    if "total" in command:
        step["total"] = command["total"]
    emitter.emit("saturn.step", step)
    for spec in command["images"]:
        canvas = render_image(spec)
        name = store_image(image_dir, canvas.png())
        emitter.emit(
            "saturn.image",
            {"label": spec["label"], "url": f"/api/images/{name}", "width": canvas.width, "height": canvas.height, "phase": command["phase"]},
        )
    emitter.emit("status", {"state": "waiting", "code": f"ready:{command['request']}"})


def handle_done(command, emitter):
    emitter.emit("saturn.done", {"predictions": command["predictions"], "correct": command["correct"], "solved": command["solved"]})


def read_commands(stream, limit=MAX_COMMAND_BYTES):
    """Yield each non-blank line of `stream` (bytes, without the newline); bounded per line."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            raise CommandError(f"a command is longer than {limit} bytes")
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield line


def serve(stdin, stdout, corr_id, image_dir, schema):
    """Run the command loop. Returns the exit status."""
    emitter = Emitter(corr_id, schema, stdout)
    try:
        os.makedirs(image_dir, exist_ok=True)
        for line in read_commands(stdin):
            command = parse_command(line)
            if command["op"] == "render":
                handle_render(command, emitter, image_dir)
            else:
                handle_done(command, emitter)
                return 0
        return 0
    except CommandError as e:
        return fail(emitter, "saturn:bad_command", f"The Saturn worker received an invalid command: {e}", 2)
    except BrokenPipeError:
        return 1  # the reader is gone: nobody to tell
    except Exception as e:  # noqa: BLE001 - the protocol's catch-all
        traceback.print_exc(file=sys.stderr)
        return fail(emitter, "saturn:internal", f"The Saturn worker failed: {type(e).__name__}: {e}", 1)


def fail(emitter, code, message, status):
    print(message, file=sys.stderr)
    try:
        emitter.emit("error", {"code": code, "message": message[:2000]})
    except Exception:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
    return status


def main():
    corr_id = os.environ.get("SATURN_CORR_ID", "")
    image_dir = os.environ.get("SATURN_IMAGE_DIR", "")
    if not corr_id or not image_dir:
        print("saturn worker: SATURN_CORR_ID and SATURN_IMAGE_DIR must be set", file=sys.stderr)
        return 2
    try:
        schema = load_schema()
    except Exception as e:  # noqa: BLE001
        # Without the schema nothing can be checked; the error envelope goes out unchecked.
        return fail(Emitter(corr_id, None, sys.stdout.buffer), "saturn:internal", f"The Saturn worker cannot load the envelope schema: {e}", 1)
    return serve(sys.stdin.buffer, sys.stdout.buffer, corr_id, image_dir, schema)


if __name__ == "__main__":
    sys.exit(main())
