/**
 * The `local:arc` solver: a breadth-first search over DSL programs up to two enumerated steps,
 * each prefix followed by learned final steps (colour maps, object tables, local rules, tilings).
 * Programs are graded on the training pairs; the best are returned with their Python rendering.
 * The enumeration order is fixed, so with the same budget the search is deterministic; it stops
 * after the first level that yields a program exact on every training pair.
 */
import type { TaskPair, TestPair } from '../../arc/task.ts';
import { cellAccuracy, gridsEqual } from '../../arc/task.ts';
import { taskContext } from './context.ts';
import { describeProgram, programName, programToPython, runProgram, runStep, stepShape } from './dsl/program.ts';
import type { Program, Step } from './dsl/types.ts';
import { enumerateSteps } from './enumerate.ts';
import { gridKey, height, width, type Grid } from './grid.ts';
import { LEARNERS } from './learners.ts';
import { compareScored, createPool, type Scored } from './pool.ts';

export interface SearchOptions {
  /** Wall-clock budget for the search (default 10 000 ms). */
  timeBudgetMs?: number;
  /** How many candidates to return (default 10). */
  maxCandidates?: number;
  /** Deepest enumerated prefix to try, 1 or 2 (default 2). */
  maxDepth?: number;
  /** How many one-step states to extend at depth 2, closest to the outputs first (default 40). */
  maxExpandedStates?: number;
  signal?: AbortSignal;
  /** Called now and then with how far the search has got. */
  onProgress?: (progress: SearchProgress) => void;
}

export interface SearchProgress {
  evaluated: number;
  elapsedMs: number;
  depth: number;
  bestScore0to10: number;
}

export interface PairResult {
  index: number;
  exact: boolean;
  /** Share of cells right, 0 when the shape is wrong. */
  accuracy: number;
  output: Grid | null;
}

export interface ArcCandidate {
  /** Short name such as `geom(1)+recolor`. */
  name: string;
  /** One line of prose. */
  description: string;
  /** A self-contained Python module defining `transform(grid)`. */
  python: string;
  program: Program;
  /** 10 times the mean cell accuracy over the training pairs (an exact pair counts 1). */
  score0to10: number;
  exactPairs: number;
  perPair: PairResult[];
  /** The program's answers for the test inputs (null where it does not apply). */
  testOutputs: (Grid | null)[];
}

export interface SearchableTask {
  train: TaskPair[];
  test: TestPair[];
}

const YIELD_EVERY = 64;

/** Learners run after the two-step prefixes. */
const DEEP_LEARNERS = new Set(['recolor']);
/** Learners run after every one-step prefix; the others only after the closest few. */
const CHEAP_LEARNERS = new Set(['recolor', 'scale', 'tiling', 'periodic']);
const COSTLY_LEARNER_STATES = 40;
const DEFAULT_EXPANDED_STATES = 40;

function* searchCore(task: SearchableTask, opts: Required<Pick<SearchOptions, 'timeBudgetMs' | 'maxCandidates'>> & SearchOptions, found: Scored[]): Generator<void> {
  const start = Date.now();
  const deadline = start + opts.timeBudgetMs;
  const ctx = taskContext(task.train, task.test.map((t) => t.input));
  const xs = ctx.trainInputs;
  const ys = ctx.trainOutputs;
  const pool = createPool(Math.max(opts.maxCandidates * 3, 30), ys.length);
  const steps = enumerateSteps(ctx);
  const seen = new Set<string>([xs.map(gridKey).join('/')]);
  let evaluated = 0;
  let depth = 0;
  const stopped = (): boolean => Date.now() > deadline || opts.signal?.aborted === true;
  const progress = (): void =>
    opts.onProgress?.({ evaluated, elapsedMs: Date.now() - start, depth, bestScore0to10: Math.round((pool.best()?.accuracy ?? 0) * 100) / 10 });

  const costOf = (program: Program): number => program.length;

  const learnAfter = (prefix: Program, outs: Grid[], only?: Set<string>): void => {
    let testXs: (Grid | null)[] | undefined;
    for (const learner of LEARNERS) {
      if (only && !only.has(learner.name)) continue;
      const fits = learner.learn({ xs: outs, ys, bg: ctx.bg, testXs: () => (testXs ??= ctx.testInputs.map((t) => runProgram(prefix, t))) });
      for (const fit of fits) {
        evaluated++;
        const outs2 = outs.map((o) => runStep(fit, o));
        pool.offer([...prefix, fit], outs2, ys, costOf(prefix) + learner.cost);
      }
    }
  };

  const shapesMatch = (outs: Grid[], transposed: boolean): boolean =>
    outs.every((o, i) => (transposed ? height(o) === width(ys[i]!) && width(o) === height(ys[i]!) : height(o) === height(ys[i]!) && width(o) === width(ys[i]!)));

  // Depth 0: the inputs themselves, and learned steps straight on them.
  pool.offer([], xs, ys, 0);
  learnAfter([], xs);

  // Depth 1: every enumerated step; then learned steps after each new state (the costly
  // learners only after the states closest to the outputs).
  depth = 1;
  const states: { program: Program; outs: Grid[]; accuracy: number; order: number }[] = [];
  for (const step of steps) {
    if (stopped()) return finish();
    const outs = applyAll(step, xs);
    evaluated++;
    if (evaluated % YIELD_EVERY === 0) {
      progress();
      yield;
    }
    if (!outs) continue;
    const key = outs.map(gridKey).join('/');
    if (seen.has(key)) continue;
    seen.add(key);
    const program = [step];
    pool.offer(program, outs, ys, 1);
    const accuracy = outs.reduce((sum, o, i) => sum + cellAccuracy(o, ys[i]!), 0) / outs.length;
    states.push({ program, outs, accuracy, order: states.length });
  }
  states.sort((a, b) => b.accuracy - a.accuracy || a.order - b.order);
  for (const [rank, state] of states.entries()) {
    if (stopped()) return finish();
    learnAfter(state.program, state.outs, rank < COSTLY_LEARNER_STATES ? undefined : CHEAP_LEARNERS);
    if (rank % 8 === 0) {
      progress();
      yield;
    }
  }
  if (pool.solvedCount() > 0 || (opts.maxDepth ?? 2) < 2) return finish();

  // Depth 2: the most promising one-step states, each followed by every step.
  depth = 2;
  for (const state of states.slice(0, opts.maxExpandedStates ?? DEFAULT_EXPANDED_STATES)) {
    for (const step of steps) {
      const kind = stepShape(step);
      if (kind !== 'other' && !shapesMatch(state.outs, kind === 'transpose')) continue;
      if (stopped()) return finish();
      const outs = applyAll(step, state.outs);
      evaluated++;
      if (evaluated % YIELD_EVERY === 0) {
        progress();
        yield;
      }
      if (!outs) continue;
      const key = outs.map(gridKey).join('/');
      if (seen.has(key)) continue;
      seen.add(key);
      const program = [...state.program, step];
      pool.offer(program, outs, ys, 2);
      learnAfter(program, outs, DEEP_LEARNERS);
    }
    if (pool.solvedCount() > 0) return finish();
  }
  return finish();

  function finish(): void {
    progress();
    found.push(...pool.items());
  }
}

