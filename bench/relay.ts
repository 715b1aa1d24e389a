/**
 * The relay benchmark (`npm run bench:relay`): how fast, and with how much added latency, the app
 * relays a producer's envelopes to a client, through the full Next.js route, compared with a raw
 * `node:http` SSE server doing the same per-event work in the same run.
 *
 * - The app runs under `next start` (the `.next` build at the repo root, `BENCH_PRODUCER=1`);
 *   the baseline (`bench/raw-sse-server.ts`) in a child process. Each server process runs the
 *   producer; this process only runs the client (fetch + eventsource-parser) and the bookkeeping.
 * - Cases: `max` (N events as fast as the producer can: delivered events/s) and one fixed-rate
 *   case per rate (about D seconds each: added latency p50/p99/max and delivered rate).
 * - Every case runs `--reps` times per server, alternating which server goes first, after a
 *   warm-up; the report gives the median of the repeats and every repeat beside it.
 * - Writes `bench/results/relay.json` (or `--out`) and prints a table.
 *
 * Usage: npm run bench:relay -- [--reps 3] [--count 50000] [--rates 1000,5000] [--duration 5]
 *                               [--baseline direct|pipe|hub] [--out bench/results/relay.json] [--quick]
 * Needs a production build: run `npx next build` first.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, startAppServer, type AppServer } from '../e2e/harness/appServer';
import { anonymousSession } from '../e2e/harness/session';
import { gitInfo, machineInfo } from './lib/benchRecord';
import { treeCpuMs } from './lib/processCpu';
import { startRawSseServer } from './lib/rawSseServer';
import { readBenchRun, type RunReading } from './lib/sseClient';
import { distribution, median, round } from './lib/stats';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    count: { type: 'string', default: '50000' },
    rates: { type: 'string', default: '1000,5000' },
    duration: { type: 'string', default: '5' },
    baseline: { type: 'string', default: 'direct' },
    out: { type: 'string', default: path.join('bench', 'results', 'relay.json') },
    quick: { type: 'boolean', default: false },
  },
});

const REPS = args.quick ? 1 : Number(args.reps);
const MAX_COUNT = args.quick ? 10_000 : Number(args.count);
const RATES = args.rates.split(',').map(Number);
const DURATION_S = args.quick ? 1 : Number(args.duration);
const BASELINE_MODE = args.baseline === 'hub' || args.baseline === 'pipe' ? args.baseline : 'direct';
const OUT = path.resolve(ROOT, args.out);

/** The bars from the issue. */
const BAR = { minThroughputRatio: 0.5, maxP99AtRateMs: 5, barRate: 1000 };

type ServerName = 'app' | 'baseline';

interface Target {
  name: ServerName;
  url: string;
  pid: number;
  /** The app's runs need a session (the baseline takes none). */
  cookie?: string;
  stop(): Promise<void>;
}

interface RunRecord {
  eventsPerSec: number;
  wallEventsPerSec: number;
  producedPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  serverCpuMs: number;
  serverCpuUsPerEvent: number;
  clientCpuMs: number;
  chunks: number;
  bytes: number;
  wallMs: number;
}

async function startBaseline(): Promise<Target> {
  const server = await startRawSseServer({ mode: BASELINE_MODE });
  return { name: 'baseline', url: `http://127.0.0.1:${server.port}/`, pid: server.pid, stop: server.stop };
}

async function startApp(): Promise<Target> {
  const app: AppServer = await startAppServer({
    // A short retention keeps finished runs' logs from piling up across the repeats.
    env: { BENCH_PRODUCER: '1', RUN_RETENTION_MS: '2000' },
  });
  return { name: 'app', url: `${app.url}/api/runs`, pid: app.process.pid!, cookie: await anonymousSession(app.url), stop: () => app.stop() };
}

