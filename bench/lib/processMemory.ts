/**
 * Resident memory of a process and all its descendants, from Linux `/proc/<pid>/statm`. Summing
 * RSS counts pages shared between the processes twice; for the servers measured here (one Node
 * process doing the work, its parent idle) the overlap is the same in every reading, so the
 * difference between two readings, which is what the benchmarks report, is not affected.
 */
import { readFileSync } from 'node:fs';
import { treePids } from './processTree';

const PAGE_BYTES = 4096; // x86-64 and arm64 Linux default page size.

/** Bytes resident now in `pid` and its descendants; NaN without `/proc`. */
export function treeRssBytes(pid: number): number {
  const pids = treePids(pid);
  if (pids.length === 0) return Number.NaN;
  let pages = 0;
  for (const current of pids) {
    try {
      pages += Number(readFileSync(`/proc/${current}/statm`, 'utf8').split(' ')[1]);
    } catch {
      // exited between the listing and the read
    }
  }
  return pages * PAGE_BYTES;
}
