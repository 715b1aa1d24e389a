"""Grover sandbox worker: runs ONE untrusted `transform(grid)` program, then exits.

Spoken to over NDJSON by `lib/producers/grover/sandbox.ts`, which spawns a fresh
`bwrap ... python3 -I -S sandbox_worker.py` per program (a fresh process per program means nothing a
program does can leak into the next one, and killing the process always ends it).

Protocol (UTF-8 JSON lines):

  request  (stdin):  {"id", "code", "inputs": [Grid, ...],
                      "limits": {"cpuSeconds", "memoryMb", "wallMs", "maxOutputBytes"},
                      "hostNamespaces": {"pid": "pid:[...]", ...}, "serverUid": int,
                      "simulateUnavailable"?: [layer, ...]}
  hello    (stdout): {"id", "hello": {"namespaces", "uid", "gid", "noNewPrivs", "seccomp",
                                      "rlimits", "env"}}   -- every layer, before the program runs
  reply    (stdout): {"id", "results": [{"ok": true, "grid": Grid}
                                        | {"ok": false, "error": {"type", "message", "line"?}}],
                      "stdout": str}
                  or {"id", "fatal": {"code", "message", "type"?, "line"?, "layer"?}, "stdout": str}

`stdout` is what the program printed (print() to stdout and stderr both), at most
maxOutputBytes. The reply fd must be a pipe: RLIMIT_FSIZE 0 makes writes to a regular file fail.

`results` has one entry per input. `fatal` means the program as a whole failed: codes are
syntax, forbidden_import, forbidden, no_transform, module_error, memory, output_too_large,
bad_request, internal, and unconfined: a confinement layer could not be installed, so the
program was NOT run (no hello is sent). Wall time is enforced by the parent (it SIGKILLs the
process group); CPU time by RLIMIT_CPU (SIGXCPU, then SIGKILL at the hard limit).

Confinement, outermost first (docs/security.md; the Python-level layers alone are NOT a
security boundary: any Python object graph leads back to `os`, `open` and ctypes):

  1. the parent (lib/workers): bubblewrap's new pid/net/ipc/uts/mount namespaces on a read-only
     minimal filesystem, an empty environment, wall-clock SIGKILL of the group, bounded reads,
     zod validation of the hello and the reply, a global cap on sandbox processes;
  2. this worker checks it is in none of the server's namespaces and sees no environment, drops
     to nobody (setgroups, setresgid, setresuid; no capability left), sets NO_NEW_PRIVS;
  3. rlimits: CPU, address space, no file writes (FSIZE 0), no new fds, no processes, no core;
  4. seccomp: a default-deny ALLOWLIST of the syscalls CPython needs to compute and reply
     (EPERM for the rest; kill for a foreign ABI); no table for the architecture, no run;
  5. Python guards: an import allowlist, `open`/`exec`/`eval`/`compile`/`input` replaced by
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
# module's globals gets a clear error (the kernel refuses them anyway).
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

# The seccomp ALLOWLIST (default deny), per architecture: what CPython needs, once its modules
# are loaded, to run a pure function on lists, print into a buffer and write one reply. Every
# other syscall fails with EPERM (so `open` raises PermissionError); a foreign ABI (x32, i386
# on x86_64) kills the process. An architecture without a table here is refused: no filter,
# no run. Numbers from the kernel's arch/x86/entry/syscalls/syscall_64.tbl.
SECCOMP_ALLOW = {
    "x86_64": {
        "read": 0, "write": 1, "close": 3, "mmap": 9, "mprotect": 10,
        "munmap": 11, "brk": 12, "rt_sigaction": 13, "rt_sigprocmask": 14, "rt_sigreturn": 15,
        "mremap": 25, "madvise": 28, "getpid": 39, "exit": 60, "getuid": 102, "getgid": 104,
        "geteuid": 107, "getegid": 108, "sigaltstack": 131, "gettid": 186, "futex": 202,
        "clock_gettime": 228, "clock_getres": 229, "exit_group": 231, "getrandom": 318,
    },
}
AUDIT_ARCH = {"x86_64": 0xC000003E}
SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
EPERM = 1

# The unprivileged identity a program runs as when the worker starts as root: nobody/nogroup.
SANDBOX_UID = 65534
SANDBOX_GID = 65534
# Namespaces the worker must be in, other than the server's (bubblewrap creates them).
REQUIRED_NAMESPACES = ("pid", "net", "ipc", "mnt", "uts")
# The environment a program may see: nothing of the server's.
ALLOWED_ENV = frozenset({"LC_ALL", "PWD"})  # bubblewrap sets PWD from --chdir
# Layers a request may ask to simulate as unavailable (tests of the refusal path).
LAYERS = ("namespaces", "env", "uid", "no_new_privs", "rlimits", "seccomp")


class Unconfined(Exception):
    """A confinement layer could not be installed: the program must not run."""

    def __init__(self, layer, message):
        super().__init__(f"{layer}: {message}")
        self.layer = layer


def build_seccomp_filter(allow, arch):
    """A classic-BPF seccomp program as (code, jt, jf, k) tuples.

    Layout: check arch (else kill), refuse the x32 ABI (else kill: its numbers would bypass the
    table), then one JEQ per allowed syscall jumping to ALLOW, else ERRNO(EPERM).
    """
    ld_abs, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    numbers = sorted(set(allow.values()))
    n = len(numbers)
    # Indices: 0 ld arch, 1 jeq arch, 2 ld nr, 3 jge x32, 4..4+n-1 checks, 4+n eperm, 5+n allow, 6+n kill.
    eperm_at, allow_at, kill_at = 4 + n, 5 + n, 6 + n
    prog = [
        (ld_abs, 0, 0, 4),  # seccomp_data.arch
        (jeq, 0, kill_at - 2, arch),
        (ld_abs, 0, 0, 0),  # seccomp_data.nr
        (jge, kill_at - 4, 0, 0x40000000),
    ]
    for i, nr in enumerate(numbers):
        at = 4 + i
        prog.append((jeq, allow_at - at - 1, 0, nr))
    prog += [
        (ret, 0, 0, SECCOMP_RET_ERRNO | EPERM),
        (ret, 0, 0, SECCOMP_RET_ALLOW),
        (ret, 0, 0, SECCOMP_RET_KILL_PROCESS),
    ]
    assert len(prog) == kill_at + 1
    assert all(0 <= jt <= 255 and 0 <= jf <= 255 for _, jt, jf, _ in prog)
    return prog


def _libc():
    import ctypes  # preloaded by main(): importing it later would need open()

    return ctypes, ctypes.CDLL(None, use_errno=True)


PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 39, 22, 2


def install_seccomp(machine=None):
    """Install the allowlist filter on this process, or raise Unconfined."""
    machine = machine or os.uname().machine
    if not sys.platform.startswith("linux"):
        raise Unconfined("seccomp", "seccomp needs Linux")
    if machine not in SECCOMP_ALLOW:
        raise Unconfined("seccomp", f"no syscall allowlist for architecture {machine!r}")
    ctypes, libc = _libc()

    class SockFilter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]

    prog = build_seccomp_filter(SECCOMP_ALLOW[machine], AUDIT_ARCH[machine])
    filters = (SockFilter * len(prog))(*[SockFilter(*ins) for ins in prog])
    fprog = SockFprog(len(prog), ctypes.cast(filters, ctypes.POINTER(SockFilter)))
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise Unconfined("seccomp", f"prctl(PR_SET_SECCOMP) failed (errno {ctypes.get_errno()})")


def set_no_new_privs():
    """PR_SET_NO_NEW_PRIVS: nothing this process runs can gain privileges (setuid bits, caps)."""
    ctypes, libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1:
        raise Unconfined("no_new_privs", f"prctl(PR_SET_NO_NEW_PRIVS) failed (errno {ctypes.get_errno()})")


def check_namespaces(host):
    """Check this process is in new namespaces: each differs from the server's (`host`)."""
    if type(host) is not dict:
        raise Unconfined("namespaces", "the request names no server namespaces to compare with")
    installed = []
    for name in REQUIRED_NAMESPACES:
        theirs = host.get(name)
        try:
            mine = os.readlink(f"/proc/self/ns/{name}")
        except OSError as exc:
            raise Unconfined("namespaces", f"cannot read /proc/self/ns/{name} ({exc.strerror})") from None
        if type(theirs) is not str or not theirs or mine == theirs:
            raise Unconfined("namespaces", f"not in a new {name} namespace")
        installed.append(name)
    try:
        theirs = host.get("user")
        if type(theirs) is str and os.readlink("/proc/self/ns/user") != theirs:
            installed.append("user")
    except OSError:
        pass
    return installed


