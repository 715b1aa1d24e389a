import { describe, expect, test } from 'vitest';
import { createEventQueue } from './eventQueue';

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('event queue', () => {
  test('yields items in push order and ends on close', async () => {
    const queue = createEventQueue<number>();
    const reading = drain(queue);
    queue.push(1);
    await Promise.resolve();
    queue.push(2);
    queue.close();
    expect(await reading).toEqual([1, 2]);
  });

  test('a reader waiting on an empty queue wakes for the next push', async () => {
    const queue = createEventQueue<string>();
    const reading = drain(queue);
    await new Promise((resolve) => setTimeout(resolve, 5));
    queue.push('late');
    queue.close();
    expect(await reading).toEqual(['late']);
  });

  test('fail throws after the items queued before it', async () => {
    const queue = createEventQueue<number>();
    queue.push(1);
    queue.fail(new Error('boom'));
    const seen: number[] = [];
    await expect(async () => {
      for await (const item of queue) seen.push(item);
    }).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
  });

  test('pushes after close are dropped', async () => {
    const queue = createEventQueue<number>();
    queue.close();
    queue.push(1);
    expect(await drain(queue)).toEqual([]);
  });
});
