"""Grover sandbox worker: runs ONE untrusted `transform(grid)` program, then exits.

Spoken to over NDJSON by `lib/producers/grover/sandbox.ts`, which spawns a fresh
`python3 -I -S sandbox_worker.py` per program (a fresh process per program means nothing a
program does can leak into the next one, and killing the process always ends it).

Protocol (one line each way, UTF-8 JSON):

  request  (stdin):  {"id", "code", "inputs": [Grid, ...],
                      "limits": {"cpuSeconds", "memoryMb", "wallMs", "maxOutputBytes"}}
  reply    (stdout): {"id", "results": [{"ok": true, "grid": Grid}
                                        | {"ok": false, "error": {"type", "message", "line"?}}],
                      "stdout": str, "seccomp": bool}
                  or {"id", "fatal": {"code", "message", "type"?, "line"?}, "stdout": str, "seccomp"?: bool}

`stdout` is what the program printed (print() to stdout and stderr both), at most
maxOutputBytes. `seccomp` says whether the syscall filter was installed. The reply fd must be
a pipe: RLIMIT_FSIZE 0 makes writes to a regular file fail.

`results` has one entry per input. `fatal` means the program as a whole failed: codes are
syntax, forbidden_import, forbidden, no_transform, module_error, memory, output_too_large,
bad_request, internal. Wall time is enforced by the parent (it SIGKILLs the process group);
CPU time by RLIMIT_CPU (SIGXCPU, then SIGKILL at the hard limit).

Defence in depth, outermost first (the Python-level layers alone are NOT a security boundary:
any Python object graph leads back to `os` through introspection):

  1. the parent: isolated mode (-I -S), an empty environment, wall-clock SIGKILL of the group,
     bounded reads of stdout/stderr, zod validation of the reply;
  2. rlimits: CPU, address space, no file writes (FSIZE 0), no new fds, no processes, no core;
  3. seccomp (x86_64 only, via ctypes): open/openat, socket/connect, fork/clone/exec, kill,
     ptrace, setrlimit, filesystem mutations, ioctl and privileged calls fail with EPERM;
  4. Python guards: an import allowlist, `open`/`exec`/`eval`/`compile`/`input` replaced by
     functions that raise, dangerous `os`/`posix` functions replaced, print() captured into a
     bounded buffer, and the protocol written to a private dup of fd 1 while fd 1 is /dev/null.
"""

import os
import sys

# The C half of the json package: `import json` pulls in re and enum (~15 ms, a third of a
# run), and the worker only needs plain objects, lists, strings and numbers.
import _json

# Modules a program may import. Only pure computation: no I/O, no processes, no threads, no
# clocks to sleep on. numpy is not installed in the sandbox interpreter and is not listed.
ALLOWED_MODULES = frozenset(
    {
        "__future__",
        "abc",
        "array",
        "bisect",
        "cmath",
        "collections",
        "collections.abc",
        "copy",
        "dataclasses",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "math",
        "numbers",
        "operator",
        "random",
        "re",
        "statistics",
        "string",
        "types",
        "typing",
    }
)

MAX_GRID_SIDE = 30
MAX_REQUEST_BYTES = 8 * 1024 * 1024
MAX_MESSAGE_CHARS = 1000
PROGRAM_FILENAME = "<program>"
# ARC programs flood-fill recursively; 900 cells deep must not hit the default limit of 1000.
RECURSION_LIMIT = 4000


class ForbiddenOperation(PermissionError):
    """A program asked for something the sandbox does not allow (file, process, network...)."""


class ForbiddenImport(ImportError):
    """A program imported a module outside the allowlist."""


class OutputLimitExceeded(BaseException):
    """print() output passed maxOutputBytes. A BaseException so `except Exception` misses it."""


# ---------------------------------------------------------------------------------------------
# Guards (pure functions, unit-tested in test_sandbox_worker.py)
# ---------------------------------------------------------------------------------------------


def make_import_guard(allowed, real_import):
    """An `__import__` that lets only allowlisted absolute imports through."""

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level != 0:
            raise ForbiddenImport("relative imports are not allowed in the sandbox")
        if name not in allowed:
            raise ForbiddenImport(f"import of '{name}' is not allowed in the sandbox")
        for item in fromlist or ():
            # `from collections import abc` loads a submodule: it must be allowed too.
            sub = f"{name}.{item}"
            if isinstance(item, str) and sub in sys.modules and sub not in allowed:
                raise ForbiddenImport(f"import of '{sub}' is not allowed in the sandbox")
        return real_import(name, globals, locals, fromlist, level)

    return guarded_import


