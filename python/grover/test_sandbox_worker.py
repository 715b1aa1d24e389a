"""Tests of the Grover sandbox worker: its guard functions one by one, then whole runs in a
subprocess the way `lib/producers/grover/sandbox.ts` drives it.

Run: python3 python/run_tests.py (the whole runs need bubblewrap, as the server does)
"""

import os
import subprocess
import sys
import unittest

from grover import sandbox_worker as w

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sandbox_worker.py")
LIMITS = {"cpuSeconds": 2, "memoryMb": 256, "wallMs": 5000, "maxOutputBytes": 1000}


HOST_NAMESPACES = {name: os.readlink(f"/proc/self/ns/{name}") for name in ("pid", "net", "ipc", "mnt", "uts", "user")}


def bwrap_argv():
    """The worker under bubblewrap, as lib/workers/confinement.ts starts it."""
    prefix = os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))
    here = os.path.dirname(WORKER)
    argv = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if os.getuid() != 0:
        argv.append("--unshare-user")
    for path in ("/usr", "/lib", "/lib64", "/bin"):
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            argv += ["--ro-bind", path, path]
    argv += ["--ro-bind", prefix, prefix, "--ro-bind", here, here, "--proc", "/proc", "--dev", "/dev", "--chdir", "/"]
    argv += ["--clearenv", "--setenv", "LC_ALL", "C.UTF-8", "--", os.path.realpath(sys.executable), "-I", "-S", WORKER]
    return argv


def run_worker(code, inputs=([[1, 2], [3, 4]],), limits=None, timeout=10, extra=None, argv=None):
    """Run one request; returns (process, hello or None, reply or None)."""
    request = {"id": "req-1", "code": code, "inputs": list(inputs), "limits": limits or LIMITS, "hostNamespaces": HOST_NAMESPACES, "serverUid": os.getuid(), **(extra or {})}
    proc = subprocess.run(argv or bwrap_argv(), input=(w.json_dumps(request) + "\n").encode(), capture_output=True, timeout=timeout, env={})
    lines = [w.json_loads(line) for line in proc.stdout.decode().splitlines()]
    hello = lines.pop(0) if lines and "hello" in lines[0] else None
    return proc, hello, (lines[0] if lines else None)


class NormalizeGridTest(unittest.TestCase):
    def test_a_list_of_lists_of_ints_is_returned_as_fresh_lists(self):
        grid = [[1, 2], [3, 4]]
        out = w.normalize_grid(grid)
        self.assertEqual(out, grid)
        self.assertIsNot(out, grid)

    def test_tuples_from_zip_are_accepted_and_become_lists(self):
        self.assertEqual(w.normalize_grid(list(zip(*[[1, 2], [3, 4]]))), [[1, 3], [2, 4]])

    def test_none_is_refused_with_a_message_naming_it(self):
        with self.assertRaisesRegex(ValueError, "returned None"):
            w.normalize_grid(None)

    def test_ragged_rows_are_refused(self):
        with self.assertRaisesRegex(ValueError, "row 1 has 1 cells, expected 2"):
            w.normalize_grid([[1, 2], [3]])

    def test_bools_floats_and_strings_are_not_colours(self):
        for cell in (True, 1.0, "1", None):
            with self.assertRaisesRegex(ValueError, r"cell \[0\]\[0\]"):
                w.normalize_grid([[cell]])

    def test_colours_outside_0_to_9_are_refused(self):
        for cell in (-1, 10):
            with self.assertRaisesRegex(ValueError, "expected an int 0-9"):
                w.normalize_grid([[cell]])

    def test_empty_grids_and_empty_rows_are_refused(self):
        for grid in ([], [[]]):
            with self.assertRaises(ValueError):
                w.normalize_grid(grid)

    def test_more_than_30_rows_or_columns_is_refused(self):
        with self.assertRaisesRegex(ValueError, "31 rows"):
            w.normalize_grid([[0]] * 31)
        with self.assertRaisesRegex(ValueError, "31 columns"):
            w.normalize_grid([[0] * 31])

    def test_list_subclasses_are_refused_because_they_could_run_code(self):
        class Sneaky(list):
            pass

        with self.assertRaises(ValueError):
            w.normalize_grid(Sneaky([[1]]))
        with self.assertRaises(ValueError):
            w.normalize_grid([Sneaky([1])])


