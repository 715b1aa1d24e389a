import { expect, test } from 'vitest';
import { createSemaphore } from './semaphore';

test('no more than capacity holders at once; the next waiter gets a released slot', async () => {
  const slots = createSemaphore(2);
  const a = await slots.acquire();
  await slots.acquire();
  let third = false;
  const waiting = slots.acquire().then((release) => {
    third = true;
    return release;
  });
  await Promise.resolve();
  expect([slots.active, slots.waiting, third]).toEqual([2, 1, false]);
  a();
  (await waiting)();
  expect(third).toBe(true);
  expect(slots.active).toBe(1);
});

test('releasing twice frees one slot only', async () => {
  const slots = createSemaphore(1);
  const release = await slots.acquire();
  release();
  release();
  expect(slots.active).toBe(0);
});

test('an aborted waiter leaves the queue and rejects', async () => {
  const slots = createSemaphore(1);
  await slots.acquire();
  const controller = new AbortController();
  const waiting = slots.acquire(controller.signal);
  controller.abort(new Error('stop'));
  await expect(waiting).rejects.toThrow('stop');
  expect(slots.waiting).toBe(0);
});
