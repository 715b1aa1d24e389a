// HTTP integration: steer runs through the production server, on a neuronpedia: model served by the
// fake Neuronpedia (e2e/fake-providers/neuronpedia.ts). The local:tiny path is covered by the
// producer's unit tests and the /steer browser spec.
import { describe, expect, inject, test } from 'vitest';
import type { EventEnvelope } from '../../lib/protocol/envelope';
import { appFetch } from '../harness/session';
import { readSse } from '../harness/sse';

const app = inject('appUrl');

const input = {
  prompt: 'The ship',
  model: 'neuronpedia:gpt2-small',
  source: '6-res-jb',
  maxTokens: 3,
  temperature: 0,
  seed: 16,
  method: 'SIMPLE_ADDITIVE',
  features: [{ index: 42, strength: 10 }],
};

async function steer(body: Record<string, unknown>) {
  return readSse(`${app}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'steer', input: body }) });
}

describe('steer runs on a neuronpedia: model', () => {
  test('stream the steered and default texts on their channels and end with one terminal', async () => {
    const read = await steer(input);
    expect(read.status).toBe(200);
    const envelopes: EventEnvelope[] = read.envelopes;
    const text = (channel: string) => envelopes.flatMap((e) => (e.type === 'gen.token' && e.data.channel === channel ? [e.data.token] : [])).join('');
    expect(text('default')).toBe(' the sea was');
    expect(text('steered')).toBe(' steered-the steered-sea steered-was');
    const last = envelopes.at(-1)!;
    expect(last.type === 'gen.done' && last.data.channel).toBeUndefined();
    expect(envelopes.filter((e) => e.type === 'gen.done')).toHaveLength(3);
  });

  test('the saved run holds both channels', async () => {
    const read = await steer(input);
    const runId = read.headers.get('x-run-id')!;
    const snapshot = (await (await appFetch(`${app}/api/runs/${runId}`)).json()) as { result: { steer: Record<string, { text: string; finishReason: string }> } };
    expect(snapshot.result.steer.steered).toMatchObject({ text: ' steered-the steered-sea steered-was', finishReason: 'max_tokens' });
    expect(snapshot.result.steer.default).toMatchObject({ text: ' the sea was', finishReason: 'max_tokens' });
  });

  test('a model other than local:tiny or neuronpedia: is a 400 on input.model', async () => {
    const read = await steer({ ...input, model: 'openai:gpt-4.1-mini' });
    expect(read.status).toBe(400);
    expect(read.text).toContain('input.model');
  });

  test('a neuronpedia: model without its SAE id is a 400 before any stream', async () => {
    const { source: _source, ...withoutSource } = input;
    const read = await steer(withoutSource);
    expect(read.status).toBe(400);
  });
});
