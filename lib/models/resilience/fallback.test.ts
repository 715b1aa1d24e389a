import type { LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { describe, expect, test } from 'vitest';
import { generateResultToStreamParts, usedNonStreamingFallback } from './fallback';

const usage: LanguageModelV4GenerateResult['usage'] = {
  inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

function result(content: LanguageModelV4GenerateResult['content']): LanguageModelV4GenerateResult {
  return {
    content,
    finishReason: { unified: 'stop', raw: 'stop' },
    usage,
    warnings: [],
    response: { id: 'resp_1', modelId: 'm', timestamp: new Date(0) },
    providerMetadata: { openai: { responseId: 'resp_1' } },
  };
}

describe('generateResultToStreamParts', () => {
  test('replays text as one start, delta and end', () => {
    const parts = generateResultToStreamParts(result([{ type: 'text', text: 'Hello' }]));
    expect(parts.filter((p) => p.type.startsWith('text-'))).toEqual([
      { type: 'text-start', id: 'fallback-0' },
      { type: 'text-delta', id: 'fallback-0', delta: 'Hello' },
      { type: 'text-end', id: 'fallback-0' },
    ]);
  });

  test('replays reasoning before the text it came before', () => {
    const parts = generateResultToStreamParts(
      result([
        { type: 'reasoning', text: 'think' },
        { type: 'text', text: 'answer' },
      ]),
    );
    expect(parts.map((p) => p.type)).toEqual([
      'stream-start',
      'response-metadata',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-end',
      'finish',
    ]);
  });

  test('replays a tool call with its input, then the call itself', () => {
    const call = { type: 'tool-call' as const, toolCallId: 'call_1', toolName: 'grade', input: '{"x":1}' };
    const parts = generateResultToStreamParts(result([call]));
    expect(parts.slice(2, 6)).toEqual([
      { type: 'tool-input-start', id: 'call_1', toolName: 'grade' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"x":1}' },
      { type: 'tool-input-end', id: 'call_1' },
      call,
    ]);
  });

  test('marks the finish part and keeps the provider metadata', () => {
    const finish = generateResultToStreamParts(result([{ type: 'text', text: 'x' }])).at(-1);
    expect(finish).toMatchObject({ type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } });
    const metadata = finish?.type === 'finish' ? finish.providerMetadata : undefined;
    expect(metadata?.openai).toEqual({ responseId: 'resp_1' });
    expect(usedNonStreamingFallback(metadata)).toBe(true);
  });

  test('no metadata is no fallback', () => {
    expect(usedNonStreamingFallback(undefined)).toBe(false);
    expect(usedNonStreamingFallback({ openai: {} })).toBe(false);
  });
});
