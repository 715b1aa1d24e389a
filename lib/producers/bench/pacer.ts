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
  resolve(): void;
  reject(reason: unknown): void;
  settled: boolean;
}

export interface Pacer {
  /** Resolves at `due` (a `performance.now()` time); rejects with the signal's reason if it aborts first. */
  until(due: number, signal: AbortSignal): Promise<void>;
  /** Milliseconds with waiters, for tests. */
  readonly pending: number;
}

export function createPacer(now: () => number = () => performance.now()): Pacer {
  const waitersByMs = new Map<number, Waiter[]>();
  /** A binary min-heap of the keys of `waitersByMs`. */
  const heap: number[] = [];
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
    const next = heap[0];
    if (next === undefined || next >= timerAt) return;
    clearTimeout(timer);
    timerAt = next;
    timer = setTimeout(fire, Math.max(0, next - now()));
  }

  function fire(): void {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    // A timer may fire a fraction of a millisecond before the fractional clock reaches its key.
    const reached = now() + 1;
    while (heap.length > 0 && heap[0]! <= reached) {
      const ms = heap[0]!;
      pop();
      const waiters = waitersByMs.get(ms)!;
      waitersByMs.delete(ms);
      for (const waiter of waiters) {
        if (waiter.settled) continue;
        waiter.settled = true;
        waiter.resolve();
      }
    }
    arm();
  }

  return {
    until(due, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      const ms = Math.ceil(due);
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, settled: false };
        let waiters = waitersByMs.get(ms);
        if (!waiters) {
          waiters = [];
          waitersByMs.set(ms, waiters);
          push(ms);
        }
        waiters.push(waiter);
        arm();
        if (!signalWatched.has(signal)) watch(signal);
        current.set(signal, waiter);
      });
    },
    get pending() {
      return waitersByMs.size;
    },
  };
}

/**
 * Each signal gets one abort listener for its run's whole life (a WeakMap from signal to the
 * wait in progress), not one per wait: a run waits 20 times a second.
 */
const current = new WeakMap<AbortSignal, Waiter>();
const signalWatched = new WeakSet<AbortSignal>();

function watch(signal: AbortSignal): void {
  signalWatched.add(signal);
  signal.addEventListener(
    'abort',
    () => {
      const waiter = current.get(signal);
      if (!waiter || waiter.settled) return;
      waiter.settled = true;
      waiter.reject(signal.reason);
    },
    { once: true },
  );
}

/** The process's pacer, shared by every `bench` run. */
export const benchPacer = createPacer();
