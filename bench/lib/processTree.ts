/**
 * A process and its descendants, from Linux `/proc`. `next start` serves from a child of the
 * process it was started as, so a server's CPU and memory are those of its whole tree. Elsewhere
 * (no `/proc`) the tree is empty and the figures built on it are NaN.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields after the command name of `/proc/<pid>/stat` (from `state` on), or undefined if gone. */
export function readStatFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: parse after its closing one.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `pid` and every live descendant of it; [] without `/proc`. */
export function treePids(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const name of entries) {
    const child = Number(name);
    if (!Number.isInteger(child)) continue;
    const fields = readStatFields(child);
    if (!fields) continue;
    const parent = Number(fields[1]);
    const list = children.get(parent) ?? [];
    list.push(child);
    children.set(parent, list);
  }
  const pids: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.pop()!;
    pids.push(current);
    queue.push(...(children.get(current) ?? []));
  }
  return pids;
}
