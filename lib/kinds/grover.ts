/**
 * The `grover` kind: Grover's input, its part of the reducer (`result.grover`: the model's text
 * per iteration, programs in arrival order with their results once graded, iteration summaries),
 * its summary and the browser's view.
 *
 * The view keeps identities React can use:
 * - `text[i]`: iteration i+1's text, one {@link TextSegment} per batch (the batch's tokens joined
 *   once), so the view appends a span per frame instead of re-rendering the text;
 * - `programs`: a new array when a program arrives or is graded, where only the entries that
 *   changed are new objects, so a memoised card re-renders only when its own program changes;
 * - `scores`: one point per graded program, append-only, for the trajectory chart.
 *
 * A batch with no `grover.*` envelope leaves the view as it was (same identity).
 */
import { z } from 'zod';
import type { EventEnvelope, Payload } from '../protocol/envelope';
import { modelIdSchema, paceSchema, taskIdSchema, temperatureSchema } from './fields';
import { defineKind, type AnyEnvelope, type KindView, type TextSegment } from './types';

/** The bounds of Grover's search, as the options form shows them. */
export const GROVER_LIMITS = {
  iterations: { min: 1, max: 10, integer: true, default: 3 },
  programsPerIteration: { min: 1, max: 8, integer: true, default: 4 },
} as const;

export const groverInputSchema = z.object({
  taskId: taskIdSchema,
  model: modelIdSchema,
  iterations: z.number().int().min(GROVER_LIMITS.iterations.min).max(GROVER_LIMITS.iterations.max).default(GROVER_LIMITS.iterations.default),
  programsPerIteration: z
    .number()
    .int()
    .min(GROVER_LIMITS.programsPerIteration.min)
    .max(GROVER_LIMITS.programsPerIteration.max)
    .default(GROVER_LIMITS.programsPerIteration.default),
  temperature: temperatureSchema.optional(),
  /** Pace of the embedded engine's text (tokens per second; 0: instant). Ignored by hosted models. */
  tokensPerSecond: paceSchema.optional(),
});

export type GroverInput = z.infer<typeof groverInputSchema>;

/** A Grover program with its result once graded. */
export interface GroverProgram extends Payload<'grover.program'> {
  result?: Payload<'grover.result'>;
}

/** Grover's state: the model's text per iteration, programs in arrival order, iteration summaries. */
export interface GroverState {
  /** Token chunks per iteration (index 0 is iteration 1). */
  tokens: string[][];
  programs: GroverProgram[];
  iterations: Payload<'grover.iteration'>[];
  bestProgramId: string | null;
  bestScore: number;
  done?: Payload<'grover.done'>;
}

function createGroverState(): GroverState {
  return { tokens: [], programs: [], iterations: [], bestProgramId: null, bestScore: 0 };
}

function applyGrover(grover: GroverState, envelope: EventEnvelope): void {
  switch (envelope.type) {
    case 'grover.token':
      (grover.tokens[envelope.data.iteration - 1] ??= []).push(envelope.data.token);
      break;
    case 'grover.program':
      grover.programs.push({ ...envelope.data });
      break;
    case 'grover.result': {
      const program = grover.programs.find((p) => p.programId === envelope.data.programId);
      if (program) program.result = envelope.data;
      break;
    }
    case 'grover.iteration':
      grover.iterations.push(envelope.data);
      grover.bestProgramId = envelope.data.bestProgramId;
      grover.bestScore = envelope.data.bestScore;
      break;
    case 'grover.done':
      grover.done = envelope.data;
      break;
  }
}

function summarizeGrover(grover: GroverState) {
  return {
    text: grover.tokens.map((chunks) => chunks.join('')),
    programs: grover.programs,
    iterations: grover.iterations,
    bestProgramId: grover.bestProgramId,
    bestScore: grover.bestScore,
    done: grover.done,
  };
}

/** A graded program, as the trajectory chart plots it. */
export interface ScorePoint {
  programId: string;
  iteration: number;
  /** The program's place within its iteration (0-based). */
  index: number;
  score: number;
}

export interface GroverView {
  /** The model's text per iteration (index 0 is iteration 1), one segment per batch. */
  text: TextSegment[][];
  /** Programs in arrival order; an entry is a new object only when it changed. */
  programs: GroverProgram[];
  /** Graded programs in grading order. */
  scores: ScorePoint[];
  /** Iteration summaries, in order. */
  iterations: Payload<'grover.iteration'>[];
  bestProgramId: string | null;
  bestScore: number;
  done: Payload<'grover.done'> | null;
  /** The iteration the model is on: the latest one with text, a program or a summary (0 before any). */
  currentIteration: number;
  /** Tokens of the model's text over all iterations. */
  tokenCount: number;
}

export function createGroverView(): GroverView {
  return {
    text: [],
    programs: [],
    scores: [],
    iterations: [],
    bestProgramId: null,
    bestScore: 0,
    done: null,
    currentIteration: 0,
    tokenCount: 0,
  };
}

