"""Smoke test of the tiny-model pipeline on a small corpus sample in a temporary folder:
tokenizer, a few training steps and a few SAE steps, checking that each writes the files of the
`local:tiny` contract (names, shapes, fields) with finite numbers. Needs torch (Debian's python3-torch);
python/run_tests.py runs it with /usr/bin/python3 when that interpreter has torch.
"""
import json
import math
import os
import shutil
import struct
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402
import safetensors_io  # noqa: E402
import tokenizer as tok_lib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def sample_docs():
    train, val = corpus.build()
    return [d[:20000] for d in train[:4] + train[-4:]], [d[:6000] for d in val[:2]]


class TinyPipelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import torch
        torch.set_num_threads(1)
        import projection
        import sae
        import train
        cls.dir = tempfile.mkdtemp(prefix="tiny-smoke-")
        cls.out = os.path.join(cls.dir, "weights")
        os.makedirs(cls.out)
        train_docs, val_docs = sample_docs()
        cls.train_docs = train_docs
        cls.tok_path = os.path.join(cls.out, "tokenizer.json")
        tok_lib.Tokenizer(tok_lib.train(train_docs, log=None)).save(cls.tok_path)
        data_dir = os.path.join(cls.dir, "data")
        train.load_data(cls.tok_path, data_dir, docs=(train_docs, val_docs))
        cfg = load_json(os.path.join(HERE, "config.json"))
        cfg.update({"eval_interval": 2, "eval_batches": 1, "final_eval_windows": 8, "warmup_steps": 1})
        cfg_path = os.path.join(cls.dir, "config.json")
        with open(cfg_path, "w") as handle:
            json.dump(cfg, handle)
        cls.results = train.main(["--config", cfg_path, "--out", cls.out, "--data-dir", data_dir,
                                  "--max-steps", "3", "--device", "cpu", "--threads", "1"])
        cls.sae_results = sae.main(["--weights", cls.out, "--data-dir", data_dir, "--tokens", "4096",
                                    "--val-tokens", "1024", "--steps", "3", "--batch", "256", "--time-budget", "0"])
        projection.main(["--weights", cls.out, "--data-dir", data_dir, "--tokens", "1024"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_tokenizer_file_has_the_contract_fields_and_1791_merges(self):
        spec = load_json(self.tok_path)
        self.assertEqual((spec["version"], spec["type"], spec["eot"]), (1, "byte-bpe", 2047))
        self.assertEqual(spec["pattern"], tok_lib.PATTERN)
        self.assertEqual(len(spec["merges"]), 1791)
        self.assertTrue(all(a < 256 + i and b < 256 + i for i, (a, b) in enumerate(spec["merges"])))

    def test_tokenizer_round_trips_text_including_non_ascii(self):
        tok = tok_lib.Tokenizer.load(self.tok_path)
        self.assertTrue(tok_lib.self_test(tok, self.train_docs))

    def test_training_writes_the_contract_tensors_and_a_finite_held_out_loss(self):
        tensors, _ = safetensors_io.read(os.path.join(self.out, "model.safetensors"))
        self.assertEqual(tensors["wte.weight"].shape, (2048, 128))
        self.assertEqual(tensors["h.3.attn.c_attn.weight"].shape, (384, 128))
        self.assertEqual(tensors["h.0.mlp.c_proj.weight"].shape, (128, 512))
        self.assertNotIn("lm_head.weight", tensors)
        self.assertEqual(len(tensors), 2 + 4 * 12 + 2)
        cfg = load_json(os.path.join(self.out, "config.json"))
        self.assertEqual(cfg["steps_run"], 3)
        self.assertTrue(math.isfinite(cfg["measured_val_loss"]))

    def test_safetensors_header_is_padded_to_a_multiple_of_8(self):
        with open(os.path.join(self.out, "model.safetensors"), "rb") as handle:
            (n,) = struct.unpack("<Q", handle.read(8))
        self.assertEqual(n % 8, 0)

    def test_sae_writes_saelens_cfg_and_unit_norm_decoder_rows(self):
        cfg = load_json(os.path.join(self.out, "sae", "cfg.json"))
        self.assertEqual((cfg["architecture"], cfg["d_in"], cfg["d_sae"], cfg["k"], cfg["hook_name"]),
                         ("topk", 128, 1024, 32, "blocks.2.hook_resid_post"))
        tensors, _ = safetensors_io.read(os.path.join(self.out, "sae", "sae_weights.safetensors"))
        self.assertEqual(tensors["W_enc"].shape, (128, 1024))
        self.assertEqual(tensors["W_dec"].shape, (1024, 128))
        np.testing.assert_allclose(np.linalg.norm(tensors["W_dec"], axis=1), 1.0, rtol=1e-5)
        self.assertTrue(math.isfinite(self.sae_results["measured_lm_loss_with_sae"]))

    def test_projection_writes_a_mean_and_two_unit_components_over_the_sae_features(self):
        tensors, meta = safetensors_io.read(os.path.join(self.out, "sae", "projection.safetensors"))
        self.assertEqual(tensors["mean"].shape, (1024,))
        self.assertEqual(tensors["components"].shape, (2, 1024))
        np.testing.assert_allclose(np.linalg.norm(tensors["components"], axis=1), 1.0, rtol=1e-4)
        self.assertEqual(len(json.loads(meta["explained_variance"])), 2)


if __name__ == "__main__":
    unittest.main()
