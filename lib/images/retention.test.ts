// The image sweep on a real directory: an image goes when every run that drew it is past the
// retention or deleted, and stays while one is not; claims are written as the worker reports.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { claimImage, CLAIMS_DIR, createImageSweep } from './retention';

const HOUR = 60 * 60_000;

function imageName(seed: string): string {
  return `${seed.repeat(64).slice(0, 64)}.png`;
}

/** An image directory with a clock: files can be made to have been written `agoMs` before now. */
function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-retention-'));
  const now = Date.now();
  const runs = new Set<string>();
  const image = (name: string, agoMs = 0) => {
    const file = path.join(dir, name);
    writeFileSync(file, 'png');
    utimesSync(file, (now - agoMs) / 1000, (now - agoMs) / 1000);
  };
  const draw = (runId: string, name: string, agoMs = 0) => {
    runs.add(runId);
    if (!existsSync(path.join(dir, name))) image(name, agoMs);
    claimImage({ dir, runId, name });
    const claim = path.join(dir, CLAIMS_DIR, runId);
    utimesSync(claim, (now - agoMs) / 1000, (now - agoMs) / 1000);
  };
  const sweep = createImageSweep({
    dir,
    retentionMs: 24 * HOUR,
    intervalMs: 60_000,
    existingRunIds: async (ids) => new Set(ids.filter((id) => runs.has(id))),
    now: () => now,
  });
  const exists = (name: string) => existsSync(path.join(dir, name));
  return { dir, runs, image, draw, sweep, exists };
}

describe('claimImage', () => {
  test("appends the image to its run's claim, one name a line", () => {
    const { dir } = setup();
    const runId = randomUUID();
    claimImage({ dir, runId, name: imageName('a') });
    claimImage({ dir, runId, name: imageName('b') });
    expect(readFileSync(path.join(dir, CLAIMS_DIR, runId), 'utf8')).toBe(`${imageName('a')}\n${imageName('b')}\n`);
  });

  test('records nothing for a run id that is not a uuid, or a name that is not an image', () => {
    const { dir } = setup();
    claimImage({ dir, runId: '../escape', name: imageName('a') });
    claimImage({ dir, runId: randomUUID(), name: '../../package.json' });
    expect(existsSync(path.join(dir, CLAIMS_DIR))).toBe(false);
  });
});

describe('the image sweep', () => {
  test('deletes the images of a run past the retention, and its claim', async () => {
    const { dir, draw, sweep, exists } = setup();
    const old = randomUUID();
    draw(old, imageName('a'), 48 * HOUR);
    expect(await sweep.sweep()).toEqual({ claims: 1, images: 1 });
    expect(exists(imageName('a'))).toBe(false);
    expect(existsSync(path.join(dir, CLAIMS_DIR, old))).toBe(false);
  });

  test('keeps the images of a run within the retention', async () => {
    const { draw, sweep, exists } = setup();
    draw(randomUUID(), imageName('b'), HOUR);
    expect(await sweep.sweep()).toEqual({ claims: 0, images: 0 });
    expect(exists(imageName('b'))).toBe(true);
  });

  test('keeps an old image that a recent run drew again (same content, same file)', async () => {
    const { draw, sweep, exists } = setup();
    draw(randomUUID(), imageName('c'), 48 * HOUR);
    draw(randomUUID(), imageName('c'), HOUR);
    await sweep.sweep();
    expect(exists(imageName('c'))).toBe(true);
  });

  test('deletes the images of a run the database no longer has, within the retention too', async () => {
    const { runs, draw, sweep, exists } = setup();
    const deleted = randomUUID();
    draw(deleted, imageName('d'), 48 * HOUR - 1);
    runs.delete(deleted);
    // The image file is older than the retention: once unclaimed, it goes.
    const result = await sweep.sweep();
    expect(result.claims).toBe(1);
    expect(exists(imageName('d'))).toBe(false);
  });

  test('an unclaimed image goes only once it is older than the retention (its claim may be a moment behind)', async () => {
    const { image, sweep, exists } = setup();
    image(imageName('e'), 0);
    image(imageName('f'), 48 * HOUR);
    await sweep.sweep();
    expect(exists(imageName('e'))).toBe(true);
    expect(exists(imageName('f'))).toBe(false);
  });

  test('leaves files that are not images alone', async () => {
    const { dir, sweep } = setup();
    const other = path.join(dir, 'notes.txt');
    writeFileSync(other, 'x');
    utimesSync(other, 0, 0);
    await sweep.sweep();
    expect(existsSync(other)).toBe(true);
  });

  test('a sweep whose database question fails deletes nothing', async () => {
    const { dir, draw, exists } = setup();
    draw(randomUUID(), imageName('9'), 48 * HOUR);
    const failing = createImageSweep({ dir, retentionMs: 24 * HOUR, intervalMs: 60_000, existingRunIds: () => Promise.reject(new Error('down')) });
    await expect(failing.sweep()).rejects.toThrow('down');
    expect(exists(imageName('9'))).toBe(true);
  });
});