interface GroverViewTracker {
  /**
   * The view after a batch: `previous` (null before the first) with the batch's changes applied,
   * read from `state` (the reducer's accumulator, already folded with `batch`).
   */
  update(previous: GroverView | null, state: GroverState, batch: readonly AnyEnvelope[], nextId: () => number): GroverView;
}

/** A tracker for one run (it remembers where each program sits in the accumulator). */
function createGroverViewTracker(): GroverViewTracker {
  const indexOf = new Map<string, number>();

  return {
    update(previous, state, batch, nextId) {
      const view = previous ?? createGroverView();
      const textParts = new Map<number, string[]>();
      const changed = new Set<number>();
      let programsAdded = false;
      let tokens = 0;
      let current = view.currentIteration;
      const graded: ScorePoint[] = [];

      for (const envelope of batch) {
        switch (envelope.type) {
          case 'grover.token': {
            const data = envelope.data as Payload<'grover.token'>;
            const parts = textParts.get(data.iteration) ?? [];
            parts.push(data.token);
            textParts.set(data.iteration, parts);
            tokens += 1;
            current = Math.max(current, data.iteration);
            break;
          }
          case 'grover.program': {
            const data = envelope.data as Payload<'grover.program'>;
            const index = state.programs.findLastIndex((p) => p.programId === data.programId);
            if (index >= 0) indexOf.set(data.programId, index);
            programsAdded = true;
            current = Math.max(current, data.iteration);
            break;
          }
          case 'grover.result': {
            const data = envelope.data as Payload<'grover.result'>;
            const index = indexOf.get(data.programId);
            if (index === undefined) break;
            changed.add(index);
            const program = state.programs[index];
            if (program) graded.push({ programId: data.programId, iteration: data.iteration, index: program.index, score: data.score });
            break;
          }
          case 'grover.iteration':
            current = Math.max(current, (envelope.data as Payload<'grover.iteration'>).iteration);
            break;
        }
      }

      let text = view.text;
      if (textParts.size > 0) {
        text = [...view.text];
        for (const [iteration, parts] of [...textParts].sort(([a], [b]) => a - b)) {
          for (let i = text.length; i < iteration; i++) text[i] = [];
          text[iteration - 1] = [...text[iteration - 1]!, { id: nextId(), text: parts.join('') }];
        }
      }

      let programs = view.programs;
      if (programsAdded || changed.size > 0) {
        programs = view.programs.slice();
        for (let i = view.programs.length; i < state.programs.length; i++) programs[i] = { ...state.programs[i]! };
        for (const i of changed) if (i < view.programs.length) programs[i] = { ...state.programs[i]! };
      }

      return {
        text,
        programs,
        scores: graded.length > 0 ? [...view.scores, ...graded] : view.scores,
        iterations: state.iterations.length !== view.iterations.length ? [...state.iterations] : view.iterations,
        bestProgramId: state.bestProgramId,
        bestScore: state.bestScore,
        done: state.done ?? null,
        currentIteration: current,
        tokenCount: view.tokenCount + tokens,
      };
    },
  };
}

/** A program's standing: `pending` until its result arrives, then `graded` (or `failed` if it raised on every pair). */
export function programStatus(program: GroverProgram): 'pending' | 'graded' | 'failed' {
  if (!program.result) return 'pending';
  if (program.result.error && program.result.pairs.every((pair) => pair.error !== undefined || pair.output === undefined)) return 'failed';
  return 'graded';
}

function segmentOf(text: string, nextId: () => number): TextSegment[] {
  return text === '' ? [] : [{ id: nextId(), text }];
}

/** The view of a whole state at once (blocking delivery): each iteration's text as one segment. */
function groverViewOfState(state: GroverState, nextId: () => number): GroverView {
  const text = state.tokens.map((chunks) => segmentOf(chunks.join(''), nextId));
  const scores: ScorePoint[] = state.programs
    .filter((program) => program.result !== undefined)
    .map((program) => ({ programId: program.programId, iteration: program.iteration, index: program.index, score: program.result!.score }));
  const iterationsSeen = [
    state.tokens.length,
    ...state.programs.map((program) => program.iteration),
    ...state.iterations.map((iteration) => iteration.iteration),
  ];
  return {
    text,
    programs: state.programs.map((program) => ({ ...program })),
    scores,
    iterations: [...state.iterations],
    bestProgramId: state.bestProgramId,
    bestScore: state.bestScore,
    done: state.done ?? null,
    currentIteration: Math.max(0, ...iterationsSeen),
    tokenCount: state.tokens.reduce((count, chunks) => count + chunks.length, 0),
  };
}

const groverView: KindView<GroverState, GroverView> = {
  tracker: createGroverViewTracker,
  ofState: groverViewOfState,
};

export const groverKind = defineKind({
  input: groverInputSchema,
  part: {
    prefix: 'grover.',
    tokenType: 'grover.token',
    create: createGroverState,
    tokenCount: (state: GroverState) => state.tokens.reduce((count, chunks) => count + chunks.length, 0),
    apply: applyGrover,
    summarize: summarizeGrover,
    view: groverView,
  },
});