def forbidden(what):
    """A stand-in for a removed function: calling it raises ForbiddenOperation."""

    def refuse(*_args, **_kwargs):
        raise ForbiddenOperation(f"{what} is not allowed in the sandbox")

    refuse.__name__ = what
    return refuse


# Builtins a program does not get. exec/eval/compile would not escape the import guard, but no
# ARC program needs them and each is one more door to watch.
REMOVED_BUILTINS = ("open", "input", "breakpoint", "help", "exit", "quit", "exec", "eval", "compile")


def make_builtins(real_builtins, real_import):
    """The `__builtins__` dict a program runs with."""
    safe = dict(real_builtins)
    for name in REMOVED_BUILTINS:
        safe[name] = forbidden(name if name != "open" else "file access (open)")
    safe["__import__"] = make_import_guard(ALLOWED_MODULES, real_import)
    return safe


# os/posix functions replaced after set-up, so that a program reaching `os` through some
# module's globals still gets a clear error (seccomp stops the ones this list misses).
NEUTERED_OS_FUNCTIONS = (
    "system", "popen", "fork", "forkpty", "vfork", "execv", "execve", "execl", "execle", "execlp",
    "execlpe", "execvp", "execvpe", "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve",
    "spawnvp", "spawnvpe", "posix_spawn", "posix_spawnp", "kill", "killpg", "open", "openpty",
    "fdopen", "remove", "unlink", "rmdir", "removedirs", "rename", "renames", "replace", "mkdir",
    "makedirs", "mkfifo", "mknod", "chmod", "fchmod", "lchmod", "chown", "fchown", "lchown",
    "link", "symlink", "truncate", "ftruncate", "putenv", "unsetenv", "chdir", "fchdir", "chroot",
    "setuid", "setgid", "setsid", "setpgid", "setpgrp", "listdir", "scandir", "walk", "dup",
    "dup2", "pipe", "pipe2", "write", "read", "close", "utime", "sendfile",
    "register_at_fork", "_exit", "abort",
)


def neuter_module(module, names):
    """Replace each present function `names` of `module` by one that raises."""
    for name in names:
        if hasattr(module, name):
            try:
                setattr(module, name, forbidden(f"{module.__name__}.{name}"))
            except (AttributeError, TypeError):
                pass


def normalize_grid(value):
    """Check a transform's return value is a grid; return it as fresh lists of ints.

    Accepted: a list or tuple of 1..30 rows, each a list or tuple of 1..30 ints 0-9, all rows the
    same length. Tuples are accepted because `list(zip(*grid))` (rows are tuples) is how most
    programs transpose. Exact types only: bool, float, str and numpy scalars are refused, and so
    are list subclasses (which could run code when iterated).
    Raises ValueError with a message that says what is wrong.
    """
    if value is None:
        raise ValueError("transform returned None, expected a grid (list of lists of ints 0-9)")
    if type(value) not in (list, tuple):
        raise ValueError(f"transform returned {type(value).__name__}, expected a list of rows")
    height = len(value)
    if not 1 <= height <= MAX_GRID_SIDE:
        raise ValueError(f"grid has {height} rows, expected 1 to {MAX_GRID_SIDE}")
    grid = []
    width = None
    for r, row in enumerate(value):
        if type(row) not in (list, tuple):
            raise ValueError(f"row {r} is {type(row).__name__}, expected a list of ints")
        if width is None:
            width = len(row)
            if not 1 <= width <= MAX_GRID_SIDE:
                raise ValueError(f"grid has {width} columns, expected 1 to {MAX_GRID_SIDE}")
        elif len(row) != width:
            raise ValueError(f"row {r} has {len(row)} cells, expected {width} like row 0")
        out_row = []
        for c, cell in enumerate(row):
            if type(cell) is not int:
                raise ValueError(f"cell [{r}][{c}] is {type(cell).__name__}, expected an int 0-9")
            if not 0 <= cell <= 9:
                raise ValueError(f"cell [{r}][{c}] is {cell}, expected an int 0-9")
            out_row.append(cell)
        grid.append(out_row)
    return grid


