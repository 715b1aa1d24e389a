/**
 * The run store: one run's live state in the browser, as a vanilla zustand store combined from
 * three slices:
 *
 * - transport (`run-transport-slice.ts`): `startRun({kind, input})` POSTs a run of any kind
 *   (`start(input)` is the chat console's shorthand for a `chat` run) and reads its stream with
 *   the run stream client; status, delivery, errors, `stop()`, `reconnect()`, `detach()`;
 * - timing (`run-timing-slice.ts`): time to first token and tokens per second, measured here;
 * - views (`run-views-slice.ts`): the reducer's result after each batch of the page's stream
 *   clock (an animation frame every 50 ms, shared by every store on the page: `stream-frames.ts`),
 *   the answer and reasoning as one {@link TextSegment} per batch, and each kind's view at
 *   `state[kind]` (`grover`, `saturn`, `analysis`, ...), built by the kind modules of `lib/kinds`.
 *
 * `result` is a shallow snapshot of the reducer's accumulator taken after each batch: its chunk
 * arrays are shared and append-only, so read the text from the segments (or `generationText`)
 * rather than holding on to them.
 *
 * Blocking delivery (the `streaming` flag is off for this user): the server answers the POST with
 * `mode: 'blocking'`, the status reads `waiting` with `progress` moving about once a second, and
 * then the whole result arrives at once and the views are built from it, so the panes show what
 * streaming would have shown.
 *
 * No global instance: the provider (`run-store-provider.tsx`) creates one per mounted console.
 */
import { createStore } from 'zustand/vanilla';
import type { RetryOptions } from '@/lib/protocol/runStreamClient';
import { createRunClock, createTimingSlice, type TimingSlice } from './run-timing-slice';
import { createTransportSlice, type TransportSlice } from './run-transport-slice';
import { createViewsSlice, type RunViews, type ViewsSlice } from './run-views-slice';
import type { FrameScheduler } from './token-animator';

export type { TextSegment } from '@/lib/kinds/types';
export type { RunTiming } from './run-timing-slice';
export { isSettled, type RunConnectionStatus, type RunDelivery, type RunError } from './run-transport-slice';

export type RunState = TransportSlice & TimingSlice & ViewsSlice;

export interface RunStoreOptions {
  /** Prefix of the API, e.g. `http://localhost:3000`; empty for same-origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Monotonic clock in ms; defaults to `performance.now()`. */
  now?: () => number;
  /** When batches of envelopes are applied; defaults to the page's stream clock (see stream-frames.ts). */
  scheduler?: FrameScheduler;
  retry?: Partial<RetryOptions>;
  /** How long `stop()` waits for the stream's own ending before closing it. */
  stopGraceMs?: number;
}

export type RunStore = ReturnType<typeof createRunStore>;

export function createRunStore(options: RunStoreOptions = {}) {
  const clock = createRunClock(options.now ?? (() => performance.now()));
  let views: RunViews | undefined;
  return createStore<RunState>()((...a) => ({
    ...createViewsSlice<RunState>({ clock, scheduler: options.scheduler, bind: (bound) => (views = bound) })(...a),
    ...createTimingSlice<RunState>()(...a),
    ...createTransportSlice<RunState>({ ...options, clock, views: () => views! })(...a),
  }));
}
