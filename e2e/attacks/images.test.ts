// Attack suite, disk use by images (docs/security.md, "Images go with their runs"): every
// Saturn run writes PNGs under DATA_DIR/images, and nothing removed them, so runs filled the
// disk for good. Now an image is deleted once every run that drew it is past
// IMAGE_RETENTION_MS (or deleted); images of a recent run stay. The test ages one run's files
// on disk instead of waiting a week.
import { readFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';
import { appFetch } from '../harness/session';
import { readSse } from '../harness/sse';

const fake = inject('fakeUrl');
const DAY = 24 * 60 * 60_000;

async function saturnImages(server: AppServer, taskId: string): Promise<{ runId: string; names: string[] }> {
  const read = await readSse(`${server.url}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'saturn', input: { taskId, model: 'local:arc', tokensPerSecond: 0 } }),
  });
  expect(read.status).toBe(200);
  const names = read.envelopes.flatMap((e) => (e.type === 'saturn.image' ? [e.data.url.replace('/api/images/', '')] : []));
  expect(names.length).toBeGreaterThan(0);
  return { runId: read.envelopes[0]!.corrId, names };
}

function age(file: string, byMs: number): void {
  const at = (Date.now() - byMs) / 1000;
  utimesSync(file, at, at);
}

describe('images after their retention', () => {
  let server: AppServer;
  let old: { runId: string; names: string[] };
  let fresh: { runId: string; names: string[] };

  beforeAll(async () => {
    server = await startAppServer({ env: { ...providerEnv(fake), IMAGE_RETENTION_MS: String(7 * DAY), IMAGE_SWEEP_MS: '200' } });
    old = await saturnImages(server, 'sc-flip-h');
    fresh = await saturnImages(server, 'sc-gravity-down');
  }, 120_000);
  afterAll(() => server?.stop());

  test('an image of a run older than IMAGE_RETENTION_MS is gone, and one of a recent run stays', async () => {
    const images = path.join(server.dataDir, 'images');
    const claim = path.join(images, 'runs', old.runId);
    expect(readFileSync(claim, 'utf8').trim().split('\n').sort()).toEqual([...new Set(old.names)].sort());
    // Eight days ago: the old run drew its images, and they were written.
    const onlyOld = old.names.filter((name) => !fresh.names.includes(name));
    expect(onlyOld.length).toBeGreaterThan(0);
    for (const name of old.names) age(path.join(images, name), 8 * DAY);
    age(claim, 8 * DAY);

    for (const name of onlyOld) {
      await expect.poll(async () => (await appFetch(`${server.url}/api/images/${name}`)).status, { timeout: 10_000 }).toBe(404);
    }
    for (const name of fresh.names) {
      expect((await appFetch(`${server.url}/api/images/${name}`)).status).toBe(200);
    }
  });
});
