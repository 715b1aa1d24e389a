"""Runs the Python workers' unittest suites and writes a JSON summary for scripts/test-summary.mjs.

Also runs the tiny-model training pipeline's smoke tests (training/tiny/test_*.py). Those need torch:
they run in this interpreter when it has torch, else under Debian's /usr/bin/python3 (python3-torch)
when that one has it, else they are reported as skipped (one pending test).

Usage: python3 python/run_tests.py OUTPUT.json
       python3 python/run_tests.py --tiny-only OUTPUT.json   (the tiny suite alone; used for the subprocess)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TINY = os.path.join(os.path.dirname(HERE), "training", "tiny")
DEBIAN_PYTHON = "/usr/bin/python3"


def run_suite(directory):
    suite = unittest.defaultTestLoader.discover(directory, pattern="test_*.py", top_level_dir=directory)
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors) + len(getattr(result, "unexpectedSuccesses", []))
    skipped = len(result.skipped)
    return {"numPassedTests": result.testsRun - failed - skipped, "numFailedTests": failed, "numPendingTests": skipped}


def has_torch(python):
    if python == sys.executable:
        try:
            import torch  # noqa: F401
            return True
        except ImportError:
            return False
    if not os.path.exists(python):
        return False
    return subprocess.run([python, "-c", "import torch, numpy"], capture_output=True).returncode == 0


def run_tiny():
    if has_torch(sys.executable):
        return run_suite(TINY)
    if has_torch(DEBIAN_PYTHON):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "tiny.json")
            subprocess.run([DEBIAN_PYTHON, os.path.abspath(__file__), "--tiny-only", out])
            if os.path.exists(out):
                with open(out, encoding="utf-8") as handle:
                    return json.load(handle)
            return {"numPassedTests": 0, "numFailedTests": 1, "numPendingTests": 0}
    print("training/tiny tests skipped: no python3 with torch (apt-get install python3-torch)")
    return {"numPassedTests": 0, "numFailedTests": 0, "numPendingTests": 1}


def write(path, summary):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(summary, out)


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] == "--tiny-only":
        summary = run_suite(TINY)
        if len(args) > 1:
            write(args[1], summary)
        return 0 if summary["numFailedTests"] == 0 else 1
    summary = run_suite(HERE)
    ran = summary["numPassedTests"] + summary["numFailedTests"]
    tiny = run_tiny()
    for key in summary:
        summary[key] += tiny[key]
    if args:
        write(args[0], summary)
    return 0 if summary["numFailedTests"] == 0 and ran > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
