/**
 * One case of the load benchmark on one server: open the streams (per-run or fan-out), settle,
 * measure for the window, read memory, close; and what it reports about that case.
 */
import path from 'node:path';
import type { CollectReply, MarkReply, OpenReply } from '../load-client';
import { split, type ClientProcess } from './loadClients';
import { CPU_PROFILE_DIR, cpuOf, helperCpuOf, quiesce, readMemory, type Target } from './loadServers';
import { machineCpu, mainThreadSched, treeCpuMs } from './processCpu';
import { summarizeProfile, type ProfileSummary } from './profileSummary';
import { distribution, round } from './stats';

export type Mode = 'per-run' | 'fanout';

/** What every case shares (the bench's knobs). */
export interface CaseSettings {
  /** Tokens per second per run. */
  rate: number;
  /** Tokens per run: enough that no run ends inside a case (closing the streams stops them). */
  runTokens: number;
  settleS: number;
  /**
   * Extra settling when some opens were given up at the ramp's deadline. A saturated server may
   * still be starting those runs; it stops each a grace period (1 s here) after its stream went
   * away and then saves it. Without the wait, that clean-up fell into the window, and the case
   * measured it rather than the streams held.
   */
  abandonedSettleS: number;
  rampS: number;
  openConcurrency: number;
}

function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  samples: number;
}

function summarizeLatency(replies: Float64Array[]): LatencySummary {
  const samples = new Float64Array(replies.reduce((sum, reply) => sum + reply.length, 0));
  let offset = 0;
  for (const reply of replies) {
    samples.set(reply, offset);
    offset += reply.length;
  }
  const d = distribution(samples);
  return { p50: round(d.p50), p90: round(d.p90), p99: round(d.p99), max: round(d.max), mean: round(d.mean), samples: d.count };
}

export interface CaseResult {
  connections: number;
  opened: number;
  failed: number;
  openErrors: string[];
  /** Streams still open when the window ended, and those the server ended or lost before the bench closed them. */
  held: number;
  dropped: number;
  dropReasons: string[];
  /** Time to open every stream (the ramp), ms. */
  openMs: number;
  /** How long the case waited between the ramp and the window, s. */
  settleS: number;
  windowS: number;
  eventsPerSec: number;
  expectedEventsPerSec: number;
  /** Arrival minus the producer's stamp in the token (the delivery latency the bar is about). */
  latencyMs: LatencySummary;
  /** Arrival minus the time the producer's schedule had the token due: adds the producer's lateness on a saturated event loop. */
  scheduleLatencyMs: LatencySummary;
  /** Server CPU: ms of CPU per second of wall time (1000 = one core), and per delivered event. */
  /** The server's CPU, its helpers' (redis-server) included. */
  serverCpuMsPerSec: number;
  serverCpuUsPerEvent: number;
  /** Of that, the helpers' alone (redis-server's own CPU; 0 without helpers). */
  helperCpuMsPerSec: number;
  helperCpuUsPerEvent: number;
  /**
   * Read after a full GC: before the streams opened, when the window starts and when it ends
   * (streams still open). Per connection = (end - before) / opened: everything the streams and
   * their runs hold at that moment. The memory backend keeps every envelope of a run, so that
   * figure grows with how long the runs have been going (`logEntries`); the split estimates the
   * part that grows per log entry (from the growth across the window) and the part per connection
   * that does not.
   */
  memory: {
    rssBeforeMiB: number;
    rssAfterMiB: number;
    rssPerConnectionKiB: number;
    heapBeforeMiB: number;
    heapAtWindowStartMiB: number;
    heapAfterMiB: number;
    heapPerConnectionKiB: number;
    externalPerConnectionKiB: number;
    /** Log entries (tokens produced) the server's runs held at the end reading, all runs together. */
    logEntries: number;
    heapPerLogEntryB: number;
    heapPerConnectionWithoutLogKiB: number;
  };
  clients: { processes: number; cpuMsPerSec: number; loopDelayP99Ms: number; loopDelayMaxMs: number; clockCorrectionMs: number[] };
  /**
   * The server's event loop (its main thread) in the window, ms per second: on a CPU, and ready
   * to run but waiting on a run queue for one. The server's other threads (worker threads, V8's
   * helpers) used `otherThreadsCpuMsPerSec`.
   */
  eventLoop: { cpuMsPerSec: number; runQueueWaitMsPerSec: number };
  otherThreadsCpuMsPerSec: number;
  /** CPU the rest of the machine used during the window (other work on the machine), ms per second. */
  otherCpuMsPerSec: number;
  /** CPU the hypervisor gave to other guests while this machine wanted it, ms per second. */
  stealMsPerSec: number;
  /** How long the bench waited for the server to go idle before the case. */
  quiesceMs: number;
  /** With LOAD_CPU_PROFILE: where the server's CPU went in the window (the profile is in that directory). */
  profile?: ProfileSummary & { file: string };
}

