/** What every benchmark result records about where it ran: the machine and the commit. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ROOT } from '../../e2e/harness/appServer';
import { round } from './stats';

export function machineInfo() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** HEAD's commit and whether the tree had uncommitted changes; nulls outside a git checkout. */
export function gitInfo(): { commit: string | null; dirty: boolean | null } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain') !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}
