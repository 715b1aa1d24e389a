/**
 * The browser's views of a run built at once from its whole result, for blocking delivery: the
 * server's reducer folded the run, and the panes show the same thing a streaming reader's
 * trackers would have built envelope by envelope, each text as one segment.
 */
import { MAIN_CHANNEL, summarizeResult, type GroverState, type RunResult, type SaturnState } from '@/lib/runs/reducer';
import { analysisViewOfSummary, type AnalysisView } from './analysis-view';
import type { GroverView, ScorePoint } from './grover-view';
import type { TextSegment } from './run-store';
import type { SaturnPhaseText, SaturnView } from './saturn-view';

export interface ResultViews {
  answer: TextSegment[];
  reasoning: TextSegment[];
  grover: GroverView | null;
  saturn: SaturnView | null;
  analysis: AnalysisView | null;
  /** Text tokens, counted as the streaming store counts them. */
  tokenCount: number;
}

function segmentOf(text: string, nextId: () => number): TextSegment[] {
  return text === '' ? [] : [{ id: nextId(), text }];
}

export function groverViewOfState(state: GroverState, nextId: () => number): GroverView {
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

export function saturnViewOfState(state: SaturnState, nextId: () => number): SaturnView {
  const phases: SaturnPhaseText[] = state.phases.map(({ phase, chunks }) => {
    const text = chunks.join('');
    return { phase, segments: segmentOf(text, nextId), characters: text.length, tokenCount: chunks.length };
  });
  const lastStep = state.steps.at(-1);
  const totals = state.steps.filter((step) => step.total !== undefined);
  const lastPhase = [...state.steps.map((s) => s.phase), ...state.images.map((i) => i.phase), ...state.phases.map((p) => p.phase)].filter(
    (phase): phase is string => phase !== undefined,
  );
  return {
    steps: [...state.steps],
    images: [...state.images],
    phases,
    currentPhase: state.phases.at(-1)?.phase ?? lastPhase.at(-1) ?? null,
    currentStep: lastStep?.step ?? 0,
    totalSteps: totals.at(-1)?.total ?? null,
    done: state.done ?? null,
    tokenCount: phases.reduce((count, phase) => count + phase.tokenCount, 0),
  };
}

/** Every view the run store keeps, from a finished run's result. */
export function viewsOfResult(result: RunResult, nextId: () => number): ResultViews {
  const main = result.generations[MAIN_CHANNEL];
  const grover = result.grover ? groverViewOfState(result.grover, nextId) : null;
  const saturn = result.saturn ? saturnViewOfState(result.saturn, nextId) : null;
  let analysis: AnalysisView | null = null;
  if (result.analysis) {
    analysis = { ...analysisViewOfSummary(summarizeResult(result).analysis), tokenCount: result.analysis.chunks.length };
    if (analysis.start === null && result.analysis.start) analysis.start = result.analysis.start;
  }
  return {
    answer: segmentOf(main?.chunks.join('') ?? '', nextId),
    reasoning: segmentOf(main?.reasoning.join('') ?? '', nextId),
    grover,
    saturn,
    analysis,
    tokenCount: (main?.tokenCount ?? 0) + (grover?.tokenCount ?? 0) + (analysis?.tokenCount ?? 0) + (saturn?.tokenCount ?? 0),
  };
}
