/** Tests of the kind registry: the request schema it builds and how its parts divide the envelope types. */
import { expect, test } from 'vitest';
import { ENVELOPE_TYPES } from '../protocol/envelope';
import { KIND_PARTS, KINDS, partKindOf, runRequestSchema } from './index';

test('the request schema takes each kind with that kind’s input and fills in its defaults', () => {
  const parsed = runRequestSchema.parse({ kind: 'grover', input: { taskId: 'sc-flip-h', model: 'local:arc' } });
  expect(parsed).toEqual({ kind: 'grover', input: { taskId: 'sc-flip-h', model: 'local:arc', iterations: 3, programsPerIteration: 4 } });
});

test('the request schema refuses a kind that is not declared', () => {
  expect(runRequestSchema.safeParse({ kind: 'steer', input: {} }).success).toBe(false);
});

test('the request schema refuses one kind’s input under another kind', () => {
  expect(runRequestSchema.safeParse({ kind: 'chat', input: { taskId: 'sc-flip-h', model: 'local:arc' } }).success).toBe(false);
});

test('every kind declared is a kind of the request schema', () => {
  for (const kind of Object.keys(KINDS)) {
    const result = runRequestSchema.safeParse({ kind, input: {} });
    const issues = result.success ? [] : result.error.issues;
    expect(issues.every((issue) => issue.path[0] !== 'kind')).toBe(true);
  }
});

test('a pace above the shared limit is refused for every kind that has one', () => {
  for (const kind of ['grover', 'saturn', 'analysis'] as const) {
    const result = runRequestSchema.safeParse({ kind, input: { taskId: 'sc-flip-h', model: 'local:arc', tokensPerSecond: 10_001 } });
    expect(result.success).toBe(false);
  }
});

test('each envelope type of a kind’s family is folded by that kind’s part, and by no other', () => {
  for (const type of ENVELOPE_TYPES) {
    const owners = KIND_PARTS.filter(([, part]) => type.startsWith(part.prefix) && !part.accepts).map(([kind]) => kind);
    expect(owners.length).toBeLessThanOrEqual(1);
    if (owners[0]) expect(partKindOf({ type, data: {} })).toBe(owners[0]);
  }
  expect(partKindOf({ type: 'grover.program', data: {} })).toBe('grover');
});

test('a chat’s gen.* envelopes belong to no part; a steering channel’s belong to steer', () => {
  expect(partKindOf({ type: 'gen.token', data: { token: 'a' } })).toBeUndefined();
  expect(partKindOf({ type: 'gen.token', data: { token: 'a', channel: 'main' } })).toBeUndefined();
  expect(partKindOf({ type: 'gen.token', data: { token: 'a', channel: 'steered' } })).toBe('steer');
  expect(partKindOf({ type: 'gen.done', data: { finishReason: 'max_tokens', channel: 'default' } })).toBe('steer');
  // The run's own terminal (no channel) is the core reducer's.
  expect(partKindOf({ type: 'gen.done', data: { finishReason: 'complete' } })).toBeUndefined();
});
