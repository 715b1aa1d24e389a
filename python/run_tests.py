"""Runs the Python workers' unittest suites and writes a JSON summary for scripts/test-summary.mjs.

Usage: python3 python/run_tests.py OUTPUT.json
"""
import json
import os
import sys
import unittest

def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    suite = unittest.defaultTestLoader.discover(here, pattern="test_*.py", top_level_dir=here)
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    failed = len(result.failures) + len(result.errors) + len(getattr(result, "unexpectedSuccesses", []))
    skipped = len(result.skipped)
    summary = {
        "numPassedTests": result.testsRun - failed - skipped,
        "numFailedTests": failed,
        "numPendingTests": skipped,
    }
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            json.dump(summary, out)
    return 0 if failed == 0 and result.testsRun > 0 else 1

if __name__ == "__main__":
    sys.exit(main())
