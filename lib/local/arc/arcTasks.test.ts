/**
 * The engine on real ARC-AGI-1 training tasks, read from ARC_DATA_DIR or /work/shared/arc/training
 * (never copied into the repository); skipped when that directory is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gridsEqual, taskSchema } from '../../arc/task';
import { searchProgramsSync } from './solve';
import { hasPython, runPythonJobs } from './testing/python';

const DIR = process.env.ARC_DATA_DIR ?? '/work/shared/arc/training';
const load = (id: string) => taskSchema.parse(JSON.parse(readFileSync(join(DIR, `${id}.json`), 'utf8')));

/** Tasks of different families: self-tiling, colour map, crop, halves, symmetry, object recolouring. */
const KNOWN = ['007bbfb7', '0d3d703e', '1cf80156', '0520fde7', '11852cab', '08ed6ac7'];

describe.skipIf(!existsSync(DIR))('ARC training tasks', () => {
  test.each(KNOWN)('task %s is solved on its test pairs', (id) => {
    const task = load(id);
    const [best] = searchProgramsSync(task, { timeBudgetMs: 20_000 });
    expect(best?.exactPairs).toBe(task.train.length);
    task.test.forEach((pair, i) => expect(gridsEqual(best!.testOutputs[i]!, pair.output!)).toBe(true));
  }, 30_000);

  test.skipIf(!hasPython())('the Python of each solution reproduces the engine on every input of its task', () => {
    const tasks = KNOWN.map(load);
    const bests = tasks.map((task) => searchProgramsSync(task, { timeBudgetMs: 20_000 })[0]!);
    const grids = tasks.map((task) => [...task.train, ...task.test].map((p) => p.input));
    const results = runPythonJobs(bests.map((best, i) => ({ source: best.python, grids: grids[i]! })));
    results.forEach((result, i) => {
      const expected = [...bests[i]!.perPair.map((p) => p.output), ...bests[i]!.testOutputs];
      expect(result.outputs, KNOWN[i]).toEqual(expected);
    });
  }, 60_000);
});