function runInput(settings: CaseSettings): string {
  return JSON.stringify({ kind: 'bench', input: { count: settings.runTokens, rate: settings.rate } });
}

export interface CaseHooks {
  /** Called once the server is idle, before the case's memory reading and streams (to start background work the case measures beside). */
  afterQuiesce?: () => void;
}

export async function runCase(target: Target, mode: Mode, connections: number, clients: ClientProcess[], windowS: number, settings: CaseSettings, hooks: CaseHooks = {}): Promise<CaseResult> {
  const quiesceMs = await quiesce(target);
  hooks.afterQuiesce?.();
  const before = await readMemory(target);

  let url = `${target.baseUrl}/api/runs`;
  let method: 'GET' | 'POST' = 'POST';
  let body: string | undefined = runInput(settings);
  if (mode === 'fanout') {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(target.cookie ? { Cookie: target.cookie } : {}) }, body });
    if (response.status !== 201) throw new Error(`${target.name}: starting the shared run answered ${response.status}: ${await response.text()}`);
    const { eventsUrl } = (await response.json()) as { eventsUrl: string };
    url = `${target.baseUrl}${eventsUrl}`;
    method = 'GET';
    body = undefined;
  }

  const openStarted = preciseNow();
  const shares = split(connections, clients.length);
  const deadline = Date.now() + settings.rampS * 1000;
  const opens = await Promise.all(
    clients.map((client, i) =>
      shares[i]! > 0 ? client.call<OpenReply>({ op: 'open', url, method, body, cookie: target.cookie, count: shares[i]!, concurrency: settings.openConcurrency, rate: settings.rate, deadline }) : undefined,
    ),
  );
  const openMs = preciseNow() - openStarted;
  const failed = opens.reduce((sum, reply) => sum + (reply?.failed ?? 0), 0);
  const settleS = settings.settleS + (failed > 0 ? settings.abandonedSettleS : 0);
  await sleep(settleS * 1000);
  const atStart = await readMemory(target);
  const atStartTime = preciseNow();
  // Let the server catch up after the collection before the window opens.
  await sleep(500);

  const marks = await Promise.all(clients.map((client) => client.call<MarkReply>({ op: 'mark' })));
  const clientCpu = () => clients.reduce((sum, client) => sum + treeCpuMs(client.pid), 0);
  const from = preciseNow();
  const server0 = cpuOf(target);
  const helpers0 = helperCpuOf(target);
  const clients0 = clientCpu();
  const self0 = process.cpuUsage();
  const machine0 = machineCpu();
  const loop0 = mainThreadSched(target.pid);
  await target.profiler?.start();
  await sleep(windowS * 1000);
  const to = preciseNow();
  const serverCpuMs = cpuOf(target) - server0;
  const helperCpuMs = helperCpuOf(target) - helpers0;
  const clientCpuMs = clientCpu() - clients0;
  const self = process.cpuUsage(self0);
  const machine1 = machineCpu();
  const machineMs = machine1.busyMs - machine0.busyMs;
  const stealMs = machine1.stealMs - machine0.stealMs;
  const loop1 = mainThreadSched(target.pid);

  const profileFile = target.profiler && CPU_PROFILE_DIR ? path.join(CPU_PROFILE_DIR, `${mode}-${connections}-${target.name}.cpuprofile`) : undefined;
  if (profileFile) await target.profiler!.stop(profileFile);
  const collected = await Promise.all(clients.map((client) => client.call<CollectReply>({ op: 'collect', from, to })));
  const after = await readMemory(target);
  const afterTime = preciseNow();
  await Promise.all(clients.map((client) => client.call({ op: 'close' })));
  target.lastClosedAt = Date.now();

  // Arrival is read on the client's clock and the stamp on the server's: take away how far
  // apart the two clocks are (bench/lib/clockOffset.ts), per client process.
  const serverOffset = Number.isFinite(after.clockOffsetMs) ? after.clockOffsetMs : 0;
  const corrections = collected.map((reply) => reply.clockOffsetMs - serverOffset);
  const corrected = (pick: (reply: CollectReply) => Float64Array) =>
    collected.map((reply, i) => {
      const correction = corrections[i]!;
      return pick(reply).map((value) => value - correction);
    });
  const latency = summarizeLatency(corrected((reply) => reply.latenciesMs));
  const scheduleLatency = summarizeLatency(corrected((reply) => reply.scheduleLatenciesMs));
  const seconds = (to - from) / 1000;
  const opened = opens.reduce((sum, reply) => sum + (reply?.opened ?? 0), 0);
  const mib = (bytes: number) => round(bytes / 2 ** 20, 1);
  const perConnectionKiB = (a: number, b: number) => round((b - a) / 1024 / Math.max(1, opened), 2);
  // Log entries: per run, each reader receives its whole run; one shared run produces `rate` a second.
  const tokensAtMark = marks.reduce((sum, mark) => sum + mark.tokensTotal, 0);
  const tokensAtEnd = collected.reduce((sum, reply) => sum + reply.tokensTotal, 0);
  const logEntries = mode === 'per-run' ? tokensAtEnd : Math.round((settings.rate * (afterTime - openStarted)) / 1000);
  const entriesAdded =
    mode === 'per-run'
      ? ((tokensAtEnd - tokensAtMark) * (afterTime - atStartTime)) / Math.max(1, to - from)
      : (settings.rate * (afterTime - atStartTime)) / 1000;
  const heapPerLogEntry = (after.heapUsedBytes - atStart.heapUsedBytes) / Math.max(1, entriesAdded);
  const otherCpuMs = machineMs - serverCpuMs - clientCpuMs - (self.user + self.system) / 1000;
  return {
    connections,
    opened,
    failed,
    openErrors: [...new Set(opens.flatMap((reply) => reply?.errors ?? []))],
    held: collected.reduce((sum, reply) => sum + reply.open, 0),
    dropped: collected.reduce((sum, reply) => sum + reply.dropped, 0),
    dropReasons: [...new Set(collected.flatMap((reply) => reply.dropReasons))],
    openMs: round(openMs, 0),
    settleS,
    windowS: round(seconds, 3),
    eventsPerSec: round(latency.samples / seconds, 0),
    expectedEventsPerSec: opened * settings.rate,
    latencyMs: latency,
    scheduleLatencyMs: scheduleLatency,
    serverCpuMsPerSec: round(serverCpuMs / seconds, 0),
    serverCpuUsPerEvent: round((serverCpuMs * 1000) / Math.max(1, latency.samples), 2),
    helperCpuMsPerSec: round(helperCpuMs / seconds, 0),
    helperCpuUsPerEvent: round((helperCpuMs * 1000) / Math.max(1, latency.samples), 2),
    memory: {
      rssBeforeMiB: mib(before.rssBytes),
      rssAfterMiB: mib(after.rssBytes),
      rssPerConnectionKiB: perConnectionKiB(before.rssBytes, after.rssBytes),
      heapBeforeMiB: mib(before.heapUsedBytes),
      heapAtWindowStartMiB: mib(atStart.heapUsedBytes),
      heapAfterMiB: mib(after.heapUsedBytes),
      heapPerConnectionKiB: perConnectionKiB(before.heapUsedBytes, after.heapUsedBytes),
      externalPerConnectionKiB: perConnectionKiB(before.externalBytes, after.externalBytes),
      logEntries,
      heapPerLogEntryB: round(heapPerLogEntry, 0),
      heapPerConnectionWithoutLogKiB: perConnectionKiB(before.heapUsedBytes, after.heapUsedBytes - heapPerLogEntry * logEntries),
    },
    clients: {
      processes: clients.length,
      cpuMsPerSec: round(clientCpuMs / seconds, 0),
      loopDelayP99Ms: round(Math.max(...collected.map((reply) => reply.loopDelayMs.p99)), 2),
      loopDelayMaxMs: round(Math.max(...collected.map((reply) => reply.loopDelayMs.max)), 2),
      clockCorrectionMs: corrections.map((value) => round(value, 3)),
    },
    eventLoop: { cpuMsPerSec: round((loop1.runMs - loop0.runMs) / seconds, 0), runQueueWaitMsPerSec: round((loop1.waitMs - loop0.waitMs) / seconds, 0) },
    otherThreadsCpuMsPerSec: round(Math.max(0, serverCpuMs - helperCpuMs - (loop1.runMs - loop0.runMs)) / seconds, 0),
    otherCpuMsPerSec: round(Math.max(0, otherCpuMs) / seconds, 0),
    stealMsPerSec: round(stealMs / seconds, 0),
    quiesceMs,
    ...(profileFile ? { profile: { file: path.basename(profileFile), ...summarizeProfile(profileFile) } } : {}),
  };
}