class BoundedCapture:
    """A text stream for sys.stdout/sys.stderr that keeps at most `limit` UTF-8 bytes.

    Passing the limit sets `exceeded` and raises OutputLimitExceeded; the flag survives a
    program that catches the exception, and the worker checks it after each call.
    """

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, limit):
        self.limit = limit
        self.size = 0
        self.parts = []
        self.exceeded = False

    def write(self, text):
        if type(text) is not str:
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.exceeded:
            raise OutputLimitExceeded("output limit exceeded")
        data = text.encode("utf-8", "replace")
        if self.size + len(data) > self.limit:
            room = self.limit - self.size
            self.parts.append(data[:room].decode("utf-8", "ignore"))
            self.size = self.limit
            self.exceeded = True
            raise OutputLimitExceeded(f"printed more than {self.limit} bytes")
        self.parts.append(text)
        self.size += len(data)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def getvalue(self):
        return "".join(self.parts)


def error_line(exc):
    """The line in the program where `exc` was raised (innermost frame of <program>), or None."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == PROGRAM_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(exc, SyntaxError) and exc.filename == PROGRAM_FILENAME:
        line = exc.lineno
    return line


def describe(exc):
    """{type, message, line?} for an exception, robust to a hostile __str__."""
    try:
        message = str(exc)
    except BaseException:  # noqa: BLE001 - a program's exception may raise from __str__
        message = "<unprintable exception>"
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[:MAX_MESSAGE_CHARS] + "..."
    info = {"type": type(exc).__name__, "message": message}
    line = error_line(exc)
    if line is not None:
        info["line"] = line
    return info


def referenced_names(code):
    """Every name in co_names of `code` and its nested code objects (imports show up here)."""
    names = set()
    stack = [code]
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(const for const in current.co_consts if isinstance(const, type(current)))
    return names


def modules_to_preload(code):
    """Allowlisted modules the program may import: they must load before seccomp forbids open().

    An over-approximation (a variable called `math` preloads math) that costs a few ms at most;
    importing every allowlisted module up front would cost ~40 ms per program.
    """
    names = referenced_names(code)
    wanted = {name for name in names if name in ALLOWED_MODULES}
    # `from collections import abc` names `collections` and `abc`: load the dotted child too.
    for name in list(wanted):
        for other in names:
            dotted = f"{name}.{other}"
            if dotted in ALLOWED_MODULES:
                wanted.add(dotted)
    return sorted(wanted)


def validate_request(request):
    """Check the request's shape; raise ValueError naming the first problem."""
    if type(request) is not dict:
        raise ValueError("request must be an object")
    if type(request.get("id")) is not str:
        raise ValueError("id must be a string")
    if type(request.get("code")) is not str:
        raise ValueError("code must be a string")
    inputs = request.get("inputs")
    if type(inputs) is not list or not all(type(grid) is list for grid in inputs):
        raise ValueError("inputs must be a list of grids")
    limits = request.get("limits")
    if type(limits) is not dict:
        raise ValueError("limits must be an object")
    for key in ("cpuSeconds", "memoryMb", "wallMs", "maxOutputBytes"):
        value = limits.get(key)
        if type(value) not in (int, float) or value < 0:
            raise ValueError(f"limits.{key} must be a non-negative number")


class _ScannerContext:
    """What `_json.make_scanner` reads off json.JSONDecoder, with the standard defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name):
        raise ValueError(f"{name} is not valid JSON")


_scan = _json.make_scanner(_ScannerContext())


def json_loads(text):
    """Parse one JSON document (str), as json.loads does for plain data."""
    start = len(text) - len(text.lstrip(" \t\n\r"))
    try:
        value, end = _scan(text, start)
    except StopIteration as exc:
        raise ValueError(f"invalid JSON at offset {exc.value}") from None
    except Exception as exc:  # noqa: BLE001
        # The C scanner reports some errors by importing json.decoder.JSONDecodeError, which
        # may be absent (SystemError/ImportError); any failure here is just invalid JSON.
        raise ValueError("invalid JSON") from exc
    if text[end:].strip(" \t\n\r"):
        raise ValueError(f"extra data after JSON at offset {end}")
    return value


def json_dumps(value):
    """Compact JSON for the reply's plain data (dict, list, str, int, bool, None)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is str:
        return _json.encode_basestring_ascii(value)
    if type(value) in (list, tuple):
        return "[" + ",".join(json_dumps(item) for item in value) + "]"
    if type(value) is dict:
        return "{" + ",".join(_json.encode_basestring_ascii(str(k)) + ":" + json_dumps(v) for k, v in value.items()) + "}"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


