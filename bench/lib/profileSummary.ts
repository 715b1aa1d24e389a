/**
 * Where a server's CPU went in a `.cpuprofile` (bench/lib/cpuProfiler.ts), in a few buckets a
 * reader can act on: the embedded database (PGlite's JavaScript and its WASM), Next.js, Node's
 * own HTTP, streams and sockets, the app's bundle (the app's code with the libraries bundled into
 * it: Better Auth, Drizzle, ioredis, zod), and the garbage collector. Each sample counts once, for
 * the innermost frame that names a bucket (so a database call made from the app's code counts as
 * the database). Shares are of the busy time (idle left out).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export type ProfileBucket = 'database' | 'next' | 'node' | 'app' | 'gc' | 'other';

export interface ProfileSummary {
  busyMs: number;
  /** Share of the busy time per bucket (0..1). */
  shares: Record<ProfileBucket, number>;
}

function bucketOf(node: ProfileNode): ProfileBucket | undefined {
  const { url, functionName } = node.callFrame;
  if (url.includes('@electric-sql/pglite') || url.startsWith('wasm://')) return 'database';
  if (functionName === '(garbage collector)') return 'gc';
  if (url.includes('/node_modules/next/') || url.includes('next/dist/')) return 'next';
  if (url.includes('.next/server/')) return 'app';
  if (url.startsWith('node:')) return 'node';
  return undefined;
}

export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const bucketOfSample = new Map<number, ProfileBucket | 'idle'>();
  const totals: Record<ProfileBucket, number> = { database: 0, next: 0, node: 0, app: 0, gc: 0, other: 0 };
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    let bucket = bucketOfSample.get(id);
    if (bucket === undefined) {
      const leaf = nodes.get(id)!;
      if (leaf.callFrame.functionName === '(idle)') bucket = 'idle';
      else {
        // The innermost frame with a bucket; the database wins wherever it is on the stack.
        let found: ProfileBucket | undefined;
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
          const b = bucketOf(nodes.get(at)!);
          if (b === 'database') {
            found = b;
            break;
          }
          found ??= b;
        }
        bucket = found ?? 'other';
      }
      bucketOfSample.set(id, bucket);
    }
    if (bucket === 'idle') continue;
    const delta = profile.timeDeltas[i] ?? 0;
    totals[bucket] += delta;
    busy += delta;
  }
  const shares = Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, busy > 0 ? Math.round((v / busy) * 1000) / 1000 : 0])) as Record<ProfileBucket, number>;
  return { busyMs: Math.round(busy / 1000), shares };
}
