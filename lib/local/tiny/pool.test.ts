import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { AppError } from '../../errors';
import { createTinyPool } from './pool.ts';
import { WORKER_NICE } from '../../workers/workerPriority.ts';
import { writeRandomTiny } from './testing/randomWeights.ts';

const weightsDir = writeRandomTiny({ nCtx: 64 });
const workerPath = path.join(import.meta.dirname, 'worker.ts');
const pool = createTinyPool({ weightsDir, workerPath, size: 1, perWorker: 1, maxQueue: 1 });
const shared = createTinyPool({ weightsDir, workerPath, size: 1, perWorker: 2 });
afterAll(() => Promise.all([pool.close(), shared.close()]));

async function collect(gen: AsyncGenerator<{ text: string }, unknown>): Promise<string> {
  let text = '';
  for await (const event of gen) text += event.text;
  return text;
}

describe('tiny worker pool', () => {
  test('a generation streams its tokens from a worker thread and returns the finish reason', async () => {
    const gen = pool.generate({ prompt: 'hello', maxTokens: 12, temperature: 0.7, seed: 5 });
    let count = 0;
    for (;;) {
      const next = await gen.next();
      if (next.done) {
        expect(next.value.finishReason === 'max_tokens' || next.value.finishReason === 'complete').toBe(true);
        break;
      }
      expect(next.value.tokenIndex).toBe(count++);
    }
    expect(count).toBeGreaterThan(0);
  });

  test.runIf(process.platform === 'linux')('the worker thread runs at a lower priority than the process (nice 10), the event loop at its own', async () => {
    await collect(pool.generate({ prompt: 'hi', maxTokens: 2, temperature: 0, seed: 1 }));
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the parenthesised name).
    const niceOf = (tid: string) => Number(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const nices = readdirSync(`/proc/${process.pid}/task`).map(niceOf);
    expect(niceOf(String(process.pid))).toBe(os.getPriority(0));
    expect(nices).toContain(Math.max(os.getPriority(0), WORKER_NICE));
  });

  test('the same request gives the same text in the worker each time', async () => {
    const request = { prompt: 'whales swim', maxTokens: 20, temperature: 1, seed: 9 };
    expect(await collect(pool.generate(request))).toBe(await collect(pool.generate(request)));
  });

  test('an aborted generation stops within a token and the worker serves the next one', async () => {
    const controller = new AbortController();
    const gen = pool.generate({ prompt: 'long', maxTokens: 100_000, temperature: 1, seed: 1, signal: controller.signal });
    let seen = 0;
    await expect(
      (async () => {
        for await (const _event of gen) {
          if (++seen === 3) controller.abort(new Error('stopped by test'));
        }
      })(),
    ).rejects.toThrow('stopped by test');
    expect(seen).toBe(3);
    const next = await collect(pool.generate({ prompt: 'after', maxTokens: 5, temperature: 0, seed: 1 }));
    expect(typeof next).toBe('string');
    expect(pool.stats().running).toBe(0);
  });

  test('a generation beyond the queue cap is refused while the worker is busy', async () => {
    const controller = new AbortController();
    const busy = pool.generate({ prompt: 'busy', maxTokens: 100_000, temperature: 1, seed: 1, signal: controller.signal });
    await busy.next(); // running on the only worker
    const waiting = pool.generate({ prompt: 'waits', maxTokens: 3, temperature: 0, seed: 1 });
    const waitingDone = collect(waiting); // fills the one queue place
    await new Promise((resolve) => setImmediate(resolve));
    const refused = pool.generate({ prompt: 'refused', maxTokens: 3, temperature: 0, seed: 1 });
    await expect(refused.next()).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'provider:rate_limited');
    controller.abort(new Error('done'));
    await expect(busy.next()).rejects.toThrow('done');
    await expect(waitingDone).resolves.toBeTypeOf('string');
  });

  test('a consumer that stops reading frees the worker', async () => {
    const gen = pool.generate({ prompt: 'break', maxTokens: 100_000, temperature: 1, seed: 2 });
    for await (const event of gen) if (event.tokenIndex === 2) break;
    await expect(collect(pool.generate({ prompt: 'next', maxTokens: 4, temperature: 0, seed: 1 }))).resolves.toBeTypeOf('string');
  });

  test('one worker interleaves its generations token by token', async () => {
    // a runs until stopped and is going before b starts, so b cannot wait for a's end: whether the
    // worker had started a when b arrived no longer decides the test (two 6-token generations
    // started together could both finish on a warm worker before the second one's start came in).
    const order: string[] = [];
    const controller = new AbortController();
    const a = shared.generate({ prompt: 'a', maxTokens: 100_000, temperature: 1, seed: 3, signal: controller.signal });
    await a.next();
    const readingA = (async () => {
      for await (const _event of a) order.push('a');
    })().catch(() => undefined);
    for await (const _event of shared.generate({ prompt: 'b', maxTokens: 6, temperature: 0, seed: 1 })) order.push('b');
    controller.abort(new Error('done'));
    await readingA;
    const duringB = order.slice(order.indexOf('b'), order.lastIndexOf('b') + 1);
    // One step of each generation per round: between two of b's tokens, one of a's.
    expect(duringB).toEqual(['b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  });

  test('aborting one of two interleaved generations leaves the other running to its end', async () => {
    const controller = new AbortController();
    const long = shared.generate({ prompt: 'x', maxTokens: 100_000, temperature: 1, seed: 3, signal: controller.signal });
    await long.next();
    const other = collect(shared.generate({ prompt: 'y', maxTokens: 8, temperature: 0, seed: 1 }));
    controller.abort(new Error('cut'));
    await expect(long.next()).rejects.toThrow('cut');
    await expect(other).resolves.toBeTypeOf('string');
  });
});
