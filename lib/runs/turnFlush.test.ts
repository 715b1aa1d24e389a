import { afterEach, describe, expect, test, vi } from 'vitest';
import { cancelFlush, flushAtEndOfTurn } from './turnFlush';

const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('flush at the end of the turn', () => {
  afterEach(() => vi.restoreAllMocks());

  test('runs each flush once, after the turn that asked for it, however often it was asked', async () => {
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    flushAtEndOfTurn(a);
    flushAtEndOfTurn(b);
    flushAtEndOfTurn(a);
    expect(calls).toEqual([]);
    await endOfTurn();
    expect(calls).toEqual(['a', 'b']);
  });

  test('schedules one immediate for every stream that asks in the same turn', async () => {
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    const flushed = vi.fn();
    for (let stream = 0; stream < 100; stream++) flushAtEndOfTurn(() => flushed(stream));
    expect(immediate).toHaveBeenCalledTimes(1);
    immediate.mockRestore();
    await endOfTurn();
    expect(flushed).toHaveBeenCalledTimes(100);
  });

  test('a cancelled flush does not run', async () => {
    const flushed = vi.fn();
    flushAtEndOfTurn(flushed);
    cancelFlush(flushed);
    await endOfTurn();
    expect(flushed).not.toHaveBeenCalled();
  });

  test('a flush that throws leaves the others in its batch to run, and its error still surfaces', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      const calls: string[] = [];
      flushAtEndOfTurn(() => calls.push('before'));
      flushAtEndOfTurn(() => {
        throw new Error('stream gone');
      });
      flushAtEndOfTurn(() => calls.push('after'));
      await endOfTurn();
      await endOfTurn();
      expect(calls).toEqual(['before', 'after']);
      expect(uncaught).toEqual([new Error('stream gone')]);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
  });

  test('a flush that asks again while flushing runs again in the next turn, not in a loop', async () => {
    let runs = 0;
    const again = () => {
      runs += 1;
      if (runs === 1) flushAtEndOfTurn(again);
    };
    flushAtEndOfTurn(again);
    await endOfTurn();
    expect(runs).toBe(1);
    await endOfTurn();
    expect(runs).toBe(2);
  });
});
