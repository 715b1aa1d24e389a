import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, test } from 'vitest';
import type { EventEnvelope } from './envelope';
import { envelopeOfFrame, formatEnvelope, formatHeartbeat, formatSseComment, formatSseEvent, SseFieldError } from './sse';

function parseAll(wire: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  parser.feed(wire);
  return events;
}

function envelope(token: string, seq = 1): EventEnvelope {
  return { v: '1', id: 'e1', type: 'gen.token', seq, ts: 1700000000000, corrId: 'run-1', data: { token, index: 0 } };
}

describe('formatSseEvent', () => {
  test('writes id, event and data lines followed by a blank line', () => {
    expect(formatSseEvent({ id: '7', event: 'gen.token', data: 'hello' })).toBe('id: 7\nevent: gen.token\ndata: hello\n\n');
  });

  test('splits multi-line data on LF into one data line each', () => {
    expect(formatSseEvent({ data: 'a\nb\nc' })).toBe('data: a\ndata: b\ndata: c\n\n');
  });

  test('splits on CRLF and lone CR as the spec defines line breaks', () => {
    expect(formatSseEvent({ data: 'a\r\nb\rc' })).toBe('data: a\ndata: b\ndata: c\n\n');
  });

  test('keeps empty lines of data as empty data fields', () => {
    expect(formatSseEvent({ data: 'a\n\nb' })).toBe('data: a\ndata: \ndata: b\n\n');
  });

  test('a parser reads multi-line data back joined with LF', () => {
    const [event] = parseAll(formatSseEvent({ event: 'x', data: 'line one\nline two\r\nline three' }));
    expect(event?.data).toBe('line one\nline two\nline three');
  });

  test('unicode, astral characters and combining marks pass through unchanged', () => {
    const text = 'Grüße 👋🏽 — 漢字 e\u0301 \u2028 \u2029';
    const [event] = parseAll(formatSseEvent({ data: text }));
    expect(event?.data).toBe(text);
  });

  test('writes an empty id as a bare field, which resets the last event id', () => {
    expect(formatSseEvent({ id: '', data: 'x' })).toBe('id\ndata: x\n\n');
  });

  test('writes retry as a whole number of milliseconds', () => {
    expect(formatSseEvent({ retry: 1500.7, data: 'x' })).toBe('retry: 1500\ndata: x\n\n');
  });

  test('refuses an event name containing LF', () => {
    expect(() => formatSseEvent({ event: 'a\nid: 99', data: 'x' })).toThrow(SseFieldError);
  });

  test('refuses an id containing CR', () => {
    expect(() => formatSseEvent({ id: '1\rdata: evil', data: 'x' })).toThrow(SseFieldError);
  });

  test('refuses an id containing NULL, which parsers would ignore', () => {
    expect(() => formatSseEvent({ id: 'a\0b', data: 'x' })).toThrow(SseFieldError);
  });

  test('data that looks like SSE fields cannot start a new event', () => {
    const hostile = 'ok\n\nid: 999\nevent: error\ndata: {"pwned":true}\n\n';
    const events = parseAll(formatSseEvent({ id: '1', event: 'gen.token', data: hostile }));
    expect(events).toHaveLength(1);
    expect(events[0]?.id).toBe('1');
    expect(events[0]?.event).toBe('gen.token');
    expect(events[0]?.data).toBe(hostile);
  });
});

describe('comments and heartbeat', () => {
  test('a heartbeat is a ping comment with the time, ending the frame', () => {
    expect(formatHeartbeat(1234)).toBe(': ping 1234\n\n');
  });

  test('a multi-line comment stays a comment on every line', () => {
    expect(formatSseComment('a\nevent: x')).toBe(': a\n: event: x\n');
  });

  test('parsers dispatch no event for a heartbeat', () => {
    expect(parseAll(formatHeartbeat())).toHaveLength(0);
  });
});

describe('formatEnvelope', () => {
  test('frames an envelope as id seq, event type and one line of JSON', () => {
    expect(formatEnvelope(envelope('hi', 5))).toBe(
      'id: 5\nevent: gen.token\ndata: {"v":"1","id":"e1","type":"gen.token","seq":5,"ts":1700000000000,"corrId":"run-1","data":{"token":"hi","index":0}}\n\n',
    );
  });

  test('the envelope read back from its frame equals the one framed', () => {
    for (const token of ['hi', 'x\r\n\r\nid: 9\n\nevent: error\n', 'a\u2028b\u2029c', 'tök 👋 "quoted" \\ back']) {
      const framed = envelope(token, 7);
      expect(envelopeOfFrame(formatEnvelope(framed))).toStrictEqual(framed);
    }
  });

  test('an envelope whose type holds a line break is refused, not framed', () => {
    const broken = { ...envelope('hi', 5), type: 'gen.token\ndata: injected' } as unknown as Parameters<typeof formatEnvelope>[0];
    expect(() => formatEnvelope(broken)).toThrow(SseFieldError);
  });

  test('a token holding CR, LF and blank lines stays inside one data line', () => {
    const frame = formatEnvelope(envelope('x\r\n\r\nid: 9\n\nevent: error\n'));
    expect(frame.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(1);
    const [event] = parseAll(frame);
    expect(JSON.parse(event!.data).data.token).toBe('x\r\n\r\nid: 9\n\nevent: error\n');
  });

  test('a token holding U+2028 and U+2029 round-trips through a parser', () => {
    const [event] = parseAll(formatEnvelope(envelope('a\u2028b\u2029c')));
    expect(JSON.parse(event!.data).data.token).toBe('a\u2028b\u2029c');
  });

  test('frames survive being fed to a parser in random chunks', () => {
    const frames = Array.from({ length: 50 }, (_, i) => formatEnvelope(envelope(`tök ${i} 👋\n`, i + 1))).join('');
    const bytes = new TextEncoder().encode(frames);
    const decoder = new TextDecoder();
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    let seed = 42;
    for (let i = 0; i < bytes.length; ) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const size = 1 + (seed % 17);
      parser.feed(decoder.decode(bytes.subarray(i, i + size), { stream: true }));
      i += size;
    }
    expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(JSON.parse(events[49]!.data).data.token).toBe('tök 49 👋\n');
  });
});
