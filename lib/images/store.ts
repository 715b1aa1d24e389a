/**
 * The image store: PNGs the Saturn worker draws, kept by content hash as
 * `<DATA_DIR>/images/<sha256>.png` and served by `GET /api/images/<sha256>.png`.
 *
 * The worker writes (atomically, never replacing a file); this module only reads. A name is
 * accepted only if it is exactly 64 lowercase hex digits and `.png`, so no name can leave the
 * directory, and files are opened with O_NOFOLLOW so a planted symlink is not followed either.
 */
import 'server-only';
import { mkdirSync, constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import { getConfig } from '../config';

/** A stored image's file name: the SHA-256 of its bytes in lowercase hex, then `.png`. */
export const IMAGE_NAME = /^[0-9a-f]{64}\.png$/;

/** Largest file served; the worker's images are a few KB. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024;

const created = new Set<string>();

/** `<DATA_DIR>/images`, absolute, created on first use. */
export function imageDirOf(config: Pick<Config, 'DATA_DIR'>): string {
  const dir = path.resolve(config.DATA_DIR, 'images');
  if (!created.has(dir)) {
    mkdirSync(dir, { recursive: true });
    created.add(dir);
  }
  return dir;
}

/** Whether `name` is a well-formed image name (`<sha256>.png`). */
export function isImageName(name: string): boolean {
  return IMAGE_NAME.test(name);
}

/**
 * The bytes of image `name`, or null when the name is malformed or no such image is stored
 * (or the entry is not a regular file, or is larger than {@link MAX_IMAGE_BYTES}).
 */
export async function readImage(name: string, options: { dir?: string } = {}): Promise<Buffer | null> {
  if (!isImageName(name)) return null;
  const dir = options.dir ?? imageDirOf(getConfig());
  let handle;
  try {
    handle = await open(path.join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null; // ENOENT, ELOOP (a symlink), EACCES...
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_IMAGE_BYTES) return null;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
