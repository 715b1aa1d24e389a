import { expect, test } from 'vitest';
import { createNdjsonReader, spawnPythonWorker, type NdjsonLine } from './pythonWorker';

function readAll(chunks: Buffer[], maxLineBytes = 1024): NdjsonLine[] {
  const lines: NdjsonLine[] = [];
  const reader = createNdjsonReader({ maxLineBytes, onLine: (line) => lines.push(line) });
  for (const chunk of chunks) reader.feed(chunk);
  reader.end();
  return lines;
}

/** The bytes cut at random places, including inside a multibyte character. */
function rechunk(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(Math.random() * 5);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

test('lines cut anywhere, with CRLF, blank lines and multibyte text, come out whole', () => {
  const bytes = Buffer.from('{"a":"héllo ✓"}\r\n\n[1,2]\n');
  for (let i = 0; i < 20; i++) {
    expect(readAll(rechunk(bytes)).map((line) => line.ok && line.value)).toEqual([{ a: 'héllo ✓' }, [1, 2]]);
  }
});

test('invalid JSON, invalid UTF-8, an overlong line and a partial last line are each reported, once', () => {
  expect(readAll([Buffer.from('nope\n{}\n')])).toEqual([{ ok: false, problem: 'invalid_json', text: 'nope' }]);
  expect(readAll([Buffer.from([0xff, 0x0a])])).toEqual([{ ok: false, problem: 'invalid_utf8' }]);
  expect(readAll([Buffer.alloc(2000, 0x20)], 1024)).toEqual([{ ok: false, problem: 'line_too_long' }]);
  expect(readAll([Buffer.from('{"a":1}\n{"b"')])).toEqual([{ ok: true, value: { a: 1 }, text: '{"a":1}' }, { ok: false, problem: 'truncated_line', text: '{"b"' }]);
});

test("a worker gets none of the server's environment, only PATH, LC_ALL and what it is given", async () => {
  process.env.PYTHON_WORKER_TEST_SECRET = 'hidden';
  try {
    const worker = await spawnPythonWorker({ script: '-c', pythonFlags: ['-I', '-c', 'import os, json; print(json.dumps(sorted(os.environ)))'], env: { EXTRA: '1' } });
    const chunks: Buffer[] = [];
    worker.child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual(['EXTRA', 'LC_ALL', 'PATH']);
  } finally {
    delete process.env.PYTHON_WORKER_TEST_SECRET;
  }
});
