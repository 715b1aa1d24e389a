/**
 * One clock for every paced `bench` run in the process. A run waits for its next token's due
 * time here instead of arming a timer of its own, so 2,000 runs at 20 tokens/s cost one timer and
 * one wake-up per distinct millisecond rather than 40,000 timers a second, each with an abort
 * listener added and removed. A real model's tokens arrive by socket reads the event loop batches
 * the same way; a timer per token made the instrument cost more than the relay it measures.
 *
 * Waiters are kept by due millisecond (rounded up), in a min-heap of those milliseconds; the one
 * timer is armed for the earliest. A wait ends at its millisecond, never before its due time
 * less one millisecond (the producer's own tolerance: a token due within 1 ms is not waited for).
 */

interface Waiter {
  /** The millisecond it waits for (its bucket). */
  ms: number;
  signal: AbortSignal;
  resolve(): void;
  reject(reason: unknown): void;
}

export interface Pacer {
  /**
   * Resolves at `due` (a `performance.now()` time), or up to 1 ms before it; rejects with the
   * signal's reason if it aborts first.
   */
  until(due: number, signal: AbortSignal): Promise<void>;
  /** Milliseconds with waiters, for tests. */
  readonly pending: number;
}

export function createPacer(now: () => number = () => performance.now()): Pacer {
  const waitersByMs = new Map<number, Set<Waiter>>();
  /** A binary min-heap of milliseconds; one whose bucket has gone (its waiters aborted) is skipped. */
  const heap: number[] = [];
  /** Each signal's waits in progress; one abort listener per signal for its run's whole life, not one per wait. */
  const waitsBySignal = new WeakMap<AbortSignal, Set<Waiter>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Number.POSITIVE_INFINITY;

  function push(ms: number): void {
    heap.push(ms);
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent]! <= ms) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = ms;
  }

  function pop(): void {
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) break;
      const child = left + 1 < heap.length && heap[left + 1]! < heap[left]! ? left + 1 : left;
      if (heap[child]! >= last) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = last;
  }

  function arm(): void {
    while (heap.length > 0 && !waitersByMs.has(heap[0]!)) pop();
    const next = heap[0];
    if (next === undefined || next >= timerAt) return;
    clearTimeout(timer);
    timerAt = next;
    timer = setTimeout(fire, Math.max(0, next - now()));
    // A wait keeps nothing alive by itself: the run that waits is what the process is there for.
    timer.unref?.();
  }

  function fire(): void {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    // A timer may fire a fraction of a millisecond before the fractional clock reaches its key.
    const reached = now() + 1;
    while (heap.length > 0 && heap[0]! <= reached) {
      const ms = heap[0]!;
      pop();
      const waiters = waitersByMs.get(ms);
      if (!waiters) continue;
      waitersByMs.delete(ms);
      for (const waiter of waiters) {
        waitsBySignal.get(waiter.signal)?.delete(waiter);
        waiter.resolve();
      }
    }
    arm();
  }

  function abortWaits(signal: AbortSignal): void {
    const waits = waitsBySignal.get(signal);
    if (!waits) return;
    for (const waiter of waits) {
      const bucket = waitersByMs.get(waiter.ms);
      bucket?.delete(waiter);
      if (bucket?.size === 0) waitersByMs.delete(waiter.ms);
      waiter.reject(signal.reason);
    }
    waits.clear();
  }

  return {
    until(due, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      const ms = Math.ceil(due);
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { ms, signal, resolve, reject };
        let bucket = waitersByMs.get(ms);
        if (!bucket) {
          bucket = new Set();
          waitersByMs.set(ms, bucket);
          push(ms);
        }
        bucket.add(waiter);
        let waits = waitsBySignal.get(signal);
        if (!waits) {
          waits = new Set();
          waitsBySignal.set(signal, waits);
          signal.addEventListener('abort', () => abortWaits(signal), { once: true });
        }
        waits.add(waiter);
        arm();
      });
    },
    get pending() {
      return waitersByMs.size;
    },
  };
}

/** The process's pacer, shared by every `bench` run. */
export const benchPacer = createPacer();
