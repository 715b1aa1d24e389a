/**
 * The `bench` producer: synthetic tokens at a fixed rate or as fast as possible, for the relay
 * benchmark. Each token's text is its high-resolution send time (epoch ms, microsecond
 * precision), so a client on the same machine can measure the latency the relay adds.
 * Refused unless BENCH_PRODUCER=1: it is a measuring instrument, not a feature.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ProducerEvent } from '../../protocol/envelope';
import type { ProducerContext } from '../../runs/hub';
import { benchPacer } from './pacer';
import type { BenchInput } from '../../kinds/bench';

/** How many events an unpaced producer yields between turns of the event loop (so streams flush). */
const BURST = 64;

export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export async function* benchProducer({ count, rate }: BenchInput, { signal }: ProducerContext): AsyncGenerator<ProducerEvent> {
  const interval = rate > 0 ? 1000 / rate : 0;
  const start = performance.now();
  for (let index = 0; index < count; index++) {
    if (interval > 0) {
      const due = start + index * interval;
      if (due - performance.now() >= 1) await benchPacer.until(due, signal);
    } else if (index % BURST === 0) {
      await yieldToEventLoop();
    }
    yield { type: 'gen.token', data: { token: preciseNow().toFixed(3), index } };
  }
  yield { type: 'gen.done', data: { finishReason: 'stop' } };
}