# ---------------------------------------------------------------------------------------------
# OS-level confinement
# ---------------------------------------------------------------------------------------------

# x86_64 syscall numbers refused with EPERM (clone3 with ENOSYS so libc falls back to clone,
# which is refused too). Only x86_64 is listed: numbers differ per architecture and an
# untested table is worse than none; elsewhere the other layers still hold.
SECCOMP_DENY_X86_64 = {
    # files
    "open": 2, "creat": 85, "openat": 257, "openat2": 437, "open_by_handle_at": 304,
    "name_to_handle_at": 303, "unlink": 87, "unlinkat": 263, "rename": 82, "renameat": 264,
    "renameat2": 316, "mkdir": 83, "mkdirat": 258, "rmdir": 84, "link": 86, "linkat": 265,
    "symlink": 88, "symlinkat": 266, "mknod": 133, "mknodat": 259, "chmod": 90, "fchmod": 91,
    "fchmodat": 268, "chown": 92, "fchown": 93, "lchown": 94, "fchownat": 260, "truncate": 76,
    "ftruncate": 77, "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261, "ioctl": 16,
    # network
    "socket": 41, "socketpair": 53, "connect": 42, "accept": 43, "accept4": 288, "bind": 49,
    "listen": 50,
    # processes and signals to others
    "fork": 57, "vfork": 58, "clone": 56, "execve": 59, "execveat": 322, "kill": 62,
    "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297,
    "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438, "ptrace": 101,
    "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "setsid": 112,
    "setpgid": 109,
    # limits, identity, namespaces, kernel
    "setrlimit": 160, "prlimit64": 302, "setuid": 105, "setgid": 106, "setreuid": 113,
    "setregid": 114, "setresuid": 117, "setresgid": 119, "setgroups": 116, "capset": 126,
    "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
    "chroot": 161, "personality": 135, "io_uring_setup": 425, "io_uring_enter": 426,
    "io_uring_register": 427, "bpf": 321, "userfaultfd": 323, "perf_event_open": 298,
    "keyctl": 250, "add_key": 248, "request_key": 249, "reboot": 169, "swapon": 167,
    "swapoff": 168, "init_module": 175, "finit_module": 313, "delete_module": 176,
    "kexec_load": 246, "kexec_file_load": 320, "acct": 163, "settimeofday": 164,
    "clock_settime": 227, "adjtimex": 159, "sethostname": 170, "setdomainname": 171,
    "iopl": 172, "ioperm": 173, "syslog": 103, "quotactl": 179, "vhangup": 153,
    # the wall-clock backstop timer stays armed
    "alarm": 37, "setitimer": 38, "timer_create": 222,
}
SECCOMP_ENOSYS_X86_64 = {"clone3": 435}
AUDIT_ARCH_X86_64 = 0xC000003E


def build_seccomp_filter(deny, enosys, arch):
    """A classic-BPF seccomp program as (code, jt, jf, k) tuples.

    Layout: check arch (else kill), refuse the x32 ABI (else its numbers would bypass the
    table), then one JEQ per syscall jumping to an EPERM or ENOSYS return, else ALLOW.
    """
    ld_abs, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, kill = 0x7FFF0000, 0x80000000
    errno_ret = 0x00050000
    eperm, enosys_errno = 1, 38
    checks = [(nr, "eperm") for nr in sorted(deny.values())] + [
        (nr, "enosys") for nr in sorted(enosys.values())
    ]
    n = len(checks)
    # Indices: 0 ld arch, 1 jeq arch, 2 ld nr, 3 jge x32, 4..4+n-1 checks,
    # 4+n allow, 5+n eperm, 6+n enosys, 7+n kill.
    allow_at, eperm_at, enosys_at, kill_at = 4 + n, 5 + n, 6 + n, 7 + n
    prog = [
        (ld_abs, 0, 0, 4),  # seccomp_data.arch
        (jeq, 0, kill_at - 2, arch),
        (ld_abs, 0, 0, 0),  # seccomp_data.nr
        (jge, kill_at - 4, 0, 0x40000000),
    ]
    for i, (nr, kind) in enumerate(checks):
        at = 4 + i
        target = eperm_at if kind == "eperm" else enosys_at
        prog.append((jeq, target - at - 1, 0, nr))
    prog += [
        (ret, 0, 0, allow),
        (ret, 0, 0, errno_ret | eperm),
        (ret, 0, 0, errno_ret | enosys_errno),
        (ret, 0, 0, kill),
    ]
    assert len(prog) == kill_at + 1
    assert all(0 <= jt <= 255 and 0 <= jf <= 255 for _, jt, jf, _ in prog)
    return prog


