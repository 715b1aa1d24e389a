import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { AppError } from '../../errors';
import { runProgram, type ProgramRun, type RunProgramOptions } from './sandbox';

// Every process the suite starts, so the end of the suite can check none is left.
const spawned: number[] = [];

function run(code: string, options: Partial<RunProgramOptions> = {}): Promise<ProgramRun> {
  return runProgram({ code, inputs: [[[1, 2], [3, 4]], [[5]]], onSpawn: (pid) => spawned.push(pid), ...options });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const FLIP = 'def transform(grid):\n    return [row[::-1] for row in grid]\n';

function expectError(result: ProgramRun, code: string): void {
  expect(result.status).toBe('error');
  if (result.status === 'error') expect(result.error.code).toBe(code);
}

async function expectStillWorks(): Promise<void> {
  const after = await run(FLIP);
  expect(after).toMatchObject({ status: 'ok', outputs: [{ ok: true, grid: [[2, 1], [4, 3]] }, { ok: true, grid: [[5]] }] });
}

describe('runProgram', () => {
  test('a correct program returns one grid per input', async () => {
    const result = await run(FLIP);
    expect(result).toMatchObject({ status: 'ok', outputs: [{ ok: true, grid: [[2, 1], [4, 3]] }, { ok: true, grid: [[5]] }], stdout: '' });
  });

  test('rows returned as tuples (zip) are accepted as a grid', async () => {
    const result = await run('def transform(grid):\n    return list(zip(*grid))\n');
    expect(result).toMatchObject({ status: 'ok', outputs: [{ ok: true, grid: [[1, 3], [2, 4]] }, { ok: true, grid: [[5]] }] });
  });

  test('allowlisted modules import and work', async () => {
    const code = 'import math, itertools, functools, copy, re, typing\nfrom collections import Counter, deque\n\ndef transform(grid):\n    c = Counter(itertools.chain(*grid))\n    return [[max(c) % 10]]\n';
    expect(await run(code)).toMatchObject({ status: 'ok', outputs: [{ ok: true, grid: [[4]] }, { ok: true, grid: [[5]] }] });
  });

  test('what the program prints comes back in stdout', async () => {
    const result = await run('def transform(grid):\n    print("size", len(grid))\n    return grid\n');
    expect(result.status).toBe('ok');
    expect(result.stdout).toBe('size 2\nsize 1\n');
  });

  test('an exception in transform is a per-input error with its type, message and line', async () => {
    const result = await run('def transform(grid):\n    if len(grid) == 1:\n        raise ValueError("too small")\n    return grid\n');
    expect(result).toMatchObject({
      status: 'ok',
      outputs: [{ ok: true, grid: [[1, 2], [3, 4]] }, { ok: false, error: { type: 'ValueError', message: 'too small', line: 3 } }],
    });
  });

  test('a malformed grid is a per-input BadGrid error saying what is wrong', async () => {
    const result = await run('def transform(grid):\n    return [[1, 2], [3]] if len(grid) == 2 else [[10]]\n');
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.outputs[0]).toEqual({ ok: false, error: { type: 'BadGrid', message: 'row 1 has 1 cells, expected 2 like row 0' } });
    expect(result.outputs[1]).toMatchObject({ ok: false, error: { type: 'BadGrid', message: 'cell [0][0] is 10, expected an int 0-9' } });
  });

  test('returning None is a per-input error', async () => {
    const result = await run('def transform(grid):\n    grid[0][0] = 0\n');
    expect(result).toMatchObject({ status: 'ok', outputs: [{ ok: false, error: { type: 'BadGrid' } }, { ok: false }] });
  });

  test('a syntax error is reported with its line', async () => {
    const result = await run('def transform(grid):\n    return [row for row in grid\n');
    expectError(result, 'syntax');
    if (result.status === 'error') expect(result.error.line).toBe(2);
  });

  test('a program without transform is no_transform', async () => {
    expectError(await run('def solve(grid):\n    return grid\n'), 'no_transform');
  });

  test('an error in the module body is module_error', async () => {
    const result = await run('x = undefined_name\ndef transform(grid):\n    return grid\n');
    expectError(result, 'module_error');
    if (result.status === 'error') expect(result.error).toMatchObject({ type: 'NameError', line: 1 });
  });

  test.each([
    ['os', 'import os\ndef transform(grid):\n    os.system("true")\n    return grid\n'],
    ['subprocess', 'def transform(grid):\n    import subprocess\n    subprocess.run(["true"])\n    return grid\n'],
    ['socket', 'import socket\ndef transform(grid):\n    socket.create_connection(("example.com", 80))\n    return grid\n'],
    ['numpy', 'import numpy as np\ndef transform(grid):\n    return np.array(grid).tolist()\n'],
  ])('importing %s is forbidden_import', async (_name, code) => {
    const result = await run(code);
    expectError(result, 'forbidden_import');
    if (result.status === 'error') expect(result.error.message).toMatch(/is not allowed in the sandbox/);
  });

  test('opening a file is forbidden', async () => {
    const result = await run('def transform(grid):\n    open("/tmp/grover-pwned", "w").write("x")\n    return grid\n');
    expectError(result, 'forbidden');
  });

  test('reaching os through a module global still cannot fork', async () => {
    const result = await run('import typing\ndef transform(grid):\n    typing.sys.modules["os"].fork()\n    return grid\n');
    expectError(result, 'forbidden');
  });

  test('the real open and import, reached through sys.modules, are refused by the kernel', async () => {
    const code = [
      'import typing',
      'b = typing.sys.modules["builtins"]',
      'def transform(grid):',
      '    if len(grid) == 2:',
      '        b.open("/etc/hostname").read()',
      '    b.__import__("socket").socket()',
      '    return grid',
    ].join('\n');
    const result = await run(code);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.outputs[0]).toMatchObject({ ok: false, error: { type: 'PermissionError' } });
    expect(result.outputs[1]).toMatchObject({ ok: false });
  });

  test('the program sees no environment variables of the server', async () => {
    process.env.GROVER_SANDBOX_TEST_SECRET = 'hunter2';
    try {
      const code = 'import typing\ndef transform(grid):\n    env = typing.sys.modules["posix"].environ\n    return [[int(b"GROVER_SANDBOX_TEST_SECRET" in env)]]\n';
      expect(await run(code)).toMatchObject({ status: 'ok', outputs: [{ ok: true, grid: [[0]] }, { ok: true, grid: [[0]] }] });
    } finally {
      delete process.env.GROVER_SANDBOX_TEST_SECRET;
    }
  });

  test('an endless loop is killed at the wall-clock limit', async () => {
    const started = Date.now();
    let pid = 0;
    const result = await run('def transform(grid):\n    while True:\n        pass\n', { limits: { wallMs: 500 }, onSpawn: (p) => ((pid = p), spawned.push(p)) });
    expectError(result, 'timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isAlive(pid)).toBe(false);
  });

  test('an endless loop past the CPU limit is a timeout too', async () => {
    const result = await run('def transform(grid):\n    while True:\n        pass\n', { limits: { cpuSeconds: 1, wallMs: 5_000 } });
    expectError(result, 'timeout');
    if (result.status === 'error') expect(result.error.message).toMatch(/CPU/);
  });

  test('unbounded allocation is a memory error', async () => {
    const result = await run('def transform(grid):\n    xs = []\n    while True:\n        xs.append(bytearray(10**7))\n', { limits: { memoryMb: 128 } });
    expectError(result, 'memory');
  });

  test('printing megabytes is output_too_large and keeps the first bytes', async () => {
    const result = await run('def transform(grid):\n    while True:\n        print("x" * 10000)\n', { limits: { maxOutputBytes: 1024 } });
    expectError(result, 'output_too_large');
    expect(result.stdout).toHaveLength(1024);
  });

  test('garbage written straight to the reply pipe is bad_output, not a crash', async () => {
    // FileIO on an existing descriptor needs no open(): the program can reach the private reply fd.
    const code = 'import typing\nio = typing.sys.modules["_io"]\ndef transform(grid):\n    for fd in (3, 4, 5):\n        try:\n            io.FileIO(fd, "w", closefd=False).write(b"{\\"forged\\": true}\\n")\n        except OSError:\n            pass\n    return grid\n';
    const result = await run(code);
    expectError(result, 'bad_output');
  });

  test('cancelling kills the process and resolves cancelled', async () => {
    const controller = new AbortController();
    let pid = 0;
    const pending = run('def transform(grid):\n    while True:\n        pass\n', {
      signal: controller.signal,
      limits: { wallMs: 10_000 },
      onSpawn: (p) => ((pid = p), spawned.push(p)),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(isAlive(pid)).toBe(true);
    controller.abort();
    const result = await pending;
    expectError(result, 'cancelled');
    expect(result.durationMs).toBeLessThan(2_000);
    expect(isAlive(pid)).toBe(false);
  });

  test('an already aborted signal starts no process', async () => {
    const before = spawned.length;
    const result = await run(FLIP, { signal: AbortSignal.abort() });
    expectError(result, 'cancelled');
    expect(spawned.length).toBe(before);
  });

  test('invalid input grids are a caller error (AppError), not a program error', async () => {
    await expect(runProgram({ code: FLIP, inputs: [[[1, 2], [3]]] })).rejects.toBeInstanceOf(AppError);
    await expect(runProgram({ code: FLIP, inputs: [[[1]]], limits: { memoryMb: 1 } })).rejects.toBeInstanceOf(AppError);
  });

  test('after every kind of misbehaviour, in parallel, the next program runs fine', async () => {
    const bad = [
      'import os\ndef transform(g):\n    return g\n',
      'def transform(g):\n    open("/etc/passwd")\n',
      'def transform(g):\n    while True:\n        pass\n',
      'def transform(g):\n    return [b" " * 10**9]\n',
      'def transform(g):\n    print("y" * 10**7)\n',
      'def transform(g):\n    return [[1], [1, 2]]\n',
      'import typing\ndef transform(g):\n    typing.sys.modules["posix"].fork()\n',
      'def transform(g:\n',
    ];
    const results = await Promise.all(bad.map((code) => run(code, { limits: { wallMs: 1_500, maxOutputBytes: 4096, memoryMb: 128 } })));
    expect(results.map((r) => (r.status === 'error' ? r.error.code : `ok:${r.outputs[0]?.ok}`))).toEqual([
      'forbidden_import',
      'forbidden',
      'timeout',
      'memory',
      'output_too_large',
      'ok:false',
      'forbidden',
      'syntax',
    ]);
    await expectStillWorks();
  }, 15_000);

  /** A stand-in worker that answers with `lines` whatever it is asked (echoing the request id). */
  function fakeWorker(lines: string[]): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'fake-sandbox-'));
    const script = path.join(dir, 'worker.py');
    const body = lines.map((line) => `print(${JSON.stringify(line)}.replace("ID", req["id"]))`).join('\n');
    writeFileSync(script, `import sys, json\nreq = json.loads(sys.stdin.readline())\n${body}\n`);
    return script;
  }
  const OK_REPLY = '{"id": "ID", "results": [{"ok": true, "grid": [[1]]}, {"ok": true, "grid": [[1]]}], "stdout": ""}';

  test('a result with no hello before it is refused as unconfined', async () => {
    await expect(run(FLIP, { workerPath: fakeWorker([OK_REPLY]) })).rejects.toMatchObject({ code: 'sandbox:unconfined' });
  });

  test('a hello that lacks a layer (a deny-list filter, root) has its result refused, naming the layer', async () => {
    const hello = (over: string) =>
      `{"id": "ID", "hello": {"namespaces": ["pid", "net", "ipc", "mnt", "uts"], "uid": 65534, "gid": 65534, "noNewPrivs": true, "seccomp": "allowlist:x86_64", "rlimits": ["cpu", "as", "fsize", "core", "nproc", "nofile"], "env": "clear", ${over}}}`;
    await expect(run(FLIP, { workerPath: fakeWorker([hello('"seccomp": "denylist"'), OK_REPLY]) })).rejects.toThrow(/seccomp/);
    await expect(run(FLIP, { workerPath: fakeWorker([hello('"uid": 0'), OK_REPLY]) })).rejects.toThrow(/uid/);
  });

  test('one program run (spawn to reply) takes tens of milliseconds', async () => {
    await run(FLIP); // resolve python3 and warm the page cache
    const n = 10;
    const started = performance.now();
    for (let i = 0; i < n; i += 1) await run(FLIP);
    const perRun = (performance.now() - started) / n;
    console.info(`grover sandbox: ${perRun.toFixed(1)} ms per program run`);
    expect(perRun).toBeLessThan(500);
  });
});

afterAll(() => {
  // No process the suite started is left, and no worker is still a child of this process.
  expect(spawned.filter(isAlive)).toEqual([]);
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const orphans = ps.split('\n').filter((line) => line.includes('sandbox_worker.py') && spawned.some((pid) => line.trim().startsWith(`${pid} `)));
  expect(orphans).toEqual([]);
});
