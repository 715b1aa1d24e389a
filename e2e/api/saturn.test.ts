// HTTP integration: Saturn runs through the production server, its Python worker drawing the
// phases' images, on the embedded engine and on a hosted provider that receives the images.
import { describe, expect, inject, test } from 'vitest';
import { appFetch } from '../harness/session';
import type { EventEnvelope } from '../../lib/protocol/envelope';
import { readSse } from '../harness/sse';

const app = inject('appUrl');
const fake = inject('fakeUrl');

async function saturn(input: Record<string, unknown>): Promise<EventEnvelope[]> {
  const read = await readSse(`${app}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'saturn', input: { tokensPerSecond: 0, ...input } }),
  });
  expect(read.status).toBe(200);
  return read.envelopes;
}

describe('Saturn on the embedded engine (local:arc)', () => {
  test('goes through every phase and solves a shipped task', async () => {
    const envelopes = await saturn({ taskId: 'sc-gravity-down', model: 'local:arc' });
    const phases = [...new Set(envelopes.flatMap((e) => (e.type === 'saturn.step' ? [e.data.phase] : [])))];
    expect(phases[0]).toBe('pair-1');
    expect(phases.at(-1)).toMatch(/^test-/);
    const done = envelopes.at(-1)!;
    expect(done.type === 'saturn.done' && done.data).toMatchObject({ solved: true, correct: [true] });
  });

  test('every image the worker drew is served as a PNG by content hash', async () => {
    const envelopes = await saturn({ taskId: 'sc-flip-h', model: 'local:arc' });
    const urls = envelopes.flatMap((e) => (e.type === 'saturn.image' ? [e.data.url] : []));
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const url of urls) {
      expect(url).toMatch(/^\/api\/images\/[0-9a-f]{64}\.png$/);
      const response = await appFetch(`${app}${url}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect([...bytes.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    }
  });

  test('an image name that is not a content hash is 404, traversal included', async () => {
    for (const name of ['..%2F..%2Fpackage.json', 'abc.png', `${'0'.repeat(64)}.png`]) {
      expect((await appFetch(`${app}/api/images/${name}`)).status).toBe(404);
    }
  });

  test('the model text streams as saturn.token between the steps', async () => {
    const envelopes = await saturn({ taskId: 'sc-transpose', model: 'local:arc' });
    const firstToken = envelopes.findIndex((e) => e.type === 'saturn.token');
    const lastStep = envelopes.findLastIndex((e) => e.type === 'saturn.step');
    expect(firstToken).toBeGreaterThan(0);
    expect(firstToken).toBeLessThan(lastStep);
  });
});

describe('Saturn on a hosted provider', () => {
  test('the model receives the phase images and its JSON grid becomes the prediction', async () => {
    await fetch(`${fake}/__control/reset`, { method: 'POST' });
    const envelopes = await saturn({ taskId: 'sc-flip-h', model: 'openai:grid-answer' });
    const done = envelopes.at(-1)!;
    expect(done.type === 'saturn.done' && done.data).toMatchObject({ solved: true, correct: [true] });
    const requests = (await (await fetch(`${fake}/__control/requests`)).json()) as { model: string; body: unknown }[];
    const first = requests.find((r) => r.model === 'grid-answer');
    expect(JSON.stringify(first?.body)).toContain('data:image/png;base64,');
  });
});