class ImportGuardTest(unittest.TestCase):
    def setUp(self):
        import builtins

        self.guard = w.make_import_guard(w.ALLOWED_MODULES, builtins.__import__)

    def test_an_allowlisted_module_imports(self):
        import math

        self.assertIs(self.guard("math"), math)

    def test_os_subprocess_socket_and_numpy_are_refused(self):
        for name in ("os", "subprocess", "socket", "numpy", "sys", "importlib", "ctypes"):
            with self.assertRaisesRegex(w.ForbiddenImport, name):
                self.guard(name)

    def test_relative_imports_are_refused(self):
        with self.assertRaises(w.ForbiddenImport):
            self.guard("x", None, None, (), 1)

    def test_an_allowlisted_submodule_in_fromlist_passes(self):
        import collections.abc  # noqa: F401 - so the guard sees it loaded

        self.guard("collections", None, None, ("abc", "Counter"), 0)

    def test_forbidden_import_is_an_import_error_so_fallback_code_works(self):
        self.assertTrue(issubclass(w.ForbiddenImport, ImportError))


class BuiltinsTest(unittest.TestCase):
    def setUp(self):
        import builtins

        self.safe = w.make_builtins(vars(builtins), builtins.__import__)

    def test_open_exec_eval_and_compile_raise_forbidden_operation(self):
        for name in ("open", "exec", "eval", "compile", "input", "breakpoint"):
            with self.assertRaises(w.ForbiddenOperation):
                self.safe[name]("x")

    def test_code_run_with_the_safe_builtins_cannot_import_os(self):
        with self.assertRaises(w.ForbiddenImport):
            exec("import os", {"__builtins__": self.safe})

    def test_ordinary_builtins_are_still_there(self):
        scope = {"__builtins__": self.safe}
        exec("x = sorted(map(len, [[1], [1, 2]]))", scope)
        self.assertEqual(scope["x"], [1, 2])


class BoundedCaptureTest(unittest.TestCase):
    def test_output_under_the_limit_is_kept(self):
        capture = w.BoundedCapture(10)
        capture.write("hello\n")
        self.assertEqual(capture.getvalue(), "hello\n")
        self.assertFalse(capture.exceeded)

    def test_passing_the_limit_keeps_a_prefix_raises_and_sets_a_sticky_flag(self):
        capture = w.BoundedCapture(4)
        with self.assertRaises(w.OutputLimitExceeded):
            capture.write("abcdef")
        self.assertEqual(capture.getvalue(), "abcd")
        self.assertTrue(capture.exceeded)
        with self.assertRaises(w.OutputLimitExceeded):
            capture.write("x")

    def test_the_limit_counts_utf8_bytes_not_characters(self):
        capture = w.BoundedCapture(4)
        with self.assertRaises(w.OutputLimitExceeded):
            capture.write("ééé")  # 6 bytes

    def test_output_limit_exceeded_escapes_except_exception(self):
        self.assertFalse(issubclass(w.OutputLimitExceeded, Exception))


class DescribeTest(unittest.TestCase):
    def test_the_line_is_the_innermost_frame_in_the_program(self):
        code = compile("def f():\n    return 1 / 0\n", w.PROGRAM_FILENAME, "exec")
        scope = {}
        exec(code, scope)
        try:
            scope["f"]()
        except ZeroDivisionError as exc:
            info = w.describe(exc)
        self.assertEqual(info, {"type": "ZeroDivisionError", "message": "division by zero", "line": 2})

    def test_an_exception_whose_str_raises_is_still_described(self):
        class Nasty(Exception):
            def __str__(self):
                raise RuntimeError("no")

        self.assertEqual(w.describe(Nasty())["message"], "<unprintable exception>")

    def test_long_messages_are_truncated(self):
        self.assertLessEqual(len(w.describe(ValueError("x" * 5000))["message"]), w.MAX_MESSAGE_CHARS + 3)


