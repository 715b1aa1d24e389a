import path from 'node:path';
import { streamText } from 'ai';
import { afterAll, describe, expect, test } from 'vitest';
import { mulberry32 } from '../../seededRandom';
import { geom } from '../../local/arc/dsl/geometry';
import { createArcSearchPool } from '../../local/arc/searchPool';
import { searchPrograms } from '../../local/arc/solve';
import { randomGrid } from '../../local/arc/testing/grids';
import { createLocalArcModel, LOCAL_ARC_OPTIONS_KEY } from './arcModel';

const pool = createArcSearchPool({ workerPath: path.join(import.meta.dirname, '../../local/arc/worker.ts'), size: 1, perWorker: 1 });
afterAll(() => pool.close());
const settings = { tokensPerSecond: 0, searchBudgetMs: 20_000 };
const model = createLocalArcModel({ ...settings, search: pool.search });

const rotation = (() => {
  const pairs = [0, 1, 2, 3].map((i) => ({ input: randomGrid(20 + i), output: geom(randomGrid(20 + i), 2) }));
  return { train: pairs.slice(0, 3), test: [{ input: pairs[3]!.input }] };
})();

/** Noise in, unrelated noise out: the search runs for seconds. */
const noiseTask = (() => {
  const noise = (seed: number) => {
    const rand = mulberry32(seed);
    return Array.from({ length: 15 }, () => Array.from({ length: 15 }, () => (rand() < 0.5 ? 0 : Math.floor(rand() * 10))));
  };
  return { train: [1, 2, 3].map((i) => ({ input: noise(i), output: noise(10 + i) })), test: [{ input: noise(20) }] };
})();

const grover = (task: typeof rotation, abortSignal?: AbortSignal) =>
  streamText({ model: createLocalArcModel({ ...settings, search: pool.search }), prompt: 'Solve it.', abortSignal, providerOptions: { [LOCAL_ARC_OPTIONS_KEY]: { task, count: 2 } } });

describe('local:arc with its search in a worker pool', () => {
  test('the answer is the one written from a search on this thread, word for word', async () => {
    const inThread = createLocalArcModel({ ...settings, search: searchPrograms });
    const ask = (m: typeof model) => streamText({ model: m, prompt: 'Solve it.', providerOptions: { [LOCAL_ARC_OPTIONS_KEY]: { task: rotation, count: 2 } } }).text;
    const text = await ask(model);
    expect(text).toContain('geom(2)');
    expect(text).toBe(await ask(inThread));
  });

  test("aborting the call stops the worker's search and frees its place", async () => {
    const controller = new AbortController();
    const run = grover(noiseTask, controller.signal);
    while (pool.stats().running === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('user stopped'));
    await expect(run.text).rejects.toThrow();
    // The pool has one worker taking one search: the next answer comes only once the aborted search let go.
    expect(await grover(rotation).text).toContain('geom(2)');
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  test('at full speed the event loop runs other work between any two words', async () => {
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Solve it.' }] }],
      providerOptions: { [LOCAL_ARC_OPTIONS_KEY]: { task: rotation, count: 2 } },
    });
    // Another task on the loop, as a second stream's timers and sockets are: it counts its turns.
    let turns = 0;
    let other = true;
    const tick = () => {
      turns++;
      if (other) setImmediate(tick);
    };
    setImmediate(tick);
    const turnAtWord: number[] = [];
    const reader = stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) if (read.value.type === 'text-delta') turnAtWord.push(turns);
    other = false;
    expect(turnAtWord.length).toBeGreaterThan(10);
    const sameTurn = turnAtWord.filter((turn, i) => i > 0 && turn === turnAtWord[i - 1]);
    expect(sameTurn).toEqual([]);
  });
});
