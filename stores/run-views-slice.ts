/**
 * The run store's views slice: what the panes draw. Envelopes go through a {@link TokenAnimator}
 * and are folded by the shared reducer once per step of the page's stream clock; after each batch
 * the slice holds a shallow snapshot of the reducer's result, the main generation's answer and
 * reasoning as one {@link TextSegment} per batch, and each kind's view (`state[kind]`, built by
 * the kind module's tracker, see `lib/kinds`), so a pane appends a span per step instead of
 * re-rendering the whole text. It knows no kind by name: it walks the kinds' parts.
 *
 * Blocking delivery hands it the server reducer's whole result instead; the views are then
 * built from it at once (`view.ofState`), so the panes show what streaming would have shown.
 */
import type { StateCreator } from 'zustand/vanilla';
import { KIND_PARTS, partKindOf, type PartKind, type ViewOf } from '@/lib/kinds';
import type { TextSegment } from '@/lib/kinds/types';
import { LOG_GAP_CODE, type EventEnvelope } from '@/lib/protocol/envelope';
import { applyEnvelope, createRunResult, MAIN_CHANNEL, type RunResult } from '@/lib/runs/reducer';
import { pageStreamFrames } from './stream-frames';
import type { RunClock, TimingSlice } from './run-timing-slice';
import { createTokenAnimator, type FrameScheduler, type TokenAnimator } from './token-animator';

/** Each kind's live view; null until the kind's first envelope. */
export type KindViews = { [K in PartKind]: ViewOf<K> | null };

export interface ViewsSlice extends KindViews {
  /** Snapshot of the reducer's result after the latest batch. */
  result: RunResult;
  /** The main generation's answer, one segment per batch. */
  answer: TextSegment[];
  /** The main generation's reasoning, one segment per batch. */
  reasoning: TextSegment[];
  /** Text tokens so far: the main generation's plus each kind's. */
  tokenCount: number;
  /** What each `log_gap` notice said: events the run's log no longer held when this reader resumed. */
  logGaps: string[];
  /** The view is frozen; envelopes keep arriving and are applied on resume. */
  paused: boolean;
  pause(): void;
  resume(): void;
}

type ViewsData = Omit<ViewsSlice, 'pause' | 'resume'>;

export function initialViews(): ViewsData {
  const kindViews = Object.fromEntries(KIND_PARTS.map(([kind]) => [kind, null])) as KindViews;
  return { ...kindViews, result: createRunResult(), answer: [], reasoning: [], tokenCount: 0, logGaps: [], paused: false };
}

type AnyTracker = ReturnType<(typeof KIND_PARTS)[number][1]['view']['tracker']>;

/** The views' working state outside React, driven by the transport slice. */
export interface RunViews {
  /** A new run: a fresh accumulator, trackers and animator. */
  begin(): void;
  /** An envelope arrived (it is applied with the next batch). */
  push(envelope: EventEnvelope): void;
  /** Applies what is waiting now (the run ended). */
  flushNow(): void;
  /** Blocking delivery: shows the server's folded result whole. */
  applyWhole(result: RunResult): void;
  /** Stops applying envelopes (the stream was closed); keeps what is shown. */
  detach(): void;
  /** Drops the run's working state. */
  clear(): void;
}

/** A new identity for the result, the generations and the kinds' parts; arrays are shared. */
function snapshotResult(result: RunResult): RunResult {
  const generations: RunResult['generations'] = {};
  for (const [channel, generation] of Object.entries(result.generations)) generations[channel] = { ...generation };
  const snapshot: RunResult = { ...result, generations, statusCodes: [...result.statusCodes] };
  const parts = snapshot as unknown as Record<string, unknown>;
  for (const [kind] of KIND_PARTS) if (result[kind]) parts[kind] = { ...result[kind] };
  return snapshot;
}

/** The main generation's tokens and each kind's text tokens. */
function tokenCountOf(result: RunResult): number {
  let count = result.generations[MAIN_CHANNEL]?.tokenCount ?? 0;
  for (const [kind, part] of KIND_PARTS) {
    const state = result[kind];
    if (state) count += part.tokenCount(state);
  }
  return count;
}