class PreloadTest(unittest.TestCase):
    def test_imports_in_nested_functions_are_found(self):
        # An over-approximation: `abc` is named (as collections' submodule) and allowlisted.
        code = compile("import math\ndef t(g):\n    import itertools\n    from collections import abc\n", "<p>", "exec")
        self.assertEqual(w.modules_to_preload(code), ["abc", "collections", "collections.abc", "itertools", "math"])

    def test_modules_outside_the_allowlist_are_not_preloaded(self):
        code = compile("import os, numpy\n", "<p>", "exec")
        self.assertEqual(w.modules_to_preload(code), [])


class JsonTest(unittest.TestCase):
    def test_round_trip_of_plain_data(self):
        value = {"id": "é\n\"", "results": [{"ok": True, "grid": [[1, 2]]}, {"ok": False, "error": None}]}
        self.assertEqual(w.json_loads(w.json_dumps(value)), value)

    def test_output_is_ascii_so_it_cannot_be_split_mid_character(self):
        self.assertEqual(w.json_dumps("é"), '"\\u00e9"')

    def test_trailing_garbage_and_nan_are_refused(self):
        for text in ('{"a": 1} x', "NaN", "", "{"):
            with self.assertRaises(ValueError):
                w.json_loads(text)

    def test_validate_request_names_the_bad_field(self):
        with self.assertRaisesRegex(ValueError, "code"):
            w.validate_request({"id": "x", "code": 3, "inputs": [], "limits": LIMITS})
        with self.assertRaisesRegex(ValueError, "wallMs"):
            w.validate_request({"id": "x", "code": "", "inputs": [], "limits": {**LIMITS, "wallMs": "1"}})


class SeccompFilterTest(unittest.TestCase):
    def test_the_filter_checks_arch_then_ends_in_eperm_allow_kill(self):
        prog = w.build_seccomp_filter(w.SECCOMP_ALLOW["x86_64"], w.AUDIT_ARCH["x86_64"])
        self.assertEqual(prog[0], (0x20, 0, 0, 4))
        self.assertEqual([ins[3] for ins in prog[-3:]], [0x50001, 0x7FFF0000, 0x80000000])

    def test_only_allowlisted_syscalls_jump_to_allow(self):
        prog = w.build_seccomp_filter(w.SECCOMP_ALLOW["x86_64"], w.AUDIT_ARCH["x86_64"])
        allow_at = len(prog) - 2
        targets = {ins[3]: i + 1 + ins[1] for i, ins in enumerate(prog) if ins[0] == 0x15 and i > 1}
        self.assertEqual(set(targets), set(w.SECCOMP_ALLOW["x86_64"].values()))
        self.assertTrue(all(target == allow_at for target in targets.values()))
        for dangerous in (2, 257, 41, 56, 57, 59, 62, 141, 165, 203, 144, 428, 429, 430, 431, 432, 433, 442):
            self.assertNotIn(dangerous, targets)

    def test_an_unknown_architecture_is_refused(self):
        with self.assertRaisesRegex(w.Unconfined, "no syscall allowlist"):
            w.install_seccomp("riscv64")


