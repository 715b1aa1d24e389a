/**
 * The tiny model's byte-level BPE (the contract in docs: tokenizer.json). Ids 0..255 are bytes;
 * merge i makes id 256+i from a pair. Text is split into chunks by the stored pattern applied to
 * the UTF-8 bytes read as latin1 (one char per byte, no `u` flag, so it matches Python's bytes
 * regex exactly); BPE never merges across chunks.
 */

export interface TokenizerJson {
  version: number;
  type: 'byte-bpe';
  pattern: string;
  merges: [number, number][];
  eot: number;
}

export interface Tokenizer {
  eot: number;
  vocabSize: number;
  encode(text: string): number[];
  encodeBytes(bytes: Uint8Array): number[];
  /** The bytes of one token. */
  tokenBytes(id: number): Uint8Array;
  /** Decodes ids to text (invalid UTF-8 becomes U+FFFD). */
  decode(ids: number[]): string;
  /** A decoder fed one token at a time that holds incomplete UTF-8 sequences until they complete. */
  createStreamDecoder(): StreamDecoder;
}

export interface StreamDecoder {
  /** The text completed by this token ('' while a UTF-8 sequence is still incomplete). */
  push(id: number): string;
  /** What is still held back, decoded with replacement characters. */
  flush(): string;
}

function bytesToLatin1(bytes: Uint8Array): string {
  // TextDecoder('latin1') is windows-1252 per the WHATWG spec, which remaps 0x80..0x9f; build the string by code unit instead.
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

export function createTokenizer(json: TokenizerJson): Tokenizer {
  if (json.type !== 'byte-bpe') throw new Error(`tokenizer: unsupported type ${json.type}`);
  const pattern = new RegExp(json.pattern, 'g');
  const mergeRank = new Map<number, number>(); // key a*65536+b -> merge index
  const pieces: Uint8Array[] = [];
  for (let b = 0; b < 256; b++) pieces.push(Uint8Array.of(b));
  json.merges.forEach(([a, b], i) => {
    mergeRank.set(a * 65536 + b, i);
    const left = pieces[a]!;
    const right = pieces[b]!;
    const joined = new Uint8Array(left.length + right.length);
    joined.set(left);
    joined.set(right, left.length);
    pieces.push(joined);
  });
  const vocabSize = Math.max(pieces.length, json.eot + 1);
  const eotBytes = new TextEncoder().encode('<|endoftext|>');
  const cache = new Map<string, number[]>();

  function encodeChunk(chunk: string): number[] {
    const cached = cache.get(chunk);
    if (cached) return cached;
    let ids: number[] = [];
    for (let i = 0; i < chunk.length; i++) ids.push(chunk.charCodeAt(i));
    while (ids.length > 1) {
      let best = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = mergeRank.get(ids[i]! * 65536 + ids[i + 1]!);
        if (rank !== undefined && (best === -1 || rank < best)) best = rank;
      }
      if (best === -1) break;
      const [a, b] = json.merges[best]!;
      const merged: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          merged.push(256 + best);
          i++;
        } else merged.push(ids[i]!);
      }
      ids = merged;
    }
    if (cache.size < 50_000) cache.set(chunk, ids);
    return ids;
  }

  function encodeBytes(bytes: Uint8Array): number[] {
    const text = bytesToLatin1(bytes);
    const out: number[] = [];
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      if (match[0].length === 0) continue;
      for (const id of encodeChunk(match[0])) out.push(id);
    }
    return out;
  }

  function tokenBytes(id: number): Uint8Array {
    if (id === json.eot) return eotBytes;
    const piece = pieces[id];
    if (!piece) throw new Error(`tokenizer: unknown token id ${id}`);
    return piece;
  }

  function concat(ids: number[]): Uint8Array {
    const parts = ids.map(tokenBytes);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  return {
    eot: json.eot,
    vocabSize,
    encode: (text) => encodeBytes(new TextEncoder().encode(text)),
    encodeBytes,
    tokenBytes,
    decode: (ids) => new TextDecoder().decode(concat(ids)),
    createStreamDecoder() {
      const decoder = new TextDecoder('utf-8');
      return {
        push: (id) => decoder.decode(tokenBytes(id), { stream: true }),
        flush: () => decoder.decode(),
      };
    },
  };
}
