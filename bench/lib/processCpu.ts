/**
 * CPU time of a process and all its descendants, from Linux `/proc` (utime + stime). `next start`
 * serves from a child of the process it was started as, so a server's cost is its whole tree.
 * Elsewhere it answers NaN and the report leaves the figure out.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build.

function readStat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: parse after its closing one.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU ms used so far by `pid` and its descendants. */
export function treeCpuMs(pid: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return Number.NaN;
  }
  const children = new Map<number, number[]>();
  for (const name of entries) {
    const child = Number(name);
    if (!Number.isInteger(child)) continue;
    const stat = readStat(child);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(child);
    children.set(stat.ppid, list);
  }
  let ticks = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.pop()!;
    ticks += readStat(current)?.ticks ?? 0;
    queue.push(...(children.get(current) ?? []));
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
