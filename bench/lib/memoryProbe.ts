/**
 * The load benchmark's memory probe, preloaded into every server process it measures (through
 * `NODE_OPTIONS=--import`, so `next start` and whatever Node processes it starts load it too).
 * Heap figures exist only inside a process; this is how the bench reads them without a route of
 * its own in the app.
 *
 * With LOAD_PROBE_DIR set it writes `<dir>/<pid>.ready` once, and on each SIGUSR2 runs a full
 * garbage collection and writes `process.memoryUsage()` to `<dir>/<pid>.json` (atomically, by
 * rename). Collecting first makes the heap reading what the process retains, not whatever garbage
 * the last minor collection left. Without LOAD_PROBE_DIR it does nothing.
 *
 * Both files also carry `clockOffsetMs`, this process's high-resolution wall clock minus the
 * machine's monotonic clock, so the bench can correct latencies measured across processes (see
 * `bench/lib/clockOffset.ts`; computed here again because this file is loaded without a
 * TypeScript loader, which cannot resolve extensionless imports).
 *
 * Plain erasable TypeScript: Node 24 strips the types itself, so the app needs no loader for it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const dir = process.env.LOAD_PROBE_DIR;

if (dir) {
  // The long-standing way to get `gc` without starting Node with --expose-gc: the flag takes
  // effect for contexts created after it is set.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const target = path.join(dir, `${process.pid}.json`);
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) readings.push(performance.timeOrigin + performance.now() - Number(process.hrtime.bigint()) / 1e6);
  const clockOffsetMs = readings.sort((a, b) => a - b)[2];
  process.on('SIGUSR2', () => {
    collect();
    const usage = process.memoryUsage();
    writeFileSync(`${target}.tmp`, JSON.stringify({ pid: process.pid, at: Date.now(), clockOffsetMs, ...usage }));
    renameSync(`${target}.tmp`, target);
  });
  writeFileSync(path.join(dir, `${process.pid}.ready`), JSON.stringify({ pid: process.pid, clockOffsetMs }));
}