export function createViewsSlice<State extends ViewsSlice & TimingSlice>(options: {
  clock: RunClock;
  scheduler?: FrameScheduler;
  /** Receives the working state the transport slice drives. */
  bind(views: RunViews): void;
}): StateCreator<State, [], [], ViewsSlice> {
  return (set, get) => {
    let accumulator = createRunResult();
    let animator: TokenAnimator<EventEnvelope> | undefined;
    let trackers = new Map<PartKind, AnyTracker>();
    let nextSegmentId = 1;
    const nextId = () => nextSegmentId++;

    function trackerOf(kind: PartKind, part: (typeof KIND_PARTS)[number][1]): AnyTracker {
      let tracker = trackers.get(kind);
      if (!tracker) trackers.set(kind, (tracker = part.view.tracker()));
      return tracker;
    }

    function applyBatch(batch: EventEnvelope[]): void {
      const answerParts: string[] = [];
      const reasoningParts: string[] = [];
      const byKind = new Map<PartKind, EventEnvelope[]>();
      const gapNotices: string[] = [];
      for (const envelope of batch) {
        if (!applyEnvelope(accumulator, envelope)) continue;
        if (envelope.type === 'status' && envelope.data.code === LOG_GAP_CODE) gapNotices.push(envelope.data.message ?? 'Part of the run is no longer in its log.');
        if (envelope.type === 'gen.token' && (envelope.data.channel ?? MAIN_CHANNEL) === MAIN_CHANNEL) {
          answerParts.push(envelope.data.token);
        } else if (envelope.type === 'gen.reasoning' && (envelope.data.channel ?? MAIN_CHANNEL) === MAIN_CHANNEL) {
          reasoningParts.push(envelope.data.text);
        } else {
          const kind = partKindOf(envelope);
          if (kind) (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(envelope);
        }
      }
      const state = get();
      const answer = answerParts.length > 0 ? [...state.answer, { id: nextId(), text: answerParts.join('') }] : state.answer;
      const reasoning = reasoningParts.length > 0 ? [...state.reasoning, { id: nextId(), text: reasoningParts.join('') }] : state.reasoning;
      const views = {} as Record<PartKind, unknown>;
      for (const [kind, part] of KIND_PARTS) {
        const envelopes = byKind.get(kind);
        const partState = accumulator[kind];
        views[kind] = envelopes && partState ? trackerOf(kind, part).update(state[kind], partState, envelopes, nextId) : state[kind];
      }
      const kindViews = views as KindViews;
      set({
        ...kindViews,
        result: snapshotResult(accumulator),
        answer,
        reasoning,
        tokenCount: tokenCountOf(accumulator),
        timing: options.clock.timing(state.timing.startedAt),
        ...(gapNotices.length > 0 ? { logGaps: [...state.logGaps, ...gapNotices] } : {}),
      } as Partial<State>);
    }

    function clear(): void {
      animator?.clear();
      animator = undefined;
      accumulator = createRunResult();
      trackers = new Map();
    }

    function segmentOf(text: string): TextSegment[] {
      return text === '' ? [] : [{ id: nextId(), text }];
    }

    options.bind({
      begin() {
        clear();
        animator = createTokenAnimator<EventEnvelope>({ flush: applyBatch, scheduler: options.scheduler ?? pageStreamFrames() });
      },
      push(envelope) {
        animator?.push(envelope);
      },
      flushNow() {
        animator?.flushNow();
      },
      applyWhole(result) {
        accumulator = result;
        const main = result.generations[MAIN_CHANNEL];
        const views = {} as Record<PartKind, unknown>;
        for (const [kind, part] of KIND_PARTS) {
          const partState = result[kind];
          views[kind] = partState ? part.view.ofState(partState, nextId) : null;
        }
        const kindViews = views as KindViews;
        const answer = segmentOf(main?.chunks.join('') ?? '');
        const reasoning = segmentOf(main?.reasoning.join('') ?? '');
        const tokenCount = tokenCountOf(result);
        if (tokenCount > 0) options.clock.firstTokenNow();
        set({ ...kindViews, result: snapshotResult(result), answer, reasoning, tokenCount, timing: options.clock.timing(get().timing.startedAt) } as Partial<State>);
      },
      detach() {
        animator?.clear();
      },
      clear,
    });

    return {
      ...initialViews(),
      pause() {
        animator?.pause();
        set({ paused: true } as Partial<State>);
      },
      resume() {
        set({ paused: false } as Partial<State>);
        animator?.resume();
      },
    };
  };
}
