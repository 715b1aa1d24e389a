/**
 * StreamFrames: the page's one clock for showing streamed items, at most one render every
 * `intervalMs`, on an animation frame, for every run store on the page at once.
 *
 * Why not every animation frame: each frame that changes the DOM costs the browser a style, layout,
 * paint and layerize pass over the whole document, whatever the size of the change. Two panes at
 * 60 frames a second kept the main thread of a 2-core laptop over half busy, and a busy main thread
 * is one that stutters when anything else (a program card, a picture, a garbage collection) lands
 * in the same frame. Text arriving in 50 ms steps still reads as a stream (the AI SDK's
 * `experimental_throttle` uses the same figure); the saving is paid out as idle main thread.
 *
 * Why one clock: two stores on their own clocks would each render on a frame of its own; on one
 * clock both panes change in the same frame, so the document is laid out once per step, not twice.
 */
import type { FrameScheduler } from './token-animator';

export interface StreamFramesOptions {
  /** The least time between two ticks, in ms. */
  intervalMs: number;
  /** The browser's animation frames (the callback gets the frame's timestamp). */
  requestFrame?: (callback: (time: number) => void) => unknown;
  cancelFrame?: (handle: unknown) => void;
}

/** What the stream of a page renders at: 20 steps a second. */
const STREAM_FRAME_INTERVAL_MS = 50;

/**
 * A {@link FrameScheduler} whose callbacks all run together on the first animation frame at least
 * `intervalMs` after the previous tick (a frame's time within one frame's length of the mark counts,
 * so a 50 ms interval on a 60 Hz screen ticks every third frame, not every fourth).
 */
export function createStreamFrames(options: StreamFramesOptions): FrameScheduler {
  const requestFrame = options.requestFrame ?? ((callback) => globalThis.requestAnimationFrame(callback));
  const cancelFrame = options.cancelFrame ?? ((handle) => globalThis.cancelAnimationFrame(handle as number));
  /** Half a 60 Hz frame: frame times jitter around the mark. */
  const slackMs = 8;
  const waiting = new Map<number, () => void>();
  let nextHandle = 1;
  let frame: unknown;
  let lastTick = Number.NEGATIVE_INFINITY;

  function onFrame(time: number): void {
    frame = undefined;
    if (waiting.size === 0) return;
    if (time - lastTick < options.intervalMs - slackMs) {
      frame = requestFrame(onFrame);
      return;
    }
    lastTick = time;
    const callbacks = [...waiting.values()];
    waiting.clear();
    for (const callback of callbacks) callback();
  }

  return {
    request(callback) {
      const handle = nextHandle++;
      waiting.set(handle, callback);
      if (frame === undefined) frame = requestFrame(onFrame);
      return handle;
    },
    cancel(handle) {
      waiting.delete(handle as number);
      if (waiting.size === 0 && frame !== undefined) {
        cancelFrame(frame);
        frame = undefined;
      }
    },
  };
}

let pageFrames: FrameScheduler | undefined;

/** The page's shared stream clock in a browser; `undefined` elsewhere (the animator then uses a timer). */
export function pageStreamFrames(): FrameScheduler | undefined {
  if (typeof globalThis.requestAnimationFrame !== 'function') return undefined;
  pageFrames ??= createStreamFrames({ intervalMs: STREAM_FRAME_INTERVAL_MS });
  return pageFrames;
}
