/**
 * The `saturn` kind: Saturn's input, its part of the reducer (`result.saturn`: worker steps and
 * images in arrival order, the model's text per phase, the outcome), its summary and the
 * browser's view.
 *
 * The view keeps identities React can use:
 * - `phases[i].segments`: phase i's text, one {@link TextSegment} per batch (the batch's tokens
 *   joined once); a phase entry is a new object only when its own text grew, so the section of
 *   an earlier phase does not re-render while a later one streams;
 * - `images`: append-only, a new array only when an image arrives (the gallery does not
 *   re-render per token), entries keep their identity;
 * - `steps`: append-only, a new array only when a step arrives.
 *
 * A batch with no `saturn.*` envelope leaves the view as it was (same identity).
 */
import { z } from 'zod';
import type { EventEnvelope, Payload } from '../protocol/envelope';
import { modelIdSchema, paceSchema, taskIdSchema } from './fields';
import { defineKind, type AnyEnvelope, type KindView, type TextSegment } from './types';

export const saturnInputSchema = z.object({
  taskId: taskIdSchema,
  model: modelIdSchema,
  /** Pace of the embedded engine's text (tokens per second; 0: instant). Ignored by hosted models. */
  tokensPerSecond: paceSchema.optional(),
});

export type SaturnInput = z.infer<typeof saturnInputSchema>;

/** Saturn's state: steps and images in arrival order, the model's text per phase, the outcome. */
export interface SaturnState {
  steps: Payload<'saturn.step'>[];
  images: Payload<'saturn.image'>[];
  /** Phases in the order they started, and their token chunks. */
  phases: { phase: string; chunks: string[] }[];
  done?: Payload<'saturn.done'>;
}

function createSaturnState(): SaturnState {
  return { steps: [], images: [], phases: [] };
}

function applySaturn(saturn: SaturnState, envelope: EventEnvelope): void {
  switch (envelope.type) {
    case 'saturn.step':
      saturn.steps.push(envelope.data);
      break;
    case 'saturn.image':
      saturn.images.push(envelope.data);
      break;
    case 'saturn.token': {
      let phase = saturn.phases.at(-1);
      if (phase?.phase !== envelope.data.phase) {
        phase = saturn.phases.find((p) => p.phase === envelope.data.phase);
        if (!phase) {
          phase = { phase: envelope.data.phase, chunks: [] };
          saturn.phases.push(phase);
        }
      }
      phase.chunks.push(envelope.data.token);
      break;
    }
    case 'saturn.done':
      saturn.done = envelope.data;
      break;
  }
}

function summarizeSaturn(saturn: SaturnState) {
  return {
    steps: saturn.steps,
    images: saturn.images,
    phases: saturn.phases.map(({ phase, chunks }) => ({ phase, text: chunks.join('') })),
    done: saturn.done,
  };
}

/** One phase of the model's text (`pair-1`, `pair-2`, ..., `test-1`, ...). */
export interface SaturnPhaseText {
  phase: string;
  segments: TextSegment[];
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

/** The step count the worker announced last (`total` of the latest step that had one). */
function totalStepsOf(steps: readonly SaturnStep[]): number | null {
  return steps.findLast((step) => step.total !== undefined)?.total ?? null;
}

/**
 * A tracker for one run: steps, images and the outcome are read from the state (already folded
 * with the batch); the batch gives only this batch's text per phase and the phase it ended in.
 */
function createSaturnViewTracker() {
  return {
    update(previous: SaturnView | null, state: SaturnState, batch: readonly AnyEnvelope[], nextId: () => number): SaturnView {
      const view = previous ?? createSaturnView();
      /** Phase -> this batch's tokens, in the order the phases appear. */
      const textParts = new Map<string, string[]>();
      let currentPhase = view.currentPhase;
      let touched = false;

      for (const envelope of batch) {
        if (!envelope.type.startsWith('saturn.')) continue;
        touched = true;
        if (envelope.type === 'saturn.token') {
          const data = envelope.data as Payload<'saturn.token'>;
          let parts = textParts.get(data.phase);
          if (!parts) textParts.set(data.phase, (parts = []));
          parts.push(data.token);
          currentPhase = data.phase;
        } else if (envelope.type === 'saturn.step' || envelope.type === 'saturn.image') {
          const phase = (envelope.data as SaturnStep | SaturnImage).phase;
          if (phase !== undefined) currentPhase = phase;
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
        steps: state.steps.length !== view.steps.length ? [...state.steps] : view.steps,
        images: state.images.length !== view.images.length ? [...state.images] : view.images,
        phases,
        currentPhase,
        currentStep: state.steps.at(-1)?.step ?? 0,
        totalSteps: totalStepsOf(state.steps),
        done: state.done ?? null,
        tokenCount: view.tokenCount + tokens,
      };
    },
  };
}

function segmentOf(text: string, nextId: () => number): TextSegment[] {
  return text === '' ? [] : [{ id: nextId(), text }];
}

/** The view of a whole state at once (blocking delivery): each phase's text as one segment. */
function saturnViewOfState(state: SaturnState, nextId: () => number): SaturnView {
  const phases: SaturnPhaseText[] = state.phases.map(({ phase, chunks }) => {
    const text = chunks.join('');
    return { phase, segments: segmentOf(text, nextId), characters: text.length, tokenCount: chunks.length };
  });
  const lastPhase = [...state.steps.map((s) => s.phase), ...state.images.map((i) => i.phase), ...state.phases.map((p) => p.phase)].filter(
    (phase): phase is string => phase !== undefined,
  );
  return {
    steps: [...state.steps],
    images: [...state.images],
    phases,
    currentPhase: state.phases.at(-1)?.phase ?? lastPhase.at(-1) ?? null,
    currentStep: state.steps.at(-1)?.step ?? 0,
    totalSteps: totalStepsOf(state.steps),
    done: state.done ?? null,
    tokenCount: phases.reduce((count, phase) => count + phase.tokenCount, 0),
  };
}

const saturnView: KindView<SaturnState, SaturnView> = {
  tracker: createSaturnViewTracker,
  ofState: saturnViewOfState,
};

export const saturnKind = defineKind({
  input: saturnInputSchema,
  part: {
    prefix: 'saturn.',
    tokenType: 'saturn.token',
    create: createSaturnState,
    tokenCount: (state: SaturnState) => state.phases.reduce((count, phase) => count + phase.chunks.length, 0),
    apply: applySaturn,
    summarize: summarizeSaturn,
    view: saturnView,
  },
});

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
