/** Helpers for run tests: scripted producers, log entries, and a reader that collects a stream's frames. */
import { createParser } from 'eventsource-parser';
import type { EventEnvelope, ProducerEvent } from '../protocol/envelope';
import { formatEnvelope } from '../protocol/sse';
import type { Producer } from './hub';
import type { LogEntry } from './runLog';

/** Envelope `seq` of run `run-1`: token `t<seq> ` (index seq - 1), or the `gen.done` terminal. */
export function testEnvelope(seq: number, type: 'gen.token' | 'gen.done' = 'gen.token'): EventEnvelope {
  const data = type === 'gen.token' ? { token: `t${seq} `, index: seq - 1 } : { finishReason: 'stop' };
  return { v: '1', id: `e${seq}`, type, seq, ts: 1, corrId: 'run-1', data } as EventEnvelope;
}

/** {@link testEnvelope} with its SSE frame, as a run log holds it. */
export function testEntry(seq: number, type?: 'gen.token' | 'gen.done'): LogEntry {
  const envelope = testEnvelope(seq, type);
  return { envelope, frame: formatEnvelope(envelope) };
}

/** A producer that yields `count` tokens, one per `delayMs` (0: back to back), then `gen.done`. */
export function tokenProducer(count: number, delayMs = 0): Producer<unknown> {
  return async function* (_input, { signal }) {
    for (let i = 0; i < count; i++) {
      if (delayMs > 0) await sleep(delayMs, signal);
      yield { type: 'gen.token', data: { token: `t${i + 1} `, index: i } } satisfies ProducerEvent;
    }
    yield { type: 'gen.done', data: { finishReason: 'stop' } };
  };
}

/** A producer that yields what it is given and then waits until `release` is called. */
export function gatedProducer(): { producer: Producer<unknown>; push(event: ProducerEvent): void; finish(): void } {
  const queue: ProducerEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  return {
    producer: async function* () {
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    push(event) {
      queue.push(event);
      wake?.();
    },
    finish() {
      finished = true;
      wake?.();
    },
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/** Reads a whole SSE byte stream: the raw text and the envelopes it carried. */
export async function readStream(stream: ReadableStream<Uint8Array>): Promise<{ text: string; envelopes: EventEnvelope[] }> {
  const decoder = new TextDecoder();
  let text = '';
  const envelopes: EventEnvelope[] = [];
  const parser = createParser({ onEvent: (event) => envelopes.push(JSON.parse(event.data)) });
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    const piece = decoder.decode(chunk, { stream: true });
    text += piece;
    parser.feed(piece);
  }
  return { text, envelopes };
}