async function measure(target: Target, input: { count: number; rate: number }): Promise<RunRecord> {
  const cpuBefore = treeCpuMs(target.pid);
  const reading: RunReading = await readBenchRun(target.url, input, target.cookie);
  // Let the server finish its after-run work (the app saves the result) before reading its CPU.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const serverCpuMs = treeCpuMs(target.pid) - cpuBefore;
  if (reading.tokens !== input.count) throw new Error(`${target.name}: ${reading.tokens} of ${input.count} tokens arrived`);
  const latency = distribution(Float64Array.from(reading.latenciesMs));
  return {
    eventsPerSec: (reading.tokens - 1) / (reading.streamMs / 1000),
    wallEventsPerSec: reading.tokens / (reading.wallMs / 1000),
    producedPerSec: (reading.tokens - 1) / (reading.producedMs / 1000),
    latencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, mean: latency.mean },
    serverCpuMs,
    serverCpuUsPerEvent: (serverCpuMs * 1000) / reading.tokens,
    clientCpuMs: reading.clientCpuMs,
    chunks: reading.chunks,
    bytes: reading.bytes,
    wallMs: reading.wallMs,
  };
}

/** The median of each figure over the repeats. */
function summarize(runs: RunRecord[]) {
  const m = (pick: (run: RunRecord) => number, digits = 3) => round(median(runs.map(pick)), digits);
  return {
    eventsPerSec: m((r) => r.eventsPerSec, 0),
    wallEventsPerSec: m((r) => r.wallEventsPerSec, 0),
    producedPerSec: m((r) => r.producedPerSec, 0),
    latencyMs: {
      p50: m((r) => r.latencyMs.p50),
      p90: m((r) => r.latencyMs.p90),
      p99: m((r) => r.latencyMs.p99),
      max: m((r) => r.latencyMs.max),
      mean: m((r) => r.latencyMs.mean),
    },
    serverCpuMs: m((r) => r.serverCpuMs, 0),
    serverCpuUsPerEvent: m((r) => r.serverCpuUsPerEvent, 2),
    clientCpuMs: m((r) => r.clientCpuMs, 0),
    chunks: m((r) => r.chunks, 0),
  };
}

function roundRun(run: RunRecord) {
  return {
    eventsPerSec: round(run.eventsPerSec, 0),
    wallEventsPerSec: round(run.wallEventsPerSec, 0),
    producedPerSec: round(run.producedPerSec, 0),
    latencyMs: Object.fromEntries(Object.entries(run.latencyMs).map(([k, v]) => [k, round(v)])),
    serverCpuMs: round(run.serverCpuMs, 0),
    clientCpuMs: round(run.clientCpuMs, 0),
    chunks: run.chunks,
    bytes: run.bytes,
    wallMs: round(run.wallMs, 1),
  };
}

