import { afterEach, describe, expect, test, vi } from 'vitest';
import { createOrphanSweep, type OrphanSweepOptions } from './orphanSweep';

/** A database and Redis in miniature: which runs are `running`, which leases are held, what got marked. */
function world() {
  const state = { running: new Set<string>(), leased: new Set<string>(), marked: [] as string[][], clock: 0 };
  const options: OrphanSweepOptions = {
    intervalMs: 1_000,
    leaseMs: 3_000,
    now: () => state.clock,
    runningRunIds: async () => [...state.running],
    attendedRunIds: async (ids) => new Set(ids.filter((id) => state.leased.has(id))),
    markRunsInterrupted: async (ids) => {
      state.marked.push(ids);
      for (const id of ids) state.running.delete(id);
      return ids.length;
    },
  };
  return { state, options };
}

describe('orphan sweep', () => {
  afterEach(() => vi.useRealTimers());

  test('marks a run interrupted once its lease has been missing for a whole lease period, not at the first look', async () => {
    const { state, options } = world();
    state.running.add('dead');
    const sweep = createOrphanSweep(options);

    expect(await sweep.sweep()).toBe(0);
    state.clock = 2_999;
    expect(await sweep.sweep()).toBe(0);
    state.clock = 3_000;
    expect(await sweep.sweep()).toBe(1);
    expect(state.marked).toEqual([['dead']]);
  });

  test('never marks a run someone attends (its producer holds the lease, or a reader watches it)', async () => {
    const { state, options } = world();
    state.running.add('alive');
    state.leased.add('alive');
    const sweep = createOrphanSweep(options);
    for (state.clock = 0; state.clock <= 10_000; state.clock += 1_000) await sweep.sweep();
    expect(state.marked).toEqual([]);
  });

  test('a lease that comes back between sweeps starts the count again (a producer retaking it after a Redis restart)', async () => {
    const { state, options } = world();
    state.running.add('blip');
    const sweep = createOrphanSweep(options);
    await sweep.sweep();
    state.clock = 2_000;
    state.leased.add('blip');
    await sweep.sweep();
    state.clock = 4_000;
    state.leased.delete('blip');
    await sweep.sweep();
    state.clock = 6_000;
    expect(await sweep.sweep()).toBe(0);
    state.clock = 7_000;
    expect(await sweep.sweep()).toBe(1);
  });

  test('a sweep whose lease check fails marks nothing, and is retried as if it had not happened', async () => {
    const { state, options } = world();
    state.running.add('quiet');
    let redisDown = false;
    const sweep = createOrphanSweep({
      ...options,
      attendedRunIds: async (ids) => {
        if (redisDown) throw new Error('Command timed out');
        return options.attendedRunIds(ids);
      },
    });
    state.leased.add('quiet');
    await sweep.sweep();
    redisDown = true;
    for (state.clock = 1_000; state.clock <= 10_000; state.clock += 1_000) await expect(sweep.sweep()).rejects.toThrow('Command timed out');
    expect(state.marked).toEqual([]);
  });

  test('asks nothing of Redis when no run is running', async () => {
    const { options } = world();
    const attendedRunIds = vi.fn(options.attendedRunIds);
    expect(await createOrphanSweep({ ...options, attendedRunIds }).sweep()).toBe(0);
    expect(attendedRunIds).not.toHaveBeenCalled();
  });

  test('sweeps every interval once started, and a failed sweep is reported without stopping the next', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { state, options } = world();
    state.running.add('dead');
    let calls = 0;
    const errors: unknown[] = [];
    const sweep = createOrphanSweep({
      ...options,
      runningRunIds: async () => {
        calls += 1;
        if (calls === 2) throw new Error('database unreachable');
        return [...state.running];
      },
      onError: (error) => errors.push(error),
    });
    sweep.start();
    for (let tick = 1; tick <= 4; tick++) {
      state.clock = tick * 1_000;
      await vi.advanceTimersByTimeAsync(1_000);
    }
    sweep.stop();
    await vi.advanceTimersByTimeAsync(5_000);

    expect(calls).toBe(4);
    expect(errors).toEqual([new Error('database unreachable')]);
    expect(state.marked).toEqual([['dead']]);
  });
});
