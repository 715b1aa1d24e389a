/**
 * `local:tiny` benchmark: tokens per second and time to first token of the embedded model,
 * through its worker pool (the path the server takes), for one stream and for 4 at once.
 * Weights: lib/local/tiny/weights when present, else a random-weight model of the contract's
 * full size (d_model 128, 4 layers, 4 heads, n_ctx 128, vocab 2048); the result says which.
 * Writes bench/results/tiny.json (or `--out`).
 *
 *   npm run bench:tiny [-- --tokens 256 --reps 5]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hasTinyWeights } from '../lib/local/tiny/engine.ts';
import { createTinyPool, type TinyPool } from '../lib/local/tiny/pool.ts';
import { mulberry32 } from '../lib/local/tiny/sampler.ts';
import { writeRandomTiny } from '../lib/local/tiny/testing/randomWeights.ts';
import { gitInfo, machineInfo } from './lib/benchRecord';
import { median, round } from './lib/stats';

const { values } = parseArgs({
  options: { tokens: { type: 'string', default: '256' }, reps: { type: 'string', default: '5' }, out: { type: 'string', default: 'bench/results/tiny.json' } },
});
const TOKENS = Number(values.tokens);
const REPS = Number(values.reps);
const OUT = path.resolve(values.out!);
const ROOT = path.resolve(import.meta.dirname, '..');
const PROMPT = 'Once upon a time, in a small town by the sea, there lived an old fisherman who';

function randomFullSize(): string {
  const random = mulberry32(5);
  const merges: [number, number][] = [];
  for (let i = 0; i < 1791; i++) merges.push([Math.floor(random() * (256 + i)), Math.floor(random() * (256 + i))]);
  return writeRandomTiny({ dModel: 128, nLayer: 4, nHead: 4, nCtx: 128, dSae: 1024, k: 32, merges });
}

interface StreamStats {
  tokens: number;
  /** This process's CPU time over the stream (all threads; the main thread is nearly idle), seconds. */
  cpuS: number;
  ttftMs: number;
  totalMs: number;
  tokensPerSec: number;
}

async function stream(pool: TinyPool, seed: number): Promise<StreamStats> {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let first = 0;
  let tokens = 0;
  // A stop sequence nothing produces, and end-of-text allowed: tokens counts what was made.
  for await (const _event of pool.generate({ prompt: PROMPT, maxTokens: TOKENS, temperature: 0.8, seed })) {
    if (tokens++ === 0) first = performance.now();
  }
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  return { tokens, cpuS: (cpu.user + cpu.system) / 1e6, ttftMs: first - start, totalMs: end - start, tokensPerSec: (tokens / (end - start)) * 1000 };
}

async function main() {
  const realDir = path.join(ROOT, 'lib/local/tiny/weights');
  const real = hasTinyWeights(realDir);
  const weightsDir = real ? realDir : randomFullSize();
  const pool = createTinyPool({ weightsDir, workerPath: path.join(ROOT, 'lib/local/tiny/worker.ts') });
  try {
    await stream(pool, 999); // warm-up: workers load the weights and the JIT settles
    const single: StreamStats[] = [];
    for (let r = 0; r < REPS; r++) single.push(await stream(pool, r + 1));
    const concurrent: { aggregateTokensPerSec: number; streams: StreamStats[] }[] = [];
    for (let r = 0; r < REPS; r++) {
      const start = performance.now();
      const streams = await Promise.all([0, 1, 2, 3].map((i) => stream(pool, 100 * r + i)));
      const seconds = (performance.now() - start) / 1000;
      concurrent.push({ aggregateTokensPerSec: streams.reduce((n, s) => n + s.tokens, 0) / seconds, streams });
    }
    const summary = (list: StreamStats[], withCpu: boolean) => ({
      tokensPerSecMedian: round(median(list.map((s) => s.tokensPerSec)), 1),
      ttftMsMedian: round(median(list.map((s) => s.ttftMs)), 2),
      ttftMsMax: round(Math.max(...list.map((s) => s.ttftMs)), 2),
      tokensMedian: median(list.map((s) => s.tokens)),
      // Contention-robust: tokens per second of CPU the process got (wall-clock figures suffer when other jobs share the cores).
      ...(withCpu ? { tokensPerCpuSecMedian: round(median(list.map((s) => s.tokens / s.cpuS)), 1) } : {}),
    });
    const oneStream = summary(single, true);
    const load = os.loadavg()[0]!;
    const fourStreams = { ...summary(concurrent.flatMap((c) => c.streams), false), aggregateTokensPerSecMedian: round(median(concurrent.map((c) => c.aggregateTokensPerSec)), 1) };
    const result = {
      benchmark: 'tiny',
      date: new Date().toISOString(),
      machine: machineInfo(),
      git: gitInfo(),
      weights: real ? 'trained (lib/local/tiny/weights)' : 'random weights of the full contract size (trained weights not present)',
      loadAverage1m: round(load, 2),
      settings: { maxTokens: TOKENS, reps: REPS, temperature: 0.8, promptChars: PROMPT.length, poolWorkers: pool.stats().workers, statistic: 'median over reps' },
      bar: {
        tokensPerSec: { required: '>= 300 tokens/s, one stream', value: oneStream.tokensPerSecMedian, met: oneStream.tokensPerSecMedian >= 300 },
        ttft: { required: 'TTFT < 50 ms, one stream', value: oneStream.ttftMsMedian, met: oneStream.ttftMsMedian < 50 },
      },
      oneStream,
      fourStreams,
    };
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify({ weights: result.weights, poolWorkers: result.settings.poolWorkers, oneStream, fourStreams }, null, 2));
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await pool.close();
  }
}

await main();
