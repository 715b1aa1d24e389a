/**
 * CPU time of a process and all its descendants, from Linux `/proc` (utime + stime). `next start`
 * serves from a child of the process it was started as, so a server's cost is its whole tree.
 * Elsewhere it answers NaN and the report leaves the figure out.
 */
import { readFileSync } from 'node:fs';
import { readStatFields, treePids } from './processTree';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build.

/** CPU ms used so far by `pid` and its descendants. */
export function treeCpuMs(pid: number): number {
  const pids = treePids(pid);
  if (pids.length === 0) return Number.NaN;
  let ticks = 0;
  for (const current of pids) {
    const fields = readStatFields(current);
    // utime and stime are fields 14 and 15 of stat, 11 and 12 after the command name.
    if (fields) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU ms the whole machine has been busy so far (all cores: everything but idle and iowait,
 * from the first line of `/proc/stat`); NaN without `/proc`. Beside the per-process figures it
 * shows how much of the machine something else (another build, another benchmark) was using.
 */
export function machineBusyCpuMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const busy = ticks.slice(0, 8).reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
    return (busy * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
