import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { periodicTask } from './periodicTask';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('periodic task', () => {
  test('runs once per interval once started, and not after stop', async () => {
    let runs = 0;
    const task = periodicTask(async () => void runs++, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(250);
    expect(runs).toBe(0);
    task.start();
    await vi.advanceTimersByTimeAsync(350);
    expect(runs).toBe(3);
    task.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(3);
  });

  test('a run still going makes the next ticks skip: never two at once', async () => {
    let started = 0;
    let finish: () => void = () => undefined;
    const task = periodicTask(() => {
      started++;
      return new Promise<void>((resolve) => (finish = resolve));
    }, { intervalMs: 100 });
    task.start();
    await vi.advanceTimersByTimeAsync(450);
    expect(started).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toBe(2);
    task.stop();
  });

  test('a failure goes to onError and the next tick runs again', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const task = periodicTask(async () => {
      runs++;
      throw new Error('boom');
    }, { intervalMs: 100, onError: (error) => errors.push(error) });
    task.start();
    await vi.advanceTimersByTimeAsync(200);
    expect(runs).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'boom']);
    task.stop();
  });
});
