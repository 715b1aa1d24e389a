/**
 * The Grover view: what the browser shows of a Grover run, kept with identities React can use.
 *
 * The shared reducer (`lib/runs/reducer.ts`) folds a run into an accumulator that it mutates in
 * place (a program object gains its `result` when graded), which is right for the server and
 * wrong for React selectors. After each animation-frame batch the run store asks the tracker for
 * a new view built from the accumulator and the batch's envelopes:
 *
 * - `text[i]`: iteration i+1's text, one {@link TextSegment} per batch (the batch's tokens joined
 *   once), so the view appends a span per frame instead of re-rendering the text;
 * - `programs`: a new array when a program arrives or is graded, where only the entries that
 *   changed are new objects, so a memoised card re-renders only when its own program changes;
 * - `scores`: one point per graded program, append-only, for the trajectory chart.
 *
 * A batch with no `grover.*` envelope leaves the view as it was (same identity).
 */
import type { Payload } from '@/lib/protocol/envelope';
import type { GroverProgram, GroverState } from '@/lib/runs/reducer';

/** One appended piece of text; `id` is a stable React key. */
export interface GroverTextSegment {
  id: number;
  text: string;
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
  text: GroverTextSegment[][];
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

/** The envelopes the tracker reads: any with a `type` and `data`. */
interface AnyEnvelope {
  type: string;
  data: unknown;
}

export interface GroverViewTracker {
  /**
   * The view after a batch: `previous` (null before the first) with the batch's changes applied,
   * read from `state` (the reducer's accumulator, already folded with `batch`).
   */
  update(previous: GroverView | null, state: GroverState, batch: readonly AnyEnvelope[], nextId: () => number): GroverView;
}

/** A tracker for one run (it remembers where each program sits in the accumulator). */
export function createGroverViewTracker(): GroverViewTracker {
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
