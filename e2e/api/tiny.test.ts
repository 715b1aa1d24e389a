// HTTP integration: local:tiny on a production server of its own with no provider configured
// (random weights of the contract's layout): it is the default text model and a chat run
// streams its tokens, generated in the server's worker threads.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeRandomTiny } from '../../lib/local/tiny/testing/randomWeights.ts';
import { startAppServer, type AppServer } from '../harness/appServer';
import { readSse, startRunId, tokensOf } from '../harness/sse';

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({ env: { TINY_WEIGHTS_DIR: writeRandomTiny(), ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) } });
});
afterAll(() => server.stop());

describe('local:tiny on the server', () => {
  test('with no provider configured, local:tiny is the default text model and local:arc the ARC default', async () => {
    const body = await (await fetch(`${server.url}/api/models`)).json();
    expect(body.defaultModel).toBe('local:tiny');
    expect(body.defaultArcModel).toBe('local:arc');
  });

  test('a chat run with local:tiny streams generated tokens and completes', async () => {
    const runId = await startRunId(server.url, { model: 'local:tiny', prompt: 'Tell me a story.' });
    const read = await readSse(`${server.url}/api/runs/${runId}/events`);
    expect(tokensOf(read.envelopes).length).toBeGreaterThan(0);
    expect(read.envelopes.at(-1)?.type).toBe('gen.done');
  });
});