def install_seccomp():
    """Install the filter on this process. Returns True when installed, False when unavailable."""
    if not sys.platform.startswith("linux") or os.uname().machine != "x86_64":
        return False
    import ctypes  # preloaded by main(): importing it now would need open()

    class SockFilter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]

    prog = build_seccomp_filter(SECCOMP_DENY_X86_64, SECCOMP_ENOSYS_X86_64, AUDIT_ARCH_X86_64)
    filters = (SockFilter * len(prog))(*[SockFilter(*ins) for ins in prog])
    fprog = SockFprog(len(prog), ctypes.cast(filters, ctypes.POINTER(SockFilter)))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) == 0


def apply_rlimits(limits):
    """CPU seconds, address space, no file writes, no core files, no new processes."""
    import math
    import resource

    def set_limit(which, soft, hard=None):
        try:
            resource.setrlimit(which, (soft, soft if hard is None else hard))
        except (ValueError, OSError):
            pass  # a limit the platform lacks; the other layers still apply

    cpu = max(1, math.ceil(limits["cpuSeconds"]))
    # SIGXCPU at the soft limit (the parent reports a timeout); SIGKILL one second later in
    # case the program blocked SIGXCPU.
    set_limit(resource.RLIMIT_CPU, cpu, cpu + 1)
    # A backstop for the parent's wall-clock kill: should the parent die first, a program blocked
    # without using CPU still ends (SIGALRM's default action terminates; nothing handles it).
    import _signal  # the C module: `signal` would import enum (~8 ms)

    _signal.setitimer(_signal.ITIMER_REAL, limits["wallMs"] / 1000 + 1)
    memory = int(limits["memoryMb"]) * 1024 * 1024
    set_limit(resource.RLIMIT_AS, memory)
    set_limit(resource.RLIMIT_FSIZE, 0)
    set_limit(resource.RLIMIT_CORE, 0)
    # Ignored for root (seccomp refuses fork/clone there), effective otherwise.
    set_limit(resource.RLIMIT_NPROC, 0)


def limit_new_fds():
    """Set RLIMIT_NOFILE so that no new descriptor can be opened (all slots below are taken)."""
    import resource

    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = [0, 1, 2]
    cap = max(fds)  # listdir's own fd is closed by now, so max+0 leaves at most its slot free
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (cap, cap))
    except (ValueError, OSError):
        pass


# ---------------------------------------------------------------------------------------------
# Running a program
# ---------------------------------------------------------------------------------------------


class Fatal(Exception):
    def __init__(self, code, info):
        super().__init__(info.get("message", code))
        self.code = code
        self.info = info


def run_program(code_obj, inputs, capture, real_builtins, real_import):
    """Execute the module, then transform each input. Returns the per-input results list.

    Raises Fatal for failures of the program as a whole.
    """
    program_globals = {
        "__name__": "__program__",
        "__builtins__": make_builtins(real_builtins, real_import),
    }

    def check_fatal(exc):
        if capture.exceeded or isinstance(exc, OutputLimitExceeded):
            raise Fatal("output_too_large", {"message": f"the program printed more than {capture.limit} bytes"})
        if isinstance(exc, MemoryError):
            raise Fatal("memory", {**describe(exc), "message": "the program ran out of memory"})
        if isinstance(exc, ForbiddenImport):
            raise Fatal("forbidden_import", describe(exc))
        if isinstance(exc, ForbiddenOperation):
            raise Fatal("forbidden", describe(exc))

    try:
        exec(code_obj, program_globals)  # noqa: S102 - the sandbox is the point
    except BaseException as exc:  # noqa: BLE001
        check_fatal(exc)
        raise Fatal("module_error", describe(exc))
    if capture.exceeded:
        check_fatal(None)
    transform = program_globals.get("transform")
    if not callable(transform):
        raise Fatal("no_transform", {"message": "the program defines no function transform(grid)"})

    results = []
    for grid in inputs:
        try:
            value = transform([list(row) for row in grid])
        except BaseException as exc:  # noqa: BLE001
            check_fatal(exc)
            results.append({"ok": False, "error": describe(exc)})
            continue
        if capture.exceeded:
            check_fatal(None)
        try:
            results.append({"ok": True, "grid": normalize_grid(value)})
        except ValueError as exc:
            results.append({"ok": False, "error": {"type": "BadGrid", "message": str(exc)}})
        except BaseException as exc:  # noqa: BLE001 - len() of a hostile object, MemoryError
            check_fatal(exc)
            results.append({"ok": False, "error": {"type": "BadGrid", **describe(exc)}})
    return results