def check_env():
    """Nothing of the server's environment (API keys, secrets) may be visible."""
    extra = sorted(set(os.environ) - ALLOWED_ENV)
    if extra:
        raise Unconfined("env", f"unexpected environment variables: {', '.join(extra[:5])}")


def capabilities():
    """(effective, permitted) capability sets of this process, via capget(2)."""
    ctypes, libc = _libc()

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)
    data = (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise Unconfined("uid", f"capget failed (errno {ctypes.get_errno()})")
    return (data[0].effective | data[1].effective << 32, data[0].permitted | data[1].permitted << 32)


def host_uid_of(uid):
    """The uid that `uid` is in the parent user namespace (from /proc/self/uid_map), or None."""
    with open("/proc/self/uid_map") as f:  # noqa: PTH123 - before seccomp
        for line in f:
            inside, outside, count = (int(part) for part in line.split())
            if inside <= uid < inside + count:
                return outside + (uid - inside)
    return None


def check_not_root_outside(uid, host, server_uid):
    """The program's uid must not be root on the host either.

    In the server's own user namespace the uid map is the identity and says so directly. In a
    new one (made by an unprivileged bubblewrap, which nests two), the map only shows the level
    above; such a namespace belongs to the server's uid, which must then not be root.
    """
    try:
        in_host_userns = type(host) is dict and os.readlink("/proc/self/ns/user") == host.get("user")
        if in_host_userns:
            if host_uid_of(uid) in (0, None):
                raise Unconfined("uid", "the sandbox uid is root on the host")
        elif type(server_uid) is not int or server_uid == 0:
            raise Unconfined("uid", "in a user namespace owned by root, whose uids map back to root")
    except (OSError, ValueError):
        raise Unconfined("uid", "cannot read /proc/self/uid_map") from None


def drop_privileges(host=None, server_uid=None):
    """Run as nobody, never root: drop groups, gid, uid; check no capability is left."""
    try:
        if os.geteuid() == 0 or os.getuid() == 0:
            os.setgroups([])
            os.setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID)
            os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)
    except OSError as exc:
        raise Unconfined("uid", f"cannot become uid {SANDBOX_UID} ({exc.strerror})") from None
    uids, gids = os.getresuid(), os.getresgid()
    if 0 in uids or 0 in gids or 0 in os.getgroups():
        raise Unconfined("uid", "still root (uid, gid or a supplementary group 0)")
    effective, permitted = capabilities()
    if effective or permitted:
        raise Unconfined("uid", "capabilities remain after the uid drop")
    check_not_root_outside(uids[0], host, server_uid)
    return uids[0]