function ratio(app: number, baseline: number, digits = 3): number {
  return round(app / baseline, digits);
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    console.error('No production build at .next: run `npx next build` first.');
    process.exit(1);
  }
  console.error(`relay bench: ${os.cpus().length} cpus, node ${process.version}, reps ${REPS}, baseline ${BASELINE_MODE}`);
  const targets = await Promise.all([startApp(), startBaseline()]);
  try {
    console.error('warming up ...');
    for (const target of targets) {
      for (let i = 0; i < 3; i++) await measure(target, { count: Math.min(20_000, MAX_COUNT), rate: 0 });
      for (const rate of RATES) await measure(target, { count: rate, rate });
    }

    const cases: Array<{ name: string; input: { count: number; rate: number } }> = [
      { name: 'max', input: { count: MAX_COUNT, rate: 0 } },
      ...RATES.map((rate) => ({ name: `rate-${rate}`, input: { count: Math.round(rate * DURATION_S), rate } })),
    ];
    const report: Record<string, unknown> = {};
    const medians: Record<string, Record<ServerName, ReturnType<typeof summarize>>> = {};
    for (const spec of cases) {
      const runs: Record<ServerName, RunRecord[]> = { app: [], baseline: [] };
      for (let rep = 0; rep < REPS; rep++) {
        const order = rep % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) {
          const record = await measure(target, spec.input);
          runs[target.name].push(record);
          console.error(
            `  ${spec.name} #${rep + 1} ${target.name.padEnd(8)} ${Math.round(record.eventsPerSec)} ev/s  p50 ${record.latencyMs.p50.toFixed(3)} ms  p99 ${record.latencyMs.p99.toFixed(3)} ms  server cpu ${Math.round(record.serverCpuMs)} ms`,
          );
        }
      }
      const app = summarize(runs.app);
      const baseline = summarize(runs.baseline);
      medians[spec.name] = { app, baseline };
      report[spec.name] = {
        input: spec.input,
        app,
        baseline,
        ratio: {
          eventsPerSec: ratio(app.eventsPerSec, baseline.eventsPerSec),
          p50: ratio(app.latencyMs.p50, baseline.latencyMs.p50),
          p99: ratio(app.latencyMs.p99, baseline.latencyMs.p99),
          serverCpuUsPerEvent: ratio(app.serverCpuUsPerEvent, baseline.serverCpuUsPerEvent),
        },
        runs: { app: runs.app.map(roundRun), baseline: runs.baseline.map(roundRun) },
      };
    }

    const max = medians.max!;
    const atBarRate = medians[`rate-${BAR.barRate}`];
    const throughputRatio = ratio(max.app.eventsPerSec, max.baseline.eventsPerSec);
    const bar = {
      throughput: { required: `app >= ${BAR.minThroughputRatio} x baseline events/s (max rate)`, ratio: throughputRatio, met: throughputRatio >= BAR.minThroughputRatio },
      latency: atBarRate
        ? { required: `app p99 added latency < ${BAR.maxP99AtRateMs} ms at ${BAR.barRate} events/s`, p99Ms: atBarRate.app.latencyMs.p99, met: atBarRate.app.latencyMs.p99 < BAR.maxP99AtRateMs }
        : { required: `rate ${BAR.barRate} was not measured`, met: false },
    };
    const result = {
      benchmark: 'relay',
      date: new Date().toISOString(),
      machine: machineInfo(),
      git: gitInfo(),
      settings: { reps: REPS, maxCount: MAX_COUNT, rates: RATES, durationS: DURATION_S, baseline: BASELINE_MODE, statistic: 'median of reps' },
      bar,
      cases: report,
    };
    mkdirSync(path.dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);

    printTable(medians);
    console.log(`bar: throughput ${throughputRatio}x baseline (>= ${BAR.minThroughputRatio}): ${bar.throughput.met ? 'MET' : 'MISSED'}; ` +
      `p99 at ${BAR.barRate}/s ${atBarRate?.app.latencyMs.p99 ?? '-'} ms (< ${BAR.maxP99AtRateMs}): ${bar.latency.met ? 'MET' : 'MISSED'}`);
    console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
  }
}

function printTable(medians: Record<string, Record<ServerName, ReturnType<typeof summarize>>>): void {
  const rows: string[][] = [['case', 'server', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'cpu us/ev']];
  for (const [name, pair] of Object.entries(medians)) {
    for (const server of ['app', 'baseline'] as const) {
      const s = pair[server];
      rows.push([name, server, String(s.eventsPerSec), s.latencyMs.p50.toFixed(3), s.latencyMs.p99.toFixed(3), s.latencyMs.max.toFixed(3), s.serverCpuUsPerEvent.toFixed(1)]);
    }
    const a = pair.app;
    const b = pair.baseline;
    rows.push([name, 'app/base', ratio(a.eventsPerSec, b.eventsPerSec, 2).toFixed(2), ratio(a.latencyMs.p50, b.latencyMs.p50, 2).toFixed(2), ratio(a.latencyMs.p99, b.latencyMs.p99, 2).toFixed(2), ratio(a.latencyMs.max, b.latencyMs.max, 2).toFixed(2), ratio(a.serverCpuUsPerEvent, b.serverCpuUsPerEvent, 2).toFixed(2)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
