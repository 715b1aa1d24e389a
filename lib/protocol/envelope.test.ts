import { describe, expect, test } from 'vitest';
import { envelopeSchema, isTerminal, parseEnvelope } from './envelope';
import { envelopeJsonSchema } from './jsonSchema';

const token = { v: '1', id: 'a', type: 'gen.token', seq: 1, ts: 5, corrId: 'run', data: { token: 'x', index: 0 } };

describe('envelope schema', () => {
  test('accepts a well-formed envelope', () => {
    expect(parseEnvelope(token)).toEqual({ ok: true, envelope: token });
  });

  test('ignores unknown fields in the envelope and its payload', () => {
    const parsed = parseEnvelope({ ...token, extra: 1, data: { ...token.data, future: true } });
    expect(parsed.ok).toBe(true);
  });

  test('reports an unknown type as skippable, not invalid', () => {
    expect(parseEnvelope({ ...token, type: 'gen.sparkle', data: {} })).toEqual({ ok: false, kind: 'unknown_type', type: 'gen.sparkle', seq: 1 });
  });

  test('rejects a payload of the wrong shape for its type', () => {
    const parsed = parseEnvelope({ ...token, data: { token: 3 } });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.kind).toBe('invalid');
  });

  test('rejects another version', () => {
    expect(parseEnvelope({ ...token, v: '2' }).ok).toBe(false);
  });

  test('rejects a seq that is not a positive integer', () => {
    expect(parseEnvelope({ ...token, seq: 0 }).ok).toBe(false);
    expect(parseEnvelope({ ...token, seq: 1.5 }).ok).toBe(false);
  });

  test('error and a channel-less done are terminal; a token or a channel done is not', () => {
    expect(isTerminal({ type: 'error', data: {} })).toBe(true);
    expect(isTerminal({ type: 'gen.done', data: { finishReason: 'stop' } })).toBe(true);
    expect(isTerminal({ type: 'gen.done', data: { finishReason: 'stop', channel: 'steered' } })).toBe(false);
    expect(isTerminal({ type: 'gen.token', data: {} })).toBe(false);
  });
});

describe('JSON Schema export', () => {
  test('describes every envelope type as a member of one union', () => {
    const schema = envelopeJsonSchema() as { oneOf?: { properties: { type: { const: string } } }[]; anyOf?: { properties: { type: { const: string } } }[] };
    const members = schema.oneOf ?? schema.anyOf ?? [];
    const types = members.map((m) => m.properties.type.const).sort();
    expect(types).toEqual(envelopeSchema.options.map((o) => o.shape.type.value).sort());
  });
});

describe('committed JSON Schema', () => {
  test('matches the zod schemas (run `npm run protocol:schema` after changing them)', async () => {
    const { readFileSync } = await import('node:fs');
    const committed = JSON.parse(readFileSync(new URL('./envelope.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(envelopeJsonSchema());
  });
});