def apply_rlimits(limits):
    """CPU seconds, address space, no file writes, no core files, no new processes."""
    import math
    import resource

    def set_limit(which, soft, hard=None):
        try:
            resource.setrlimit(which, (soft, soft if hard is None else hard))
        except (ValueError, OSError) as exc:
            raise Unconfined("rlimits", f"setrlimit({which}) failed: {exc}") from None

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
    # Ignored for root; effective once the worker has dropped to nobody (seccomp refuses clone too).
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


def confine(request, proto_fd, real_write):
    """Install every layer, innermost last, then send the hello line naming them.

    Raises Unconfined when one cannot be installed; nothing of the program has run by then.
    The hello is written before the program runs, so a program cannot forge it.
    """
    simulated = set(request.get("simulateUnavailable") or ())

    def layer(name):
        if name in simulated:
            raise Unconfined(name, "simulated as unavailable")

    layer("namespaces")
    namespaces = check_namespaces(request.get("hostNamespaces"))
    layer("env")
    check_env()
    layer("uid")
    uid = drop_privileges(request.get("hostNamespaces"), request.get("serverUid"))
    limit_new_fds()  # after the last open() of set-up (uid_map)
    layer("no_new_privs")
    set_no_new_privs()
    layer("seccomp")
    machine = os.uname().machine
    install_seccomp(machine)
    confinement = {
        "namespaces": namespaces,
        "uid": uid,
        "gid": os.getgid(),
        "noNewPrivs": True,
        "seccomp": "allowlist:" + machine,
        "rlimits": ["cpu", "as", "fsize", "core", "nproc", "nofile"],
        "env": "clear",
    }
    data = (json_dumps({"id": request["id"], "hello": confinement}) + "\n").encode("ascii")
    view = memoryview(data)
    while view:
        view = view[real_write(proto_fd, view):]
    return confinement


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
        simulated = request.get("simulateUnavailable") or []
        if type(simulated) is not list or not all(layer in LAYERS for layer in simulated):
            raise Unconfined("request", "simulateUnavailable names an unknown layer")
        if "rlimits" in simulated:
            raise Unconfined("rlimits", "simulated as unavailable")
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

        import ctypes  # noqa: F401 - loaded now, while open() still works, for the layers below

        confinement = confine(request, proto_fd, real_write)
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
        reply({"id": request_id, "results": results, "stdout": capture.getvalue()})
    except Unconfined as exc:
        # No confinement, no run: the program has not been executed.
        message = f"the sandbox could not install its {exc.layer} layer, so the program was not run ({exc})"
        reply({"id": request_id, "fatal": {"code": "unconfined", "layer": exc.layer, "message": message}, "stdout": ""})
    except Fatal as fatal:
        fatal_info = {"code": fatal.code, **fatal.info}
        reply({"id": request_id, "fatal": fatal_info, "stdout": capture.getvalue()})
    except MemoryError:
        reply({"id": request_id, "fatal": {"code": "memory", "message": "the program ran out of memory"}, "stdout": ""})
    except BaseException as exc:  # noqa: BLE001 - never die without a reply if we can help it
        reply({"id": request_id, "fatal": {"code": "internal", **describe(exc)}, "stdout": ""})


if __name__ == "__main__":
    main()
