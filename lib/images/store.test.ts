import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET } from '@/app/api/images/[name]/route';
import { resetConfig } from '../config';
import { imageDirOf, isImageName, readImage } from './store';

const dataDir = mkdtempSync(path.join(tmpdir(), 'images-store-'));
const dir = imageDirOf({ DATA_DIR: dataDir });
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'); // bytes enough for a store test
const name = `${createHash('sha256').update(png).digest('hex')}.png`;
writeFileSync(path.join(dir, name), png);

describe('imageDirOf', () => {
  test('is <DATA_DIR>/images, absolute, and exists once asked for', () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'images-dir-'));
    const result = imageDirOf({ DATA_DIR: fresh });
    expect(result).toBe(path.join(fresh, 'images'));
    expect(existsSync(result)).toBe(true);
  });
});

describe('readImage', () => {
  test('returns the bytes of a stored image', async () => {
    expect(await readImage(name, { dir })).toEqual(png);
  });

  test('returns null for an unknown well-formed name', async () => {
    expect(await readImage(`${'0'.repeat(64)}.png`, { dir })).toBeNull();
  });

  test.each([
    ['a traversal', '../../etc/passwd'],
    ['an encoded traversal', '..%2F..%2Fetc%2Fpasswd'],
    ['upper-case hex', name.toUpperCase().replace('.PNG', '.png')],
    ['a short hash', `${'a'.repeat(63)}.png`],
    ['another extension', name.replace('.png', '.gif')],
    ['a trailing newline', `${name}\n`],
    ['an absolute path', path.join(dir, name)],
    ['empty', ''],
  ])('refuses %s', async (_, bad) => {
    expect(isImageName(bad)).toBe(false);
    expect(await readImage(bad, { dir })).toBeNull();
  });

  test('does not follow a symlink planted under a valid name', async () => {
    const outside = path.join(dataDir, 'secret.txt');
    writeFileSync(outside, 'secret');
    const link = `${'b'.repeat(64)}.png`;
    symlinkSync(outside, path.join(dir, link));
    expect(await readImage(link, { dir })).toBeNull();
  });

  test('does not serve a directory under a valid name', async () => {
    const sub = `${'c'.repeat(64)}.png`;
    mkdirSync(path.join(dir, sub));
    expect(await readImage(sub, { dir })).toBeNull();
  });
});

describe('GET /api/images/[name]', () => {
  const previous = process.env.DATA_DIR;
  beforeAll(() => {
    process.env.DATA_DIR = dataDir;
    resetConfig();
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = previous;
    resetConfig();
  });
  const get = (n: string, headers: Record<string, string> = {}) =>
    GET(new Request(`http://localhost/api/images/${encodeURIComponent(n)}`, { headers }), { params: Promise.resolve({ name: n }) });

  test('answers the PNG, immutable for a year', async () => {
    const response = await get(name);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
  });

  test('answers 304 to a matching If-None-Match', async () => {
    const first = await get(name);
    const response = await get(name, { 'if-none-match': first.headers.get('etag')! });
    expect(response.status).toBe(304);
  });

  test.each([`${'0'.repeat(64)}.png`, '../package.json', '..%2Fpackage.json', 'x.png'])('answers 404 for %s', async (bad) => {
    const response = await get(bad);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});
