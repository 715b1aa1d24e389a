import { describe, expect, test } from 'vitest';
import { geom } from './dsl/geometry';
import { searchPrograms, searchProgramsSync, type SearchableTask } from './solve';
import { g, randomGrid } from './testing/grids';
import { hasPython, runPythonJobs } from './testing/python';

/** A task whose outputs are `f` of random inputs: three training pairs and one test pair. */
function synthetic(f: (grid: number[][]) => number[][], seed = 1): SearchableTask {
  const pairs = [0, 1, 2, 3].map((i) => {
    const input = randomGrid(seed * 10 + i);
    return { input, output: f(input) };
  });
  return { train: pairs.slice(0, 3), test: pairs.slice(3) };
}

const solvedBy = (task: SearchableTask) => {
  const [best] = searchProgramsSync(task, { timeBudgetMs: 20_000 });
  expect(best).toBeDefined();
  expect(best!.exactPairs).toBe(task.train.length);
  expect(best!.testOutputs).toEqual(task.test.map((t) => t.output));
  return best!;
};

test('a rotation is found and answers the test input', () => {
  expect(solvedBy(synthetic((x) => geom(x, 1))).name).toBe('geom(1)');
});

test('a colour swap is found as a learned colour map', () => {
  const swap = (x: number[][]) => x.map((row) => row.map((v) => (v === 0 ? 0 : 10 - v)));
  expect(solvedBy(synthetic(swap, 2)).program.at(-1)!.op).toBe('recolor');
});

test('a transpose followed by upscaling is found as a two-step program', () => {
  const f = (x: number[][]) => {
    const t = geom(x, 6);
    return t.flatMap((row) => [row.flatMap((v) => [v, v]), row.flatMap((v) => [v, v])]);
  };
  expect(solvedBy(synthetic(f, 3)).program.map((s) => s.op)).toEqual(['geom', 'upscale']);
});

test('the AND of two halves split by a separator is found', () => {
  const left = [g('101', '010'), g('110', '011'), g('001', '111'), g('111', '000')];
  const right = [g('100', '011'), g('010', '110'), g('011', '101'), g('101', '100')];
  const pairs = left.map((l, i) => ({
    input: l.map((row, r) => [...row, 5, ...right[i]![r]!]),
    output: l.map((row, r) => row.map((v, c) => (v && right[i]![r]![c] ? 2 : 0))),
  }));
  const best = solvedBy({ train: pairs.slice(0, 3), test: pairs.slice(3) });
  expect(best.program[0]!.op).toBe('combine_parts');
});

test('an unsolvable task returns the closest partial candidates, best first', () => {
  const task: SearchableTask = { train: [{ input: g('12', '34'), output: g('97', '15') }, { input: g('12', '34'), output: g('31', '22') }], test: [{ input: g('11', '22') }] };
  const cands = searchProgramsSync(task, { timeBudgetMs: 3000, maxCandidates: 5 });
  expect(cands.length).toBeGreaterThan(0);
  expect(cands.length).toBeLessThanOrEqual(5);
  expect(cands[0]!.exactPairs).toBeLessThan(2);
  const scores = cands.map((c) => c.score0to10);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
});

test('each candidate carries a one-line description, a score out of 10 and per-pair results', () => {
  const [best] = searchProgramsSync(synthetic((x) => geom(x, 2), 4), { timeBudgetMs: 5000 });
  expect(best!.description).toMatch(/^[A-Z].*\.$/);
  expect(best!.description).not.toContain('\n');
  expect(best!.score0to10).toBe(10);
  expect(best!.perPair.map((p) => p.exact)).toEqual([true, true, true]);
});

test('the search is deterministic', () => {
  const task = synthetic((x) => geom(x, 5).map((row) => row.map((v) => (v === 3 ? 4 : v))), 5);
  const names = () => searchProgramsSync(task, { timeBudgetMs: 20_000 }).map((c) => c.name);
  expect(names()).toEqual(names());
});

test('an aborted search returns promptly with what it has', async () => {
  const controller = new AbortController();
  controller.abort();
  const started = Date.now();
  const task: SearchableTask = { train: [{ input: randomGrid(7), output: randomGrid(8) }], test: [{ input: randomGrid(9) }] };
  await searchPrograms(task, { timeBudgetMs: 10_000, signal: controller.signal });
  expect(Date.now() - started).toBeLessThan(2000);
});

describe.skipIf(!hasPython())('python of found programs', () => {
  test('the best program rendered as Python gives the same test answer as the engine', () => {
    const task = synthetic((x) => geom(x, 3).map((row) => row.map((v) => (v === 2 ? 7 : v))), 6);
    const [best] = searchProgramsSync(task, { timeBudgetMs: 20_000 });
    const [result] = runPythonJobs([{ source: best!.python, grids: task.test.map((t) => t.input) }]);
    expect(result!.outputs).toEqual(best!.testOutputs);
  });
});