class WorkerProcessTest(unittest.TestCase):
    def test_a_correct_program_returns_its_grids_after_a_hello_naming_every_layer(self):
        proc, hello, reply = run_worker("def transform(g):\n    return [r[::-1] for r in g]\n", inputs=([[1, 2]], [[3]]))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(reply["id"], "req-1")
        self.assertEqual(reply["results"], [{"ok": True, "grid": [[2, 1]]}, {"ok": True, "grid": [[3]]}])
        self.assertEqual(hello["hello"]["seccomp"], "allowlist:x86_64")
        self.assertNotEqual(hello["hello"]["uid"], 0)
        self.assertTrue(set(w.REQUIRED_NAMESPACES) <= set(hello["hello"]["namespaces"]))

    def test_outside_new_namespaces_the_worker_refuses_and_runs_nothing(self):
        argv = [os.path.realpath(sys.executable), "-I", "-S", WORKER]
        _, hello, reply = run_worker("print('ran')\ndef transform(g):\n    return g\n", argv=argv)
        self.assertIsNone(hello)
        self.assertEqual((reply["fatal"]["code"], reply["fatal"]["layer"]), ("unconfined", "namespaces"))
        self.assertEqual(reply["stdout"], "")

    def test_each_layer_simulated_unavailable_means_a_refusal_naming_it(self):
        for layer in w.LAYERS:
            _, hello, reply = run_worker("def transform(g):\n    return g\n", extra={"simulateUnavailable": [layer]})
            self.assertIsNone(hello)
            self.assertEqual((reply["fatal"]["code"], reply["fatal"]["layer"]), ("unconfined", layer))

    def test_the_program_runs_as_nobody_with_no_capabilities(self):
        code = "import typing\ndef transform(g):\n    os = typing.sys.modules['posix']\n    return [[min(os.getuid(), 9), min(os.getgid(), 9)]]\n"
        _, _, reply = run_worker(code)
        self.assertEqual(reply["results"][0], {"ok": True, "grid": [[9, 9]]})

    def test_print_output_is_captured_not_written_to_the_protocol(self):
        _, _, reply = run_worker("def transform(g):\n    print('hi')\n    return g\n")
        self.assertEqual(reply["results"][0]["ok"], True)
        self.assertEqual(reply["stdout"], "hi\n")

    def test_an_exception_is_a_per_input_error_with_type_message_and_line(self):
        _, _, reply = run_worker("def transform(g):\n    return g[5]\n")
        self.assertEqual(reply["results"][0], {"ok": False, "error": {"type": "IndexError", "message": "list index out of range", "line": 2}})

    def test_a_syntax_error_is_fatal_with_its_line(self):
        _, _, reply = run_worker("def transform(g):\n    return (\n")
        self.assertEqual(reply["fatal"]["code"], "syntax")
        self.assertIn("line", reply["fatal"])

    def test_importing_os_is_a_forbidden_import(self):
        _, _, reply = run_worker("import os\ndef transform(g):\n    return g\n")
        self.assertEqual(reply["fatal"]["code"], "forbidden_import")

    def test_a_caught_forbidden_import_lets_the_program_fall_back(self):
        code = "try:\n    import numpy\nexcept ImportError:\n    numpy = None\ndef transform(g):\n    return g\n"
        _, _, reply = run_worker(code)
        self.assertTrue(reply["results"][0]["ok"])

    def test_reaching_os_through_a_module_global_is_still_refused(self):
        _, _, reply = run_worker("import typing\ndef transform(g):\n    typing.sys.modules['os'].system('true')\n")
        self.assertEqual(reply["fatal"]["code"], "forbidden")

    def test_the_real_open_reached_through_sys_modules_fails_at_the_os(self):
        code = "import typing\ndef transform(g):\n    typing.sys.modules['builtins'].open('/etc/hostname').read()\n"
        _, _, reply = run_worker(code)
        self.assertEqual(reply["results"][0]["error"]["type"], "PermissionError")

    def test_a_missing_transform_is_fatal(self):
        _, _, reply = run_worker("x = 1\n")
        self.assertEqual(reply["fatal"]["code"], "no_transform")

    def test_unbounded_allocation_is_a_memory_error(self):
        _, _, reply = run_worker("def transform(g):\n    x = []\n    while True:\n        x.append(' ' * 10**6)\n")
        self.assertEqual(reply["fatal"]["code"], "memory")

    def test_printing_past_the_limit_is_fatal_even_when_caught(self):
        code = "def transform(g):\n    try:\n        print('x' * 5000)\n    except BaseException:\n        pass\n    return g\n"
        _, _, reply = run_worker(code)
        self.assertEqual(reply["fatal"]["code"], "output_too_large")
        self.assertEqual(len(reply["stdout"]), 1000)

    def test_an_endless_loop_dies_of_sigxcpu(self):
        proc, _, reply = run_worker("def transform(g):\n    while True:\n        pass\n", limits={**LIMITS, "cpuSeconds": 1})
        self.assertIsNone(reply)
        self.assertIn(proc.returncode, (128 + 24, 128 + 9))  # bwrap: 128 + SIGXCPU, or SIGKILL at the hard limit

    def test_a_malformed_request_gets_a_bad_request_reply(self):
        proc = subprocess.run([sys.executable, "-I", "-S", WORKER], input=b"{nope\n", capture_output=True, timeout=10)
        self.assertEqual(w.json_loads(proc.stdout.decode())["fatal"]["code"], "bad_request")


if __name__ == "__main__":
    unittest.main()
