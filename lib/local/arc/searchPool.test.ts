import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { AppError } from '../../errors';
import { mulberry32 } from '../../seededRandom';
import { geom } from './dsl/geometry';
import { createArcSearchPool } from './searchPool';
import { searchProgramsSync, type SearchableTask, type SearchProgress } from './solve';
import { randomGrid } from './testing/grids';

const workerPath = path.join(import.meta.dirname, 'worker.ts');
const pool = createArcSearchPool({ workerPath, size: 1, perWorker: 1, maxQueue: 1 });
afterAll(() => pool.close());

/** Unrelated noise in and out: nothing fits, so the search runs for seconds (to its budget or its end). */
function hardTask(seed = 1): SearchableTask {
  const noise = (s: number) => {
    const rand = mulberry32(s);
    return Array.from({ length: 15 }, () => Array.from({ length: 15 }, () => (rand() < 0.5 ? 0 : Math.floor(rand() * 10))));
  };
  return { train: [1, 2, 3].map((i) => ({ input: noise(seed * 100 + i), output: noise(seed * 200 + i) })), test: [{ input: noise(seed * 300) }] };
}

/** A rotation: found at once, the same way every time. */
function easyTask(): SearchableTask {
  const pairs = [0, 1, 2, 3].map((i) => ({ input: randomGrid(10 + i), output: geom(randomGrid(10 + i), 1) }));
  return { train: pairs.slice(0, 3), test: [{ input: pairs[3]!.input }] };
}

/** Resolves at the search's first progress event (it is then running on the worker). */
function startSearch(task: SearchableTask, signal?: AbortSignal) {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const result = pool.search(task, { timeBudgetMs: 60_000, signal, onProgress: () => started() });
  result.catch(() => {});
  return { running, result };
}

describe('local:arc search pool', () => {
  test('a search in the pool answers what the search on this thread answers', async () => {
    const task = easyTask();
    const here = searchProgramsSync(task, { timeBudgetMs: 20_000, maxCandidates: 4 });
    const there = await pool.search(task, { timeBudgetMs: 20_000, maxCandidates: 4 });
    expect(there[0]!.name).toBe('geom(1)');
    expect(there).toEqual(here);
  });

  test("the search runs off this thread: this thread's event loop keeps turning through every step", async () => {
    const events: SearchProgress[] = [];
    let turns = 0;
    let searching = true;
    const spin = () => {
      turns++;
      if (searching) setImmediate(spin);
    };
    setImmediate(spin);
    await pool.search(hardTask(2), { timeBudgetMs: 400, onProgress: (p) => events.push(p) });
    searching = false;
    expect(events.length).toBeGreaterThan(3);
    expect(events.at(-1)!.evaluated).toBeGreaterThan(events[0]!.evaluated);
    // A search on this thread gives the loop one turn per ~20 ms step; off it, the loop turns freely.
    expect(turns).toBeGreaterThan(20 * events.length);
  });

  test('an aborted search rejects with the reason and frees its worker for the next search', async () => {
    const controller = new AbortController();
    const busy = startSearch(hardTask(), controller.signal);
    await busy.running;
    expect(pool.stats().running).toBe(1);
    controller.abort(new Error('stopped by test'));
    await expect(busy.result).rejects.toThrow('stopped by test');
    // With one worker taking one search, the next one runs only once the aborted one has let go.
    const next = await pool.search(easyTask(), { timeBudgetMs: 20_000 });
    expect(next[0]!.name).toBe('geom(1)');
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  test('a search beyond the queue cap is refused as rate limited while the worker is busy', async () => {
    const controller = new AbortController();
    const busy = startSearch(hardTask(3), controller.signal);
    await busy.running;
    const waiting = pool.search(easyTask(), { timeBudgetMs: 20_000 }); // takes the one queue place
    expect(pool.stats()).toMatchObject({ running: 1, queued: 1 });
    await expect(pool.search(easyTask())).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'provider:rate_limited');
    controller.abort(new Error('done'));
    await expect(busy.result).rejects.toThrow('done');
    expect((await waiting)[0]!.name).toBe('geom(1)');
  });
});
