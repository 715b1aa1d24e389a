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

/** The whole machine's CPU so far, from the first line of `/proc/stat`; NaN figures without `/proc`. */
export interface MachineCpu {
  /**
   * ms all cores were busy (everything but idle and iowait). Beside the per-process figures it
   * shows how much of the machine something else (another build, another benchmark) was using.
   */
  busyMs: number;
  /** ms the hypervisor gave to other guests while this machine wanted the CPU (`steal`): the part of a slow window no process here caused. */
  stealMs: number;
}

export function machineCpu(): MachineCpu {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const busy = ticks.slice(0, 8).reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
    return { busyMs: (busy * 1000) / TICKS_PER_SECOND, stealMs: (ticks[7]! * 1000) / TICKS_PER_SECOND };
  } catch {
    return { busyMs: Number.NaN, stealMs: Number.NaN };
  }
}

/** What the kernel's scheduler says about the main threads of a process tree (event loops). */
export interface MainThreadSched {
  /** ms the main threads ran. */
  runMs: number;
  /** ms they were runnable but waited on a run queue for a CPU. */
  waitMs: number;
}

/**
 * Run and run-queue wait of the main thread of `pid` and of each descendant, from
 * `/proc/<pid>/task/<pid>/schedstat` (ns on the CPU, ns waiting on a run queue, time slices). A
 * Node server's main thread is its event loop, so the wait is how long the loop was ready to
 * deliver and no CPU was free: the one figure that separates "the loop had too much to do" from
 * "the machine gave the loop no core". NaN without `/proc` or schedstats.
 */
export function mainThreadSched(pid: number): MainThreadSched {
  const pids = treePids(pid);
  let runNs = 0;
  let waitNs = 0;
  let read = 0;
  for (const current of pids) {
    try {
      const [run, wait] = readFileSync(`/proc/${current}/task/${current}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      runNs += run!;
      waitNs += wait!;
      read++;
    } catch {
      // Gone, or no schedstats in this kernel.
    }
  }
  if (read === 0) return { runMs: Number.NaN, waitMs: Number.NaN };
  return { runMs: runNs / 1e6, waitMs: waitNs / 1e6 };
}
