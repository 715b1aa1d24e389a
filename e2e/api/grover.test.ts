// HTTP integration: Grover runs through the production server, on the embedded engine and on a
// hosted provider (the fake server replaying an answer that holds Python code blocks).
import { describe, expect, inject, test } from 'vitest';
import { appFetch } from '../harness/session';
import type { EventEnvelope } from '../../lib/protocol/envelope';
import { readSse } from '../harness/sse';

const app = inject('appUrl');

async function grover(input: Record<string, unknown>): Promise<EventEnvelope[]> {
  const read = await readSse(`${app}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'grover', input: { tokensPerSecond: 0, ...input } }),
  });
  expect(read.status).toBe(200);
  return read.envelopes;
}

function ofType<T extends EventEnvelope['type']>(envelopes: EventEnvelope[], type: T) {
  return envelopes.filter((e): e is Extract<EventEnvelope, { type: T }> => e.type === type);
}

describe('Grover on the embedded engine (local:arc)', () => {
  test('solves a shipped task and predicts the test output correctly', async () => {
    const envelopes = await grover({ taskId: 'sc-flip-h', model: 'local:arc' });
    const done = envelopes.at(-1)!;
    expect(done.type).toBe('grover.done');
    expect(done.type === 'grover.done' && done.data).toMatchObject({ solved: true });
    expect(done.type === 'grover.done' && done.data.correct.every((c) => c === true)).toBe(true);
  });

  test('sends each program before the model has finished writing', async () => {
    const envelopes = await grover({ taskId: 'sc-gravity-down', model: 'local:arc' });
    const firstProgram = envelopes.findIndex((e) => e.type === 'grover.program');
    const lastToken = envelopes.findLastIndex((e) => e.type === 'grover.token');
    expect(firstProgram).toBeGreaterThan(0);
    expect(firstProgram).toBeLessThan(lastToken);
  });

  test('grades every program on every training pair with a score from 0 to 10', async () => {
    const envelopes = await grover({ taskId: 'sc-transpose', model: 'local:arc' });
    const programs = ofType(envelopes, 'grover.program');
    const results = ofType(envelopes, 'grover.result');
    expect(results.map((r) => r.data.programId).sort()).toEqual(programs.map((p) => p.data.programId).sort());
    for (const result of results) {
      expect(result.data.score).toBeGreaterThanOrEqual(0);
      expect(result.data.score).toBeLessThanOrEqual(10);
      expect(result.data.pairs.length).toBeGreaterThan(0);
    }
    const iteration = ofType(envelopes, 'grover.iteration')[0]!;
    expect(iteration.data.scores).toHaveLength(programs.length);
  });

  test('an unknown task is a 404 before any stream opens', async () => {
    const response = await appFetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ kind: 'grover', input: { taskId: 'no-such-task', model: 'local:arc' } }),
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found:task');
  });

  test('a malformed task id is a 400 field error', async () => {
    const response = await appFetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ kind: 'grover', input: { taskId: '../../etc/passwd', model: 'local:arc' } }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fieldErrors[0].path).toBe('input.taskId');
  });
});

describe('Grover on a hosted provider', () => {
  for (const model of ['openai:grover-programs', 'openrouter:grover-programs', 'compatible:grover-programs']) {
    test(`${model}: programs from the streamed text are run, graded and the best one wins`, async () => {
      const envelopes = await grover({ taskId: 'sc-flip-h', model, iterations: 2 });
      const programs = ofType(envelopes, 'grover.program');
      expect(programs.map((p) => p.data.code)).toEqual([
        'def transform(grid):\n    return [row[:] for row in grid]',
        'def transform(grid):\n    return [list(reversed(row)) for row in grid]',
      ]);
      const scores = Object.fromEntries(ofType(envelopes, 'grover.result').map((r) => [r.data.programId, r.data.score]));
      expect(scores['1.2']).toBe(10);
      expect(scores['1.1']).toBeLessThan(10);
      const done = envelopes.at(-1)!;
      expect(done.type === 'grover.done' && done.data).toMatchObject({ solved: true, iterations: 1, best: { programId: '1.2' } });
    });
  }
});
