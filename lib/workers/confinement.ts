/**
 * Confinement of Python processes that run untrusted (model-written) code: the bubblewrap
 * command line that puts the worker in new namespaces on a read-only minimal filesystem, the
 * server's own namespace ids (the worker checks it is in none of them), the check of the
 * worker's hello (every layer named, or the program is not used), and the one global cap on
 * concurrent sandbox processes. docs/security.md says what each layer stops and why.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { createSemaphore } from './semaphore';

/** Namespaces the sandboxed worker must not share with the server. */
export const REQUIRED_NAMESPACES = ['pid', 'net', 'ipc', 'mnt', 'uts'] as const;

/** Layers the worker installs, in order; a request may simulate one as unavailable (tests). */
export type ConfinementLayer = 'namespaces' | 'env' | 'uid' | 'no_new_privs' | 'rlimits' | 'seccomp';

/** The server's namespace ids (`pid:[4026531836]`, ...), for the worker to compare its own with. */
export function hostNamespaces(): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const name of [...REQUIRED_NAMESPACES, 'user']) {
    try {
      ids[name] = readlinkSync(`/proc/self/ns/${name}`);
    } catch {
      // not Linux, or no /proc: the worker then refuses (it has nothing to compare with)
    }
  }
  return ids;
}

/** System paths the interpreter needs (libc, the loader), bound read-only or kept as symlinks. */
const SYSTEM_PATHS = ['/usr', '/lib', '/lib64', '/bin'];

/**
 * The bubblewrap command that runs `inner` (interpreter, flags, script): new pid, net, ipc,
 * uts, mount and cgroup namespaces (and a user namespace when the server is not root: that is
 * how an unprivileged bwrap makes the others), a filesystem of /usr, the interpreter's prefix
 * and the script's folder, all read-only, a fresh /proc and a minimal /dev, nothing writable,
 * no network, and an empty environment but LC_ALL. The worker leaves root itself (setresuid to
 * nobody), since a user namespace made by root would map its uid back to root.
 */
export function bubblewrapArgv(inner: string[], bwrap = 'bwrap'): string[] {
  const [python, ...rest] = inner;
  const script = rest[rest.length - 1]!;
  const realPython = realpathSync(python!);
  const prefix = path.dirname(path.dirname(realPython));
  const argv = [bwrap, '--die-with-parent', '--new-session', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  if (process.getuid?.() !== 0) argv.push('--unshare-user');
  for (const p of SYSTEM_PATHS) {
    if (!existsSync(p)) continue;
    const stat = lstatSync(p);
    if (stat.isSymbolicLink()) argv.push('--symlink', readlinkSync(p), p);
    else argv.push('--ro-bind', p, p);
  }
  argv.push('--ro-bind', prefix, prefix, '--ro-bind', path.dirname(script), path.dirname(script));
  argv.push('--proc', '/proc', '--dev', '/dev', '--chdir', '/', '--clearenv', '--setenv', 'LC_ALL', 'C.UTF-8', '--', realPython, ...rest);
  return argv;
}

/** The worker's hello: every layer it installed, sent before the program runs. */
export const confinementHelloSchema = z.object({
  namespaces: z.array(z.string()),
  uid: z.number().int(),
  gid: z.number().int(),
  noNewPrivs: z.literal(true),
  seccomp: z.string().startsWith('allowlist:'),
  rlimits: z.array(z.string()),
  env: z.literal('clear'),
});

export type ConfinementHello = z.infer<typeof confinementHelloSchema>;

/** What is missing from a worker's hello; empty when every layer is there. */
export function missingLayers(hello: unknown): string[] {
  const parsed = confinementHelloSchema.safeParse(hello);
  if (!parsed.success) return [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'hello')))];
  const { namespaces, uid, gid, rlimits } = parsed.data;
  const missing: string[] = [];
  for (const name of REQUIRED_NAMESPACES) if (!namespaces.includes(name)) missing.push(`namespace ${name}`);
  if (uid === 0 || gid === 0) missing.push('uid');
  for (const limit of ['cpu', 'as', 'fsize', 'nproc', 'nofile']) if (!rlimits.includes(limit)) missing.push(`rlimit ${limit}`);
  return missing;
}

/** Most sandbox processes alive at once, across every run and producer. */
export const MAX_SANDBOX_PROCESSES = Math.max(2, availableParallelism());

/** The one global cap on concurrent sandbox processes. */
export const sandboxSlots = createSemaphore(MAX_SANDBOX_PROCESSES);
