"""Tests of the Saturn render worker: PNG encoding, the JSON Schema validator, the renderings,
the content-addressed store, then whole sessions in a subprocess the way
`lib/producers/saturn/bridge.ts` drives it.

Run: cd /work/main && python3 python/run_tests.py
"""

import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

from saturn import worker as w

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")
SCHEMA = w.load_schema()
UUID = "0b7e3c1a-1d2f-4c3b-9a8e-7f6d5c4b3a29"


def read_png(data):
    """Parse a PNG: check the signature and every chunk's CRC, decompress IDAT, unfilter.

    Returns (width, height, rows) with rows a list of bytes (RGB). Only what encode_png writes
    (8-bit RGB, no interlace, filter 0) is supported; anything else fails the test.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "bad signature"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        pos += 12 + length
    assert pos == len(data), "trailing bytes"
    kinds = [k for k, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND", kinds
    width, height, depth, color, comp, filt, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, color, comp, filt, interlace) == (8, 2, 0, 0, 0)
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    stride = width * 3 + 1
    assert len(raw) == stride * height
    rows, previous = [], bytes(width * 3)
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        kind, data = line[0], line[1:]
        if kind == 0:  # None
            row = data
        elif kind == 2:  # Up
            row = previous if not any(data) else bytes((a + b) & 0xFF for a, b in zip(data, previous))
        else:
            raise AssertionError(f"unexpected filter type {kind}")
        rows.append(row)
        previous = row
    return width, height, rows


def pixel(rows, x, y):
    return tuple(rows[y][x * 3 : x * 3 + 3])


def envelope(type_="saturn.step", data=None, **header):
    env = {"v": "1", "id": UUID, "type": type_, "seq": 1, "ts": 1700000000000, "corrId": "run-1"}
    env["data"] = {"message": "hi", "step": 1} if data is None else data
    env.update(header)
    return env


def grid(n, m=None, fill=lambda r, c: (r + c) % 10):
    return [[fill(r, c) for c in range(m or n)] for r in range(n)]


class PngTest(unittest.TestCase):
    def test_an_encoded_png_parses_back_with_valid_crcs_and_the_same_pixels(self):
        pixels = bytearray()
        for y in range(3):
            for x in range(4):
                pixels += bytes((x * 60, y * 100, 7))
        width, height, rows = read_png(w.encode_png(4, 3, pixels))
        self.assertEqual((width, height), (4, 3))
        self.assertEqual(b"".join(rows), bytes(pixels))

    def test_a_buffer_of_the_wrong_size_is_refused(self):
        with self.assertRaises(ValueError):
            w.encode_png(2, 2, bytearray(11))

    def test_encoding_is_deterministic(self):
        canvas = w.render_pair(grid(3), grid(4))
        self.assertEqual(canvas.png(), w.render_pair(grid(3), grid(4)).png())


class RenderTest(unittest.TestCase):
    def cell_color(self, canvas, grid_x, grid_y, cell, r, c):
        rows = read_png(canvas.png())[2]
        # The centre of a cell, past any frame drawn on it.
        x = grid_x + 1 + c * (cell + 1) + cell // 2
        y = grid_y + 1 + r * (cell + 1) + 2
        return pixel(rows, x, y)

    def test_a_grid_is_drawn_in_the_arc_palette_with_grid_lines(self):
        g = [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
        canvas = w.render_grid(g)
        cell = w.cell_size(g)
        top = w.PAD + w.LINE_H + w.CAPTION_GAP
        _, _, rows = read_png(canvas.png())
        for r, row in enumerate(g):
            for c, value in enumerate(row):
                x = w.PAD + 1 + c * (cell + 1) + cell // 2
                y = top + 1 + r * (cell + 1) + cell // 2
                self.assertEqual(pixel(rows, x, y), w.PALETTE[value])
        self.assertEqual(pixel(rows, w.PAD, top), w.GRID_LINE)  # outer border
        self.assertEqual(pixel(rows, w.PAD + 1 + cell, top + 5), w.GRID_LINE)  # line between cells

    def test_the_official_palette_is_used(self):
        hexes = ["#%02X%02X%02X" % c for c in w.PALETTE]
        self.assertEqual(
            hexes,
            ["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25"],
        )

    def test_a_pair_puts_the_output_to_the_right_of_the_input_with_a_gap(self):
        inp, out = grid(3), grid(5)
        canvas = w.render_pair(inp, out)
        cell = w.cell_size(inp, out)
        in_w, _ = w.grid_extent(inp, cell)
        out_w, _ = w.grid_extent(out, cell)
        self.assertGreaterEqual(canvas.width, 2 * w.PAD + in_w + w.GAP + out_w)

    def test_a_diff_of_the_same_shape_dims_unchanged_cells_and_keeps_changed_ones_in_full_colour(self):
        a = [[1, 1], [1, 1]]
        b = [[1, 1], [1, 2]]
        canvas = w.render_diff(a, b)
        cell = w.cell_size(a, b)
        top = w.PAD + 2 * (w.LINE_H + w.CAPTION_GAP)
        _, _, rows = read_png(canvas.png())
        centre = lambda r, c: pixel(rows, w.PAD + 1 + c * (cell + 1) + cell // 2, top + 1 + r * (cell + 1) + cell // 2)  # noqa: E731
        self.assertEqual(centre(1, 1), w.PALETTE[2])
        self.assertEqual(centre(0, 0), w.blend(w.PALETTE[1], w.BACKGROUND, 0.7))

    def test_a_diff_of_different_shapes_draws_both_grids_under_a_shape_changed_headline(self):
        def alert_pixels(canvas):
            _, _, rows = read_png(canvas.png())
            return sum(1 for y in range(w.PAD, w.PAD + w.LINE_H) for x in range(canvas.width) if pixel(rows, x, y) == w.ALERT)

        self.assertEqual(alert_pixels(w.render_diff(grid(2), grid(2))), 0)
        self.assertGreater(alert_pixels(w.render_diff(grid(2), grid(3, 2))), 50)
        # Both grids are drawn: the 3x2 "after" grid's last row sits lower than a 2-row grid would.
        changed = w.render_diff(grid(2), grid(3, 2))
        cell = w.cell_size(grid(2), grid(3, 2))
        self.assertGreaterEqual(changed.height, w.PAD * 2 + 2 * (w.LINE_H + w.CAPTION_GAP) + w.grid_extent(grid(3, 2), cell)[1])

    def test_compare_marks_wrong_cells_and_only_them(self):
        expected = [[1, 2], [3, 4]]
        predicted = [[1, 2], [3, 5]]
        canvas = w.render_compare(predicted, expected)
        cell = w.cell_size(predicted, expected)
        top = w.PAD + 2 * (w.LINE_H + w.CAPTION_GAP)
        _, _, rows = read_png(canvas.png())

        def has_marks(r, c):
            x0, y0 = w.PAD + 1 + c * (cell + 1), top + 1 + r * (cell + 1)
            colors = {pixel(rows, x, y) for y in range(y0, y0 + cell) for x in range(x0, x0 + cell)}
            return w.MARK_OUTER in colors and w.MARK_INNER in colors

        self.assertTrue(has_marks(1, 1))
        self.assertFalse(has_marks(0, 0))
        self.assertFalse(has_marks(0, 1))

    def test_compare_without_an_answer_draws_the_prediction_alone(self):
        self.assertLess(w.render_compare(grid(3), None).width, w.render_compare(grid(3), grid(3)).width)

    def test_a_30x30_grid_fits_and_every_cell_is_at_least_8_pixels(self):
        canvas = w.render_pair(grid(30), grid(30))
        self.assertEqual(w.cell_size(grid(30)), 10)
        self.assertLess(canvas.width, 1000)
        read_png(canvas.png())


class SchemaValidatorTest(unittest.TestCase):
    def test_valid_envelopes_of_each_saturn_type_pass(self):
        cases = [
            envelope("saturn.step", {"message": "m", "step": 0, "total": 3, "phase": "p"}),
            envelope("saturn.image", {"label": "l", "url": "/api/images/x.png", "width": 10, "height": 20}),
            envelope("saturn.done", {"predictions": [[[1, 2]], None], "correct": [True, None], "solved": False}),
            envelope("status", {"state": "waiting", "code": "ready:r1"}),
            envelope("error", {"code": "x", "message": "y", "details": {"anything": [1, None]}}),
        ]
        for env in cases:
            self.assertEqual(w.schema_errors(SCHEMA, env), [], env["type"])

    def test_unknown_fields_are_allowed(self):
        self.assertEqual(w.schema_errors(SCHEMA, envelope(extra=1)), [])

    def test_invalid_envelopes_are_rejected_with_a_path(self):
        cases = {
            "missing field": {k: v for k, v in envelope().items() if k != "corrId"},
            "wrong version": envelope(v="2"),
            "seq zero": envelope(seq=0),
            "seq float": envelope(seq=1.5),
            "seq boolean": envelope(seq=True),
            "unknown type": envelope(type_="saturn.nope"),
            "empty id": envelope(id=""),
            "long corrId": envelope(corrId="x" * 129),
            "step negative": envelope(data={"message": "m", "step": -1}),
            "data missing message": envelope(data={"step": 1}),
            "bad status state": envelope("status", {"state": "sleeping"}),
            "grid cell out of range": envelope("saturn.done", {"predictions": [[[10]]], "correct": [None], "solved": False}),
            "correct not boolean": envelope("saturn.done", {"predictions": [], "correct": [1], "solved": False}),
            "not an object": [1, 2],
        }
        for name, env in cases.items():
            with self.subTest(name):
                self.assertNotEqual(w.schema_errors(SCHEMA, env), [])

    def test_the_error_names_the_failing_field_inside_the_matching_branch(self):
        errors = w.schema_errors(SCHEMA, envelope(data={"message": "m", "step": -1}))
        self.assertIn("$.data.step", errors[0])

    def test_integers_accept_integral_floats_and_numbers_refuse_nan(self):
        self.assertEqual(w.schema_errors({"type": "integer"}, 3.0), [])
        self.assertNotEqual(w.schema_errors({"type": "number"}, float("nan")), [])

    def test_one_of_requires_exactly_one_match(self):
        schema = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
        self.assertNotEqual(w.schema_errors(schema, 1), [])  # matches both
        self.assertEqual(w.schema_errors(schema, 1.5), [])

    def test_length_item_pattern_and_additional_property_limits(self):
        self.assertNotEqual(w.schema_errors({"type": "string", "maxLength": 2}, "abc"), [])
        self.assertEqual(w.schema_errors({"type": "string", "maxLength": 2}, "\u00e9\u00e9"), [])  # code points
        self.assertNotEqual(w.schema_errors({"type": "array", "maxItems": 1}, [1, 2]), [])
        self.assertNotEqual(w.schema_errors({"type": "string", "pattern": "^a+$"}, "ab"), [])
        closed = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
        self.assertEqual(w.schema_errors(closed, {"a": 1}), [])
        self.assertNotEqual(w.schema_errors(closed, {"a": 1, "b": 2}), [])

    def test_a_schema_with_an_unsupported_keyword_is_refused(self):
        with self.assertRaises(w.SchemaError):
            w.check_schema({"type": "object", "properties": {"a": {"$ref": "#/x"}}})

    def test_the_exported_schema_uses_only_supported_keywords(self):
        w.check_schema(SCHEMA)  # load_schema already did; explicit here


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="saturn-test-")

    def test_an_image_is_stored_under_the_sha256_of_its_bytes(self):
        data = w.render_grid(grid(3)).png()
        name = w.store_image(self.dir, data)
        self.assertEqual(name, hashlib.sha256(data).hexdigest() + ".png")
        with open(os.path.join(self.dir, name), "rb") as f:
            self.assertEqual(f.read(), data)

    def test_storing_the_same_image_twice_keeps_one_file_and_no_temp_files(self):
        data = w.render_grid(grid(3)).png()
        self.assertEqual(w.store_image(self.dir, data), w.store_image(self.dir, data))
        self.assertEqual(len(os.listdir(self.dir)), 1)

    def test_a_different_file_under_the_name_is_never_overwritten(self):
        data = w.render_grid(grid(3)).png()
        name = hashlib.sha256(data).hexdigest() + ".png"
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(b"not this")
        with self.assertRaises(RuntimeError):
            w.store_image(self.dir, data)
        with open(os.path.join(self.dir, name), "rb") as f:
            self.assertEqual(f.read(), b"not this")


class CommandTest(unittest.TestCase):
    def render(self, **overrides):
        command = {"op": "render", "request": "r1", "phase": "p", "step": 1, "message": "m", "images": []}
        command.update(overrides)
        return json.dumps(command).encode()

    def test_a_valid_render_command_parses(self):
        images = [{"kind": "pair", "label": "l", "input": grid(2), "output": grid(3)}]
        self.assertEqual(w.parse_command(self.render(images=images))["images"], images)

    def test_invalid_commands_are_refused(self):
        cases = {
            "not json": b"{nope",
            "not utf-8": b'{"op": "\xff"}',
            "unknown op": b'{"op": "explode"}',
            "ragged grid": self.render(images=[{"kind": "grid", "label": "l", "grid": [[1, 2], [3]]}]),
            "colour 10": self.render(images=[{"kind": "grid", "label": "l", "grid": [[10]]}]),
            "31 rows": self.render(images=[{"kind": "grid", "label": "l", "grid": grid(31, 1)}]),
            "empty grid": self.render(images=[{"kind": "grid", "label": "l", "grid": []}]),
            "unknown kind": self.render(images=[{"kind": "movie", "label": "l"}]),
            "bad request id": self.render(request="../x"),
            "missing message": json.dumps({"op": "render", "request": "r1", "phase": "p", "step": 1, "images": []}).encode(),
        }
        for name, line in cases.items():
            with self.subTest(name):
                with self.assertRaises(w.CommandError):
                    w.parse_command(line)

    def test_an_overlong_command_line_is_refused_without_reading_it_all(self):
        stream = io.BytesIO(b"x" * 100 + b"\n")
        with self.assertRaises(w.CommandError):
            list(w.read_commands(stream, limit=50))


class EmitterTest(unittest.TestCase):
    def test_seq_increments_from_one_and_every_line_is_one_valid_envelope(self):
        out = io.BytesIO()
        emitter = w.Emitter("run-7", SCHEMA, out)
        emitter.emit("saturn.step", {"message": "a", "step": 1})
        emitter.emit("status", {"state": "waiting", "code": "ready:r1"})
        emitter.emit("saturn.step", {"message": "b", "step": 2})
        lines = out.getvalue().decode("ascii").splitlines()
        envelopes = [json.loads(line) for line in lines]
        self.assertEqual([e["seq"] for e in envelopes], [1, 2, 3])
        self.assertEqual({e["corrId"] for e in envelopes}, {"run-7"})
        self.assertEqual(len({e["id"] for e in envelopes}), 3)
        for e in envelopes:
            self.assertEqual(w.schema_errors(SCHEMA, e), [])
            self.assertLess(abs(e["ts"] - time.time() * 1000), 60_000)

    def test_an_invalid_envelope_is_refused_and_not_written_and_seq_does_not_move(self):
        out = io.BytesIO()
        emitter = w.Emitter("run-7", SCHEMA, out)
        with self.assertRaises(ValueError):
            emitter.emit("saturn.step", {"message": "a", "step": -1})
        self.assertEqual(out.getvalue(), b"")
        self.assertEqual(emitter.emit("saturn.step", {"message": "a", "step": 1})["seq"], 1)


RENDER = {
    "op": "render",
    "request": "r1",
    "phase": "pair-1",
    "step": 1,
    "total": 5,
    "message": "Looking at the first training pair",
    "images": [
        {"kind": "grid", "label": "Pair 1 input", "grid": grid(10)},
        {"kind": "pair", "label": "Pair 1: input \u2192 output", "input": grid(10), "output": grid(10, fill=lambda r, c: (r * c) % 10)},
        {"kind": "diff", "label": "Pair 1: what changed", "a": grid(10), "b": grid(10, fill=lambda r, c: (r * c) % 10)},
        {"kind": "compare", "label": "Prediction beside the answer", "predicted": grid(3), "expected": grid(3, fill=lambda r, c: 0)},
    ],
}
DONE = {"op": "done", "request": "r2", "predictions": [grid(2), None], "correct": [False, None], "solved": False}


class SessionTest(unittest.TestCase):
    """The worker as a subprocess, as the bridge runs it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="saturn-session-")

    def run_worker(self, stdin, env=None):
        env = {"SATURN_CORR_ID": "run-42", "SATURN_IMAGE_DIR": os.path.join(self.dir, "images"), **(env or {})}
        proc = subprocess.run([sys.executable, "-I", WORKER], input=stdin, capture_output=True, timeout=30, env=env)
        envelopes = [json.loads(line) for line in proc.stdout.decode("ascii").splitlines()]
        return proc, envelopes

    def test_a_full_session_renders_then_finishes(self):
        stdin = (json.dumps(RENDER) + "\n" + json.dumps(DONE) + "\n").encode()
        proc, envelopes = self.run_worker(stdin)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        types = [e["type"] for e in envelopes]
        self.assertEqual(types, ["saturn.step"] + ["saturn.image"] * 4 + ["status", "saturn.done"])
        self.assertEqual([e["seq"] for e in envelopes], list(range(1, 8)))
        for e in envelopes:
            self.assertEqual(w.schema_errors(SCHEMA, e), [])
            self.assertEqual(e["corrId"], "run-42")
        self.assertEqual(envelopes[0]["data"], {"message": RENDER["message"], "step": 1, "total": 5, "phase": "pair-1"})
        self.assertEqual(envelopes[5]["data"], {"state": "waiting", "code": "ready:r1"})
        self.assertEqual(envelopes[6]["data"], {"predictions": DONE["predictions"], "correct": [False, None], "solved": False})
        for e, spec in zip(envelopes[1:5], RENDER["images"]):
            data = e["data"]
            self.assertEqual(data["label"], spec["label"])
            self.assertEqual(data["phase"], "pair-1")
            self.assertRegex(data["url"], r"^/api/images/[0-9a-f]{64}\.png$")
            name = data["url"].rsplit("/", 1)[1]
            with open(os.path.join(self.dir, "images", name), "rb") as f:
                png = f.read()
            self.assertEqual(hashlib.sha256(png).hexdigest() + ".png", name)
            self.assertEqual(read_png(png)[:2], (data["width"], data["height"]))
        self.assertEqual(sorted(os.listdir(os.path.join(self.dir, "images"))), sorted({e["data"]["url"].rsplit("/", 1)[1] for e in envelopes[1:5]}))

    def test_seq_keeps_counting_across_requests(self):
        second = dict(RENDER, request="r2", step=2, images=RENDER["images"][:1])
        stdin = (json.dumps(RENDER) + "\n" + json.dumps(second) + "\n").encode()
        proc, envelopes = self.run_worker(stdin)
        self.assertEqual(proc.returncode, 0)
        self.assertEqual([e["seq"] for e in envelopes], list(range(1, 10)))
        self.assertEqual(envelopes[-1]["data"]["code"], "ready:r2")

    def test_end_of_input_exits_zero_without_output(self):
        proc, envelopes = self.run_worker(b"")
        self.assertEqual((proc.returncode, envelopes), (0, []))

    def test_an_invalid_command_is_an_error_envelope_and_a_non_zero_exit(self):
        proc, envelopes = self.run_worker(b'{"op": "render"}\n')
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(envelopes), 1)
        self.assertEqual(envelopes[0]["type"], "error")
        self.assertEqual(envelopes[0]["data"]["code"], "saturn:bad_command")
        self.assertEqual(w.schema_errors(SCHEMA, envelopes[0]), [])

    def test_an_unwritable_image_directory_is_an_internal_error(self):
        blocker = os.path.join(self.dir, "file")
        with open(blocker, "w") as f:
            f.write("x")
        proc, envelopes = self.run_worker((json.dumps(RENDER) + "\n").encode(), env={"SATURN_IMAGE_DIR": os.path.join(blocker, "images")})
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(envelopes[-1]["type"], "error")
        self.assertEqual(envelopes[-1]["data"]["code"], "saturn:internal")
        self.assertIn("Traceback", proc.stderr.decode())

    def test_a_missing_environment_is_refused(self):
        proc = subprocess.run([sys.executable, "-I", WORKER], input=b"", capture_output=True, timeout=30, env={})
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b"SATURN_CORR_ID", proc.stderr)


if __name__ == "__main__":
    unittest.main()
