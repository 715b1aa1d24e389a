/**
 * TokenAnimator: batches high-frequency items (envelopes) into one flush per animation frame.
 *
 * A fast model sends hundreds of tokens a second; rendering each one would re-render React
 * hundreds of times a second. The animator queues items and hands them to `flush` as one batch on
 * the next `requestAnimationFrame`, so the store changes (and React renders) at most once a frame.
 *
 * `pause()` stops flushing: items keep accumulating and nothing is lost; `resume()` flushes what
 * accumulated at once. `flushNow()` empties the queue synchronously (e.g. at the end of a run,
 * when a background tab's animation frames are throttled). Where there is no
 * `requestAnimationFrame` (Node, a worker) a 16 ms timer stands in.
 */

export interface FrameScheduler {
  request(callback: () => void): unknown;
  cancel(handle: unknown): void;
}

export interface TokenAnimatorOptions<T> {
  /** Receives each batch, in arrival order; never called with an empty batch. */
  flush: (batch: T[]) => void;
  /** Defaults to `requestAnimationFrame`, or a 16 ms timer where there is none. */
  scheduler?: FrameScheduler;
}

export interface TokenAnimator<T> {
  push(item: T): void;
  /** Stops flushing; items accumulate until {@link resume}. */
  pause(): void;
  /** Flushes everything accumulated, then goes back to one flush per frame. */
  resume(): void;
  /** Flushes the queue now, unless paused. */
  flushNow(): void;
  /** Drops queued items and any scheduled frame. */
  clear(): void;
  readonly paused: boolean;
  /** Items waiting for the next flush. */
  readonly pending: number;
}

/** The browser's animation frames, or a timer outside a browser. */
function defaultFrameScheduler(): FrameScheduler {
  if (typeof globalThis.requestAnimationFrame === 'function') {
    return {
      request: (callback) => globalThis.requestAnimationFrame(() => callback()),
      cancel: (handle) => globalThis.cancelAnimationFrame(handle as number),
    };
  }
  return {
    request: (callback) => setTimeout(callback, 16),
    cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

export function createTokenAnimator<T>(options: TokenAnimatorOptions<T>): TokenAnimator<T> {
  const scheduler = options.scheduler ?? defaultFrameScheduler();
  let queue: T[] = [];
  let frame: unknown;
  let scheduled = false;
  let paused = false;

  function cancelFrame(): void {
    if (!scheduled) return;
    scheduler.cancel(frame);
    scheduled = false;
    frame = undefined;
  }

  function flush(): void {
    cancelFrame();
    if (paused || queue.length === 0) return;
    const batch = queue;
    queue = [];
    options.flush(batch);
  }

  function schedule(): void {
    if (scheduled || paused) return;
    scheduled = true;
    frame = scheduler.request(() => {
      scheduled = false;
      frame = undefined;
      flush();
    });
  }

  return {
    push(item) {
      queue.push(item);
      schedule();
    },
    pause() {
      paused = true;
      cancelFrame();
    },
    resume() {
      if (!paused) return;
      paused = false;
      flush();
    },
    flushNow: flush,
    clear() {
      cancelFrame();
      queue = [];
    },
    get paused() {
      return paused;
    },
    get pending() {
      return queue.length;
    },
  };
}
