/**
 * The Saturn view: what the browser shows of a Saturn run, kept with identities React can use.
 *
 * The shared reducer (`lib/runs/reducer.ts`) folds a run into an accumulator it mutates in place
 * (`result.saturn.steps` grows, a phase's chunk array grows), which is right for the server and
 * wrong for React selectors. After each animation-frame batch the run store asks the tracker for
 * a new view built from the batch's envelopes:
 *
 * - `phases[i].segments`: phase i's text, one {@link SaturnTextSegment} per batch (the batch's
 *   tokens joined once); a phase entry is a new object only when its own text grew, so the
 *   section of an earlier phase does not re-render while a later one streams;
 * - `images`: append-only, a new array only when an image arrives (the gallery does not
 *   re-render per token), entries keep their identity;
 * - `steps`: append-only, a new array only when a step arrives.
 *
 * A batch with no `saturn.*` envelope leaves the view as it was (same identity).
 */
import type { Payload } from '@/lib/protocol/envelope';

/** One appended piece of text; `id` is a stable React key. */
export interface SaturnTextSegment {
  id: number;
  text: string;
}

/** One phase of the model's text (`pair-1`, `pair-2`, ..., `test-1`, ...). */
export interface SaturnPhaseText {
  phase: string;
  segments: SaturnTextSegment[];
  /** Characters so far (kept so a header can show it without joining the text). */
  characters: number;
  tokenCount: number;
}

export type SaturnImage = Payload<'saturn.image'>;
export type SaturnStep = Payload<'saturn.step'>;

export interface SaturnView {
  /** Worker steps in arrival order (a step number repeats when a phase has several renders). */
  steps: SaturnStep[];
  /** Images in arrival order; entries keep their identity. */
  images: SaturnImage[];
  /** The model's text per phase, in the order the phases started. */
  phases: SaturnPhaseText[];
  /** The phase the run is in: the latest one with a step, an image or text (null before any). */
  currentPhase: string | null;
  /** The latest step number (0 before any). */
  currentStep: number;
  /** The number of steps the worker announced (`total` of the latest step that had one). */
  totalSteps: number | null;
  done: Payload<'saturn.done'> | null;
  /** Tokens of the model's text over all phases. */
  tokenCount: number;
}

export function createSaturnView(): SaturnView {
  return { steps: [], images: [], phases: [], currentPhase: null, currentStep: 0, totalSteps: null, done: null, tokenCount: 0 };
}

/** The envelopes the tracker reads: any with a `type` and `data`. */
interface AnyEnvelope {
  type: string;
  data: unknown;
}

export interface SaturnViewTracker {
  /**
   * The view after a batch: `previous` (null before the first) with the batch's `saturn.*`
   * envelopes applied. The batch holds only envelopes the reducer accepted (no duplicates).
   */
  update(previous: SaturnView | null, batch: readonly AnyEnvelope[], nextId: () => number): SaturnView;
}

/** A tracker for one run. */
export function createSaturnViewTracker(): SaturnViewTracker {
  return {
    update(previous, batch, nextId) {
      const view = previous ?? createSaturnView();
      const newSteps: SaturnStep[] = [];
      const newImages: SaturnImage[] = [];
      /** Phase -> this batch's tokens, in the order the phases appear. */
      const textParts = new Map<string, string[]>();
      let currentPhase = view.currentPhase;
      let currentStep = view.currentStep;
      let totalSteps = view.totalSteps;
      let done = view.done;
      let touched = false;

      for (const envelope of batch) {
        switch (envelope.type) {
          case 'saturn.step': {
            const data = envelope.data as SaturnStep;
            newSteps.push(data);
            currentStep = data.step;
            if (data.total !== undefined) totalSteps = data.total;
            if (data.phase !== undefined) currentPhase = data.phase;
            touched = true;
            break;
          }
          case 'saturn.image': {
            const data = envelope.data as SaturnImage;
            newImages.push(data);
            if (data.phase !== undefined) currentPhase = data.phase;
            touched = true;
            break;
          }
          case 'saturn.token': {
            const data = envelope.data as Payload<'saturn.token'>;
            let parts = textParts.get(data.phase);
            if (!parts) textParts.set(data.phase, (parts = []));
            parts.push(data.token);
            currentPhase = data.phase;
            touched = true;
            break;
          }
          case 'saturn.done':
            done = envelope.data as Payload<'saturn.done'>;
            touched = true;
            break;
        }
      }
      if (!touched && previous) return previous;

      let phases = view.phases;
      let tokens = 0;
      if (textParts.size > 0) {
        phases = view.phases.slice();
        for (const [phase, parts] of textParts) {
          const text = parts.join('');
          tokens += parts.length;
          const index = phases.findIndex((p) => p.phase === phase);
          const before = index >= 0 ? phases[index]! : { phase, segments: [], characters: 0, tokenCount: 0 };
          const after: SaturnPhaseText = {
            phase,
            segments: [...before.segments, { id: nextId(), text }],
            characters: before.characters + text.length,
            tokenCount: before.tokenCount + parts.length,
          };
          if (index >= 0) phases[index] = after;
          else phases.push(after);
        }
      }

      return {
        steps: newSteps.length > 0 ? [...view.steps, ...newSteps] : view.steps,
        images: newImages.length > 0 ? [...view.images, ...newImages] : view.images,
        phases,
        currentPhase,
        currentStep,
        totalSteps,
        done,
        tokenCount: view.tokenCount + tokens,
      };
    },
  };
}

/** What a phase is for, from its name: `pair-1` describe, `pair-k` predict, `test-t` answer. */
export function describePhase(phase: string): { title: string; purpose: string } {
  const match = /^(pair|test)-(\d+)$/.exec(phase);
  if (!match) return { title: phase, purpose: '' };
  const n = Number(match[2]);
  if (match[1] === 'test') return { title: `Test ${n}`, purpose: 'answer' };
  return { title: `Pair ${n}`, purpose: n === 1 ? 'describe' : 'predict' };
}

/** One step of the timeline: the worker's messages for one step number. */
export interface SaturnTimelineEntry {
  step: number;
  phase: string | null;
  /** The messages for this step, in order (a step may have several renders). */
  messages: string[];
  /** `stopped`: the step the run was on when it ended early (cancelled or failed). */
  state: 'done' | 'active' | 'pending' | 'stopped';
}

/**
 * The timeline: one entry per step number reached, then (while the run is live and the worker
 * announced a total) the steps still to come as `pending`. The latest reached step is `active`
 * while the run is live, `done` once it finished, `stopped` when it ended early; earlier steps
 * are `done`.
 */
export function saturnTimeline(steps: readonly SaturnStep[], totalSteps: number | null, run: 'live' | 'finished' | 'stopped'): SaturnTimelineEntry[] {
  const byStep = new Map<number, SaturnTimelineEntry>();
  for (const step of steps) {
    let entry = byStep.get(step.step);
    if (!entry) byStep.set(step.step, (entry = { step: step.step, phase: step.phase ?? null, messages: [], state: 'done' }));
    entry.messages.push(step.message);
    if (step.phase !== undefined) entry.phase = step.phase;
  }
  const entries = [...byStep.values()].sort((a, b) => a.step - b.step);
  const latest = entries.at(-1);
  if (latest && run !== 'finished') latest.state = run === 'live' ? 'active' : 'stopped';
  if (totalSteps !== null && run === 'live') {
    for (let step = (latest?.step ?? 0) + 1; step <= totalSteps; step++) entries.push({ step, phase: null, messages: [], state: 'pending' });
  }
  return entries;
}
