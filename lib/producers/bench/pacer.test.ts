import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacer } from './pacer';

describe('bench pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Records when each label's wait ended, on the fake clock. */
  function recorder() {
    const ended: Array<[string, number]> = [];
    return {
      ended,
      track(label: string, wait: Promise<void>) {
        return wait.then(
          () => ended.push([label, performance.now()]),
          (error: unknown) => ended.push([`${label} rejected: ${(error as Error).message}`, performance.now()]),
        );
      },
    };
  }

  it('ends each wait at its due millisecond, earliest first, whatever the order they were asked in', async () => {
    const pacer = createPacer();
    const { ended, track } = recorder();
    const signal = new AbortController().signal;
    void track('late', pacer.until(120, new AbortController().signal));
    void track('early', pacer.until(30, signal));
    void track('middle', pacer.until(75.2, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(200);
    expect(ended).toEqual([
      ['early', 30],
      ['middle', 76],
      ['late', 120],
    ]);
  });

  it('holds one timer however many runs wait', () => {
    const pacer = createPacer();
    for (let run = 0; run < 500; run++) void pacer.until(10 + (run % 50), new AbortController().signal);
    expect(vi.getTimerCount()).toBe(1);
    expect(pacer.pending).toBe(50);
  });

  it('wakes every run due in the same millisecond together', async () => {
    const pacer = createPacer();
    const { ended, track } = recorder();
    for (const label of ['a', 'b', 'c']) void track(label, pacer.until(40.3, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(41);
    expect(ended).toEqual([
      ['a', 41],
      ['b', 41],
      ['c', 41],
    ]);
    expect(pacer.pending).toBe(0);
  });

  it('rejects a wait with the reason its signal aborts with, and leaves other runs waiting', async () => {
    const pacer = createPacer();
    const { ended, track } = recorder();
    const cancelled = new AbortController();
    void track('cancelled', pacer.until(100, cancelled.signal));
    void track('kept', pacer.until(100, new AbortController().signal));
    await vi.advanceTimersByTimeAsync(20);
    cancelled.abort(new Error('stopped by the user'));
    await vi.advanceTimersByTimeAsync(100);
    expect(ended).toEqual([
      ['cancelled rejected: stopped by the user', 20],
      ['kept', 100],
    ]);
  });

  it('forgets an aborted wait at once, so a slow run that was cancelled holds no timer', async () => {
    const pacer = createPacer();
    const controller = new AbortController();
    const wait = pacer.until(60 * 60_000, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(wait).rejects.toThrow('cancelled');
    expect(pacer.pending).toBe(0);
    void pacer.until(10, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts every wait in progress on a signal, not only the latest', async () => {
    const pacer = createPacer();
    const controller = new AbortController();
    const first = pacer.until(100, controller.signal);
    const second = pacer.until(200, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(first).rejects.toThrow('stopped');
    await expect(second).rejects.toThrow('stopped');
    expect(pacer.pending).toBe(0);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const pacer = createPacer();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(pacer.until(50, controller.signal)).rejects.toThrow('gone');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps serving a run through many waits with a single abort listener', async () => {
    const pacer = createPacer();
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    for (let token = 1; token <= 5; token++) {
      const wait = pacer.until(token * 50, controller.signal);
      await vi.advanceTimersByTimeAsync(50);
      await wait;
    }
    expect(added).toHaveBeenCalledTimes(1);
    const last = pacer.until(400, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(last).rejects.toThrow('cancelled');
  });
});
