/**
 * ARC benchmark for the embedded `local:arc` engine: runs the DSL search on every task of a
 * directory (default `../shared/arc/training` beside the repository, or `--dir`, or ARC_DATA_DIR) with a per-task budget
 * (`--budget-ms`, default 10 000), in parallel child processes (`--workers`, default: CPU count).
 * A task is solved when the best program is exact on every training pair and every test pair.
 * Writes bench/results/arc.json (or `--out`) and prints progress and a summary.
 *
 *   npm run bench:arc -- --budget-ms 10000 [--limit 50] [--dir path] [--workers 2]
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gridsEqual, taskSchema } from '../lib/arc/task';
import { searchProgramsSync } from '../lib/local/arc/solve';

interface Job {
  id: string;
  path: string;
  budgetMs: number;
}

interface TaskResult {
  id: string;
  solved: boolean;
  trainExact: boolean;
  ms: number;
  best: string | null;
  score0to10: number;
  error?: string;
}

function runTask(job: Job): TaskResult {
  const start = Date.now();
  try {
    const task = taskSchema.parse(JSON.parse(readFileSync(job.path, 'utf8')));
    const [best] = searchProgramsSync(task, { timeBudgetMs: job.budgetMs, maxCandidates: 3 });
    const trainExact = best !== undefined && best.exactPairs === task.train.length;
    const solved =
      trainExact &&
      task.test.every((pair, i) => {
        const out = best.testOutputs[i];
        return pair.output !== undefined && out != null && gridsEqual(out, pair.output);
      });
    return { id: job.id, solved, trainExact, ms: Date.now() - start, best: best?.name ?? null, score0to10: best?.score0to10 ?? 0 };
  } catch (err) {
    return { id: job.id, solved: false, trainExact: false, ms: Date.now() - start, best: null, score0to10: 0, error: String(err) };
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The shared ARC training set, `../shared/arc/training` beside the repository (not the working directory). */
const SHARED_TRAINING_DIR = resolve(import.meta.dirname, '..', '..', 'shared', 'arc', 'training');

async function main(): Promise<void> {
  const dir = resolve(arg('dir') ?? process.env.ARC_DATA_DIR ?? SHARED_TRAINING_DIR);
  if (!existsSync(dir)) {
    console.error(`arc bench: no task directory at ${dir}; pass --dir <path> or set ARC_DATA_DIR (the default is ../shared/arc/training beside the repository)`);
    process.exitCode = 1;
    return;
  }
  const budgetMs = Number(arg('budget-ms') ?? 10_000);
  const workers = Math.max(1, Number(arg('workers') ?? availableParallelism()));
  const limit = Number(arg('limit') ?? Infinity);
  const outPath = resolve(arg('out') ?? join(import.meta.dirname, 'results', 'arc.json'));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .slice(0, limit);
  const jobs: Job[] = files.map((f) => ({ id: basename(f, '.json'), path: join(dir, f), budgetMs }));
  console.log(`arc bench: ${jobs.length} tasks from ${dir}, ${budgetMs} ms each, ${workers} workers`);

  const start = Date.now();
  const results: TaskResult[] = [];
  let next = 0;
  let solved = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, jobs.length) }, () =>
      new Promise<void>((done, fail) => {
        const child = fork(fileURLToPath(import.meta.url), ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        const send = (): void => {
          const job = jobs[next++];
          if (job) child.send(job);
          else child.disconnect();
        };
        child.on('message', (r: TaskResult) => {
          results.push(r);
          if (r.solved) solved++;
          const mark = r.solved ? 'solved' : r.trainExact ? 'train-only' : r.error ? 'error' : '-';
          console.log(`[${results.length}/${jobs.length}] ${r.id} ${mark} ${r.ms} ms ${r.best ?? ''}${r.error ? ` ${r.error}` : ''}  (${solved} solved)`);
          send();
        });
        child.on('exit', (code) => (code === 0 || code === null ? done() : fail(new Error(`worker exited with ${code}`))));
        send();
      }),
    ),
  );
  const elapsedMs = Date.now() - start;
  results.sort((a, b) => a.id.localeCompare(b.id));
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const summary = {
    engine: 'local:arc',
    dataDir: dir,
    budgetMs,
    workers,
    total: results.length,
    solved,
    trainExact: results.filter((r) => r.trainExact).length,
    solveRate: results.length === 0 ? 0 : solved / results.length,
    elapsedMs,
    meanTaskMs: Math.round(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    medianTaskMs: times[Math.floor(times.length / 2)] ?? 0,
    maxTaskMs: times[times.length - 1] ?? 0,
    solvedIds: results.filter((r) => r.solved).map((r) => r.id),
    tasks: results,
  };
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(
    `\nsolved ${solved}/${results.length} (${(summary.solveRate * 100).toFixed(1)}%), exact on train ${summary.trainExact}, ` +
      `${(elapsedMs / 1000).toFixed(1)} s total, mean ${summary.meanTaskMs} ms/task, max ${summary.maxTaskMs} ms\nwrote ${outPath}`,
  );
}

if (process.argv.includes('--worker')) {
  process.on('message', (job: Job) => process.send!(runTask(job)));
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
