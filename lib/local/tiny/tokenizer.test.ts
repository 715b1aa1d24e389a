import { describe, expect, test } from 'vitest';
import { mulberry32 } from './sampler.ts';
import { TEST_PATTERN } from './testing/randomWeights.ts';
import { createTokenizer } from './tokenizer.ts';

// Merges: 256 " t", 257 "he", 258 " the" (256+257), 259 "th", 260 "e "; 261 is end of text.
const tokenizer = createTokenizer({ version: 1, type: 'byte-bpe', pattern: TEST_PATTERN, merges: [[32, 116], [104, 101], [256, 257], [116, 104], [101, 32]], eot: 261 });

function randomUtf8(random: () => number, length: number): string {
  const pools = ['abc XYZ', ' \t\n\r', '0123456789', '.,;!?()[]', 'éàüßñ', '中文字符', '😀🐳🚀👩‍👩‍👧', '\u0000\u007f\u0080\u00ff'];
  let out = '';
  for (let i = 0; i < length; i++) {
    const pool = [...pools[Math.floor(random() * pools.length)]!];
    out += pool[Math.floor(random() * pool.length)]!;
  }
  return out;
}

function concatBytes(ids: number[]): number[] {
  return ids.flatMap((id) => [...tokenizer.tokenBytes(id)]);
}

describe('tiny tokenizer', () => {
  test('random UTF-8 text, emoji included, round-trips through encode and decode', () => {
    const random = mulberry32(7);
    for (let n = 0; n < 300; n++) {
      const text = randomUtf8(random, 1 + Math.floor(random() * 40));
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
  });

  test('arbitrary byte sequences (invalid UTF-8 included) round-trip byte for byte', () => {
    const random = mulberry32(11);
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 50) }, () => (random() < 0.5 ? 0x80 + Math.floor(random() * 128) : Math.floor(random() * 128)));
      expect(concatBytes(tokenizer.encodeBytes(bytes))).toEqual([...bytes]);
    }
  });

  test('merges apply lowest index first, within a chunk', () => {
    // " the": " t"(256) then "he"(257) then " t"+"he"(258).
    expect(tokenizer.encode(' the')).toEqual([258]);
    // "the": "he" (merge 1) wins over "th" (merge 3), though "th" comes first in the text.
    expect(tokenizer.encode('the')).toEqual([116, 257]);
  });

  test('BPE never merges across pre-tokenization chunks', () => {
    // "e " would merge (101,32) but the space starts the next chunk " t...".
    expect(tokenizer.encode('he the')).toEqual([257, 258]);
  });

  test('the pattern runs on latin1 bytes: non-ASCII bytes count as punctuation, not letters', () => {
    // "é" is two bytes >= 0x80: a chunk of its own after the letters, as Python's bytes regex splits it.
    const ids = tokenizer.encode('caé');
    expect(ids).toEqual([99, 97, 0xc3, 0xa9]);
    expect(tokenizer.decode(ids)).toBe('caé');
  });

  test('the streaming decoder holds an incomplete UTF-8 sequence until it completes', () => {
    const decoder = tokenizer.createStreamDecoder();
    const whale = [...new TextEncoder().encode('🐳')];
    expect(decoder.push(whale[0]!)).toBe('');
    expect(decoder.push(whale[1]!)).toBe('');
    expect(decoder.push(whale[2]!)).toBe('');
    expect(decoder.push(whale[3]!)).toBe('🐳');
    expect(decoder.push(104)).toBe('h');
  });

  test('the streaming decoder flushes a sequence left incomplete as a replacement character', () => {
    const decoder = tokenizer.createStreamDecoder();
    expect(decoder.push(0xf0)).toBe('');
    expect(decoder.flush()).toBe('\ufffd');
  });

  test('the end-of-text token decodes to its marker', () => {
    expect(tokenizer.decode([104, 261])).toBe('h<|endoftext|>');
  });
});