function applyAll(step: Step, grids: Grid[]): Grid[] | null {
  const outs: Grid[] = [];
  for (const g of grids) {
    const out = runStep(step, g);
    if (!out) return null;
    outs.push(out);
  }
  return outs;
}

/** Turn pool entries into candidates: test answers, Python, per-pair results; drop exact ones that fail on a test input. */
function toCandidates(task: SearchableTask, scored: Scored[], max: number): ArcCandidate[] {
  const out: ArcCandidate[] = [];
  const seenAnswers = new Set<string>();
  const total = task.train.length;
  for (const s of [...scored].sort(compareScored)) {
    if (out.length >= max) break;
    const testOutputs = task.test.map((t) => runProgram(s.program, t.input));
    if (s.exact === total) {
      if (testOutputs.some((o) => o === null)) continue;
      const key = testOutputs.map((o) => gridKey(o!)).join('/');
      if (seenAnswers.has(key)) continue;
      seenAnswers.add(key);
    }
    const perPair = task.train.map((pair, index): PairResult => {
      const output = s.outputs[index] ?? null;
      const exact = output !== null && gridsEqual(output, pair.output);
      return { index, exact, accuracy: output ? (exact ? 1 : cellAccuracy(output, pair.output)) : 0, output };
    });
    out.push({
      name: programName(s.program),
      description: describeProgram(s.program),
      python: programToPython(s.program),
      program: s.program,
      score0to10: Math.round(s.accuracy * 100) / 10,
      exactPairs: s.exact,
      perPair,
      testOutputs,
    });
  }
  return out;
}

function withDefaults(options: SearchOptions) {
  return { ...options, timeBudgetMs: options.timeBudgetMs ?? 10_000, maxCandidates: options.maxCandidates ?? 10 };
}

/** Search synchronously (blocks the thread for up to the budget); for workers and benchmarks. */
export function searchProgramsSync(task: SearchableTask, options: SearchOptions = {}): ArcCandidate[] {
  const opts = withDefaults(options);
  const found: Scored[] = [];
  for (const _ of searchCore(task, opts, found));
  return toCandidates(task, found, opts.maxCandidates);
}

/** What a worker's search is given: the options that cross a thread (no signal, no callback). */
export type WorkerSearchOptions = Omit<SearchOptions, 'signal' | 'onProgress'>;

/** How long one step of a worker's search runs before it reports progress (and can be stopped). */
export const SEARCH_SLICE_MS = 20;

/**
 * The search as a generator of steps, for a worker thread (./worker.ts): each step runs the
 * search for about {@link SEARCH_SLICE_MS} and yields its progress, and it returns the candidates
 * {@link searchProgramsSync} would. `shouldStop` is asked before each step: once it answers true
 * the search ends at once (returning nothing), so a cancelled search stops within one step.
 */
export function* searchProgramSteps(task: SearchableTask, options: WorkerSearchOptions, shouldStop: () => boolean): Generator<SearchProgress, ArcCandidate[]> {
  let latest: SearchProgress = { evaluated: 0, elapsedMs: 0, depth: 0, bestScore0to10: 0 };
  const opts = { ...withDefaults(options), onProgress: (progress: SearchProgress) => (latest = progress) };
  const found: Scored[] = [];
  const core = searchCore(task, opts, found);
  for (;;) {
    if (shouldStop()) return [];
    const sliceEnd = Date.now() + SEARCH_SLICE_MS;
    let done = false;
    while (!done && Date.now() < sliceEnd) done = core.next().done === true;
    if (done) break;
    yield latest;
  }
  return toCandidates(task, found, opts.maxCandidates);
}

/**
 * Search DSL programs for `task`, best first: programs exact on every training pair (smallest
 * first), then the closest partial ones by mean cell accuracy. Yields to the event loop as it
 * goes, so `signal` can stop it; stopping early returns what was found so far.
 */
export async function searchPrograms(task: SearchableTask, options: SearchOptions = {}): Promise<ArcCandidate[]> {
  const opts = withDefaults(options);
  const found: Scored[] = [];
  let last = Date.now();
  for (const _ of searchCore(task, opts, found)) {
    if (Date.now() - last >= 20) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = Date.now();
    }
  }
  return toCandidates(task, found, opts.maxCandidates);
}
