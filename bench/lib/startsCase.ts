/**
 * The load benchmark's `starts` case: what one run costs the server to start and to end, apart
 * from streaming it. `runs` bench runs of one token (`POST /api/runs`, JSON answer: the run is
 * recorded, produces its token, ends and is saved at once), `inFlight` at a time, and the
 * server's CPU over them divided by the runs. Beside it, in the same case and at the same
 * concurrency, the floor any request pays: `GET /api/health`, one route handler through Next.js
 * with one `select 1`. What a start costs above that floor is the app's own work (the session,
 * the flag, the run's insert and its end's update, the hub).
 */
import path from 'node:path';
import { CPU_PROFILE_DIR, cpuOf, type Target } from './loadServers';
import { summarizeProfile, type ProfileSummary } from './profileSummary';
import { round } from './stats';

export interface StartsResult {
  runs: number;
  inFlight: number;
  /** Server CPU per run, started and ended (ms). */
  cpuMsPerRun: number;
  runsPerSec: number;
  /** Server CPU per `GET /api/health` at the same concurrency (ms): the HTTP floor. */
  floorCpuMsPerRequest: number;
  /** What a run costs above that floor (ms). */
  aboveFloorCpuMs: number;
  /** With LOAD_CPU_PROFILE: where the CPU of the starts went (the profile is in that directory). */
  profile?: ProfileSummary & { file: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inParallel(count: number, inFlight: number, one: () => Promise<void>): Promise<number> {
  let started = 0;
  const from = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (started < count) {
        started++;
        await one();
      }
    }),
  );
  return performance.now() - from;
}

/** CPU of the server over `count` calls of `one` and until it is quiet again (ms per call), and the calls' rate. */
async function measure(target: Target, count: number, inFlight: number, one: () => Promise<void>, profileFile?: string): Promise<{ cpuMs: number; perSec: number }> {
  // Warm the path first: the first calls compile code and open pools.
  await inParallel(Math.min(50, count), inFlight, one);
  await sleep(500);
  if (profileFile) await target.profiler?.start();
  const cpu0 = cpuOf(target);
  const wallMs = await inParallel(count, inFlight, one);
  // The last runs end and are saved after their answers.
  await sleep(300);
  const cpuMs = (cpuOf(target) - cpu0) / count;
  if (profileFile) await target.profiler?.stop(profileFile);
  return { cpuMs, perSec: count / (wallMs / 1000) };
}

export async function runStartsCase(target: Target, { runs, inFlight, label }: { runs: number; inFlight: number; label: string }): Promise<StartsResult> {
  const profileFile = target.profiler && CPU_PROFILE_DIR ? path.join(CPU_PROFILE_DIR, `starts-${label}.cpuprofile`) : undefined;
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', ...(target.cookie ? { Cookie: target.cookie } : {}) };
  const body = JSON.stringify({ kind: 'bench', input: { count: 1, rate: 1000 } });
  const start = async () => {
    const response = await fetch(`${target.baseUrl}/api/runs`, { method: 'POST', headers, body });
    if (response.status !== 201) throw new Error(`${target.name}: a run start answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  const health = async () => {
    const response = await fetch(`${target.baseUrl}/api/health`, { headers });
    if (!response.ok) throw new Error(`${target.name}: /api/health answered ${response.status}`);
    await response.arrayBuffer();
  };
  const floor = await measure(target, runs, inFlight, health);
  const started = await measure(target, runs, inFlight, start, profileFile);
  return {
    ...(profileFile ? { profile: { file: path.basename(profileFile), ...summarizeProfile(profileFile) } } : {}),
    runs,
    inFlight,
    cpuMsPerRun: round(started.cpuMs, 2),
    runsPerSec: round(started.perSec, 0),
    floorCpuMsPerRequest: round(floor.cpuMs, 2),
    aboveFloorCpuMs: round(started.cpuMs - floor.cpuMs, 2),
  };
}
