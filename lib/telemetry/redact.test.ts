import { describe, expect, test } from 'vitest';
import { MAX_ATTRIBUTE_LENGTH, REDACTED, redact, scrubSecrets } from './redact';

const PROMPT = 'Summarise my medical letter: patient Jane Roe, diagnosis ...';

describe('redact', () => {
  test('attributes that can hold user text are redacted by default', () => {
    expect(
      redact({
        prompt: PROMPT,
        'gen_ai.input.messages': [{ role: 'user', content: PROMPT }],
        'gen_ai.output.messages': 'the answer',
        'gen_ai.system_instructions': 'You are ...',
        'gen_ai.tool.call.arguments': { program: 'x' },
        'streamconsole.run.input': { prompt: PROMPT },
        text: 'hello',
      }),
    ).toEqual({
      prompt: REDACTED,
      'gen_ai.input.messages': REDACTED,
      'gen_ai.output.messages': REDACTED,
      'gen_ai.system_instructions': REDACTED,
      'gen_ai.tool.call.arguments': REDACTED,
      'streamconsole.run.input': REDACTED,
      text: REDACTED,
    });
  });

  test('with the opt-in user text is kept, objects as JSON', () => {
    expect(redact({ prompt: PROMPT, 'streamconsole.run.input': { prompt: PROMPT } }, { recordPrompts: true })).toEqual({
      prompt: PROMPT,
      'streamconsole.run.input': JSON.stringify({ prompt: PROMPT }),
    });
  });

  test('secrets are redacted even with the opt-in', () => {
    const attributes = { api_key: 'abc', 'http.request.header.authorization': 'Basic xyz', password: 'hunter2', 'session.cookie': 'c=1' };
    expect(redact(attributes, { recordPrompts: true })).toEqual({
      api_key: REDACTED,
      'http.request.header.authorization': REDACTED,
      password: REDACTED,
      'session.cookie': REDACTED,
    });
  });

  test('credential-looking values are scrubbed from every kept string', () => {
    const message = 'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. Header was Bearer eyJhbGciOi.payload.sig';
    expect(redact({ 'error.message': message })['error.message']).toBe(`Incorrect API key provided: ${REDACTED}. Header was ${REDACTED}`);
    expect(scrubSecrets('key xai-ABCDEFGHIJKLMNOPQRSTUV and ghp_abcdefghijklmnopqrstuvwxyz0123')).toBe(`key ${REDACTED} and ${REDACTED}`);
  });

  test('numbers, booleans and safe strings pass unchanged; null and undefined are dropped', () => {
    expect(
      redact({
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 34,
        'streamconsole.run.kind': 'chat',
        'error.type': 'provider:timeout',
        cached: false,
        missing: undefined,
        none: null,
      }),
    ).toEqual({
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 34,
      'streamconsole.run.kind': 'chat',
      'error.type': 'provider:timeout',
      cached: false,
    });
  });

  test('long strings are cut', () => {
    const long = 'x'.repeat(MAX_ATTRIBUTE_LENGTH + 100);
    const value = redact({ note: long }).note as string;
    expect(value.startsWith('x'.repeat(MAX_ATTRIBUTE_LENGTH))).toBe(true);
    expect(value.endsWith('[truncated]')).toBe(true);
    expect(value.length).toBeLessThan(long.length);
  });
});