def main():
    real_write = os.write
    real_exit = os._exit
    stdin = sys.stdin.buffer
    raw = stdin.readline(MAX_REQUEST_BYTES + 1)
    request_id = ""

    # The reply goes to a private dup of fd 1; fd 1 itself becomes /dev/null so that a program
    # writing straight to fd 1 cannot forge or corrupt the protocol line.
    proto_fd = os.dup(1)
    null_fd = os.open(os.devnull, os.O_RDWR)
    os.dup2(null_fd, 0)
    os.dup2(null_fd, 1)

    def reply(payload):
        data = (json_dumps(payload) + "\n").encode("ascii")
        view = memoryview(data)
        while view:
            written = real_write(proto_fd, view)
            view = view[written:]
        real_exit(0)

    capture = None
    seccomp_on = False
    try:
        if len(raw) > MAX_REQUEST_BYTES:
            raise ValueError("request too large")
        request = json_loads(raw.decode("utf-8"))
        validate_request(request)
        request_id = request["id"]
        limits = request["limits"]
        capture = BoundedCapture(int(limits["maxOutputBytes"]))
    except Exception as exc:  # noqa: BLE001 - malformed JSON, wrong shape
        reply({"id": request_id, "fatal": {"code": "bad_request", "message": str(exc)}, "stdout": ""})

    try:
        apply_rlimits(limits)
        sys.setrecursionlimit(RECURSION_LIMIT)
        try:
            code_obj = compile(request["code"], PROGRAM_FILENAME, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            # ValueError: source with NUL bytes.
            info = describe(exc)
            if isinstance(exc, SyntaxError) and exc.lineno is not None:
                info["line"] = exc.lineno
                info["message"] = f"{exc.msg} (line {exc.lineno})"
            raise Fatal("syntax", info)
        except RecursionError as exc:
            raise Fatal("syntax", {**describe(exc), "message": "the program is nested too deeply to compile"})

        import builtins

        real_import = builtins.__import__
        for name in modules_to_preload(code_obj):
            try:
                real_import(name)
            except ImportError:
                pass  # a missing optional module: the program's own import will say so

        import ctypes  # noqa: F401 - loaded now, while open() still works, for install_seccomp

        limit_new_fds()
        seccomp_on = install_seccomp()
        posix = sys.modules.get("posix")
        neuter_module(os, NEUTERED_OS_FUNCTIONS)
        if posix is not None:
            neuter_module(posix, NEUTERED_OS_FUNCTIONS)
        for name in ("_posixsubprocess", "resource", "ctypes", "_ctypes", "signal", "_signal"):
            module = sys.modules.get(name)
            if module is not None:
                neuter_module(module, [n for n in dir(module) if not n.startswith("__")])

        sys.stdout = capture
        sys.stderr = capture
        results = run_program(code_obj, request["inputs"], capture, vars(builtins).copy(), real_import)
        reply({"id": request_id, "results": results, "stdout": capture.getvalue(), "seccomp": seccomp_on})
    except Fatal as fatal:
        fatal_info = {"code": fatal.code, **fatal.info}
        reply({"id": request_id, "fatal": fatal_info, "stdout": capture.getvalue(), "seccomp": seccomp_on})
    except MemoryError:
        reply({"id": request_id, "fatal": {"code": "memory", "message": "the program ran out of memory"}, "stdout": ""})
    except BaseException as exc:  # noqa: BLE001 - never die without a reply if we can help it
        reply({"id": request_id, "fatal": {"code": "internal", **describe(exc)}, "stdout": ""})


if __name__ == "__main__":
    main()
