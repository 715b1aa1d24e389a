/**
 * How far this process's high-resolution wall clock (`performance.timeOrigin +
 * performance.now()`, what the `bench` producer stamps tokens with) is from the machine's
 * monotonic clock (`process.hrtime`, CLOCK_MONOTONIC, the same in every process).
 *
 * Why it matters: Node reads the wall clock and the monotonic clock for `timeOrigin` at two
 * different moments of start-up, so each process's high-resolution wall clock is off by a
 * constant of its own: 3.3 ms between two processes on this machine, more on a busy one. A
 * latency taken as one process's reading minus another's carries the difference of their
 * offsets; subtracting it leaves the true interval. (`bench/lib/memoryProbe.ts` computes the
 * same figure inside each server.)
 */

/** This process's offset, ms: the median of a few back-to-back readings. */
export function clockOffsetMs(): number {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) readings.push(performance.timeOrigin + performance.now() - Number(process.hrtime.bigint()) / 1e6);
  return readings.sort((a, b) => a - b)[2]!;
}
