/**
 * How long Saturn's images are kept: an image belongs to the runs that drew it, and goes when
 * they have all gone or are past IMAGE_RETENTION_MS.
 *
 * Images are stored by content hash (lib/images/store.ts), so two runs may draw the same file.
 * Which run drew which is kept beside them with no database table: `<images>/runs/<run id>`
 * lists the images that run drew, one name a line, appended as the worker reports each one
 * ({@link claimImage}); the file's modification time is when its run last drew. A sweep
 * ({@link createImageSweep}) drops the claims of runs that are past the retention or no longer in
 * the database, then deletes every image no remaining claim names once it is itself older than
 * the retention (an image just written, whose claim is a moment behind, is never taken).
 */
import 'server-only';
import { appendFileSync, mkdirSync } from 'node:fs';
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isImageName } from './store';
import { periodicTask } from '../periodicTask';

/** The claims folder inside the image directory (not a servable name: only `<sha256>.png` is). */
export const CLAIMS_DIR = 'runs';

/** Run ids that name claim files: uuids, as the registry makes them. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Records that run `runId` drew image `name` (already in `dir`). A run id that is not a uuid (a
 * test's worker with no run behind it) records nothing: its images are unclaimed and go after the
 * retention.
 */
export function claimImage({ dir, runId, name }: { dir: string; runId: string; name: string }): void {
  if (!RUN_ID.test(runId) || !isImageName(name)) return;
  const claims = path.join(dir, CLAIMS_DIR);
  mkdirSync(claims, { recursive: true });
  appendFileSync(path.join(claims, runId), `${name}\n`);
}

export interface ImageSweepOptions {
  /** The image directory (`imageDirOf(config)`). */
  dir: string;
  /** How long after its run last drew an image is kept (IMAGE_RETENTION_MS). */
  retentionMs: number;
  /** Time between sweeps (IMAGE_SWEEP_MS). */
  intervalMs: number;
  /** Those of `ids` the database still has (a deleted run's images go with it). */
  existingRunIds(ids: string[]): Promise<Set<string>>;
  now?: () => number;
  /** A sweep that failed: the next one tries again. */
  onError?: (error: unknown) => void;
}

export interface ImageSweepResult {
  /** Claims dropped (runs past the retention or deleted). */
  claims: number;
  /** Image files deleted. */
  images: number;
}

export interface ImageSweep {
  sweep(): Promise<ImageSweepResult>;
  /** Sweeps every `intervalMs` until `stop`. */
  start(): void;
  stop(): void;
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

async function mtimeOf(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.mtimeMs : undefined;
  } catch {
    return undefined;
  }
}

async function remove(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch {
    return false; // gone already (another instance sharing the directory)
  }
}

export function createImageSweep(options: ImageSweepOptions): ImageSweep {
  const now = options.now ?? Date.now;
  const claimsDir = path.join(options.dir, CLAIMS_DIR);

  async function sweep(): Promise<ImageSweepResult> {
    const cutoff = now() - options.retentionMs;
    const runIds = (await entries(claimsDir)).filter((name) => RUN_ID.test(name));
    const existing = runIds.length > 0 ? await options.existingRunIds(runIds) : new Set<string>();
    const kept = new Set<string>();
    let claims = 0;
    for (const runId of runIds) {
      const file = path.join(claimsDir, runId);
      const mtime = await mtimeOf(file);
      if (mtime === undefined) continue;
      if (mtime < cutoff || !existing.has(runId)) {
        if (await remove(file)) claims += 1;
        continue;
      }
      const names = await readFile(file, 'utf8').catch(() => '');
      for (const name of names.split('\n')) if (isImageName(name)) kept.add(name);
    }
    let images = 0;
    for (const name of await entries(options.dir)) {
      if (!isImageName(name) || kept.has(name)) continue;
      const file = path.join(options.dir, name);
      const mtime = await mtimeOf(file);
      if (mtime !== undefined && mtime < cutoff && (await remove(file))) images += 1;
    }
    return { claims, images };
  }

  return { sweep, ...periodicTask(sweep, options) };
}
