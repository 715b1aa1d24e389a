/**
 * Attacks on the program sandbox (issue 12, part 2), each a program a model could write, run on
 * the real worker exactly as the Grover and analysis producers run it. Each test asserts what
 * must hold afterwards on this side (the "server" here is the test process, the sandbox's
 * parent): its mounts, its nice value, CPU affinity and scheduler, and a canary secret in its
 * environment that must appear nowhere in what the run returns.
 */
import { readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAppError } from '../../lib/errors';
import { runProgram, type ProgramRun } from '../../lib/producers/grover/sandbox';

const CANARY = `canary-${Math.random().toString(36).slice(2)}-secret`;
const INPUTS = [[[1, 2], [3, 4]]];

/** What an attack may change in the parent, read from /proc and the OS. */
function parentState() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name, which sits in parentheses: policy is field 41 of stat.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    mounts: readFileSync('/proc/self/mountinfo', 'utf8'),
    nice: getPriority(),
    affinity: /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1],
    policy: fields[41 - 3],
  };
}

let before: ReturnType<typeof parentState>;
beforeAll(() => {
  process.env.STREAMCONSOLE_ATTACK_CANARY = CANARY;
  before = parentState();
});
afterAll(() => {
  delete process.env.STREAMCONSOLE_ATTACK_CANARY;
});

function expectParentUntouched(run: ProgramRun): void {
  expect(parentState()).toEqual(before);
  expect(JSON.stringify(run)).not.toContain(CANARY);
}

/**
 * A program body that finds `_ctypes.CFuncPtr` through object.__subclasses__() and makes a
 * CFuncPtr subclass for libc's syscall() with handle 0 (dlsym(RTLD_DEFAULT)): raw syscalls,
 * past every Python-level guard. The call returns -1 when the kernel refuses.
 */
const LIBC_SYSCALL = [
  '    subs = {}',
  '    todo = [object]',
  '    while todo:',
  '        c = todo.pop()',
  '        for s in type.__subclasses__(c):',
  '            if s.__name__ not in subs:',
  '                subs[s.__name__] = s',
  '                todo.append(s)',
  "    class F(subs['CFuncPtr']):",
  '        _flags_ = 1',
  "        _restype_ = subs['c_long']",
  '    class H:',
  '        _handle = 0',
  "    syscall = F(('syscall', H()))",
].join('\n');

describe('the program sandbox', () => {
  test('libc syscall() through ctypes from object.__subclasses__() cannot mount: mount(2) and the new mount API are refused', async () => {
    // mount(2), then fsopen, fsconfig, fsmount, move_mount, open_tree, fspick, mount_setattr.
    const code = [
      'def transform(grid):',
      LIBC_SYSCALL,
      '    print(syscall(39) > 0)', // getpid works: the attack itself is live
      '    print([syscall(165, b"none", b"/usr", b"tmpfs", 0, 0)] + [syscall(nr, b"tmpfs", 0, 0, 0, 0) for nr in (428, 429, 430, 431, 432, 433, 442)])',
      '    return grid',
    ].join('\n');
    const run = await runProgram({ code, inputs: INPUTS });
    expectParentUntouched(run);
    expect(run).toMatchObject({ status: 'ok', stdout: `True\n[${Array(8).fill('-1').join(', ')}]\n` });
  });

  test('libc syscall() through ctypes cannot renice, pin or reschedule the parent either', async () => {
    const code = [
      'def transform(grid):',
      LIBC_SYSCALL,
      '    mask = (1).to_bytes(128, "little")',
      `    print([syscall(141, 0, pid, 19) for pid in (1, ${process.pid})] + [syscall(203, ${process.pid}, 128, mask), syscall(144, ${process.pid}, 5, (0).to_bytes(8, "little"))])`,
      '    return grid',
    ].join('\n');
    const run = await runProgram({ code, inputs: INPUTS });
    expectParentUntouched(run);
    expect(run).toMatchObject({ status: 'ok', stdout: '[-1, -1, -1, -1]\n' });
  });

  test('the real os through random._os cannot renice, pin or reschedule the parent', async () => {
    const code = [
      'import random',
      'def transform(grid):',
      '    os = random._os',
      `    for pid in (os.getppid(), ${process.pid}, 1):`,
      '        for attempt in (lambda: os.setpriority(os.PRIO_PROCESS, pid, 19),',
      '                        lambda: os.sched_setaffinity(pid, {0}),',
      '                        lambda: os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))):',
      '            try:',
      '                attempt()',
      '                print("allowed")',
      '            except BaseException as e:',
      '                print(type(e).__name__)',
      '    return grid',
    ].join('\n');
    const run = await runProgram({ code, inputs: INPUTS });
    expectParentUntouched(run);
    expect(run.stdout).not.toContain('allowed');
  });

  test('the real open through random.Random.seed.__globals__ cannot read the parent environment, and the canary never comes back', async () => {
    const code = [
      'import random',
      'def transform(grid):',
      "    real_open = random.Random.seed.__globals__['__builtins__']['open']",
      '    found = []',
      `    for path in ('/proc/%d/environ' % random._os.getppid(), '/proc/${process.pid}/environ', '/proc/1/environ', '/proc/self/environ'):`,
      '        try:',
      "            found.append(real_open(path, 'rb').read().decode('latin-1'))",
      '        except BaseException as e:',
      '            found.append(type(e).__name__)',
      "    found.append(repr(dict(random._os.environ)))",
      "    raise RuntimeError(' | '.join(found))",
    ].join('\n');
    const run = await runProgram({ code, inputs: INPUTS });
    expectParentUntouched(run);
    expect(run).toMatchObject({ status: 'ok', outputs: [{ ok: false, error: { type: 'RuntimeError' } }] });
  });

  test('the program runs as an unprivileged user with no network and its own pid namespace', async () => {
    const code = [
      'import random',
      'def transform(grid):',
      '    os = random._os',
      '    print(os.getuid(), os.getgid(), os.getpid())',
      '    try:',
      "        s = __import__('typing').sys.modules['_socket'].socket()",
      "        print('socket')",
      '    except BaseException as e:',
      '        print(type(e).__name__)',
      '    return grid',
    ].join('\n');
    const run = await runProgram({ code, inputs: INPUTS });
    expectParentUntouched(run);
    const [ids] = run.stdout.split('\n');
    const [uid, gid, pid] = (ids ?? '').split(' ').map(Number);
    expect(uid).not.toBe(0);
    expect(gid).not.toBe(0);
    expect(pid).toBeLessThan(10); // pid 2 or so: a new pid namespace
    expect(run.stdout).not.toContain('socket\n');
  });

  test.each(['seccomp', 'namespaces', 'uid', 'no_new_privs', 'rlimits', 'env'] as const)(
    'when the %s layer cannot be installed the worker refuses and the program does not run',
    async (layer) => {
      const error = await runProgram({ code: 'print("ran")\ndef transform(grid):\n    return grid\n', inputs: INPUTS, simulateUnavailable: [layer] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(error) && error.code).toBe('sandbox:unconfined');
      expect(String((error as Error).message)).toContain(layer);
      expect(String((error as Error).message)).not.toContain('ran');
    },
  );

  test('a missing bubblewrap means no run, with an error that says what to install', async () => {
    const error = await runProgram({ code: 'def transform(grid):\n    return grid\n', inputs: INPUTS, bwrap: '/nonexistent/bwrap' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe('sandbox:unconfined');
    expect((error as Error).message).toContain('bubblewrap');
  });
});
