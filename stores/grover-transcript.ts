/**
 * Grover transcripts: a Grover run turned into a document to save, as Markdown (to read) or JSON
 * (to process). Pure functions of the run store's state; the download is the view's business.
 */
import type { Payload } from '@/lib/protocol/envelope';
import type { GroverProgram } from '@/lib/kinds/grover';
import type { RunInput } from '@/lib/kinds';
import type { RunError, RunState } from './run-store';
import { errorLines, fenced, figureLines, predictionLines, solverTranscriptFileName, transcriptToJson } from './transcript-markdown';

export interface GroverTranscriptIteration {
  iteration: number;
  /** The model's text in this iteration. */
  text: string;
  programs: {
    programId: string;
    index: number;
    code: string;
    score?: number;
    pairs?: Payload<'grover.result'>['pairs'];
    error?: string;
    durationMs?: number;
  }[];
  bestScore?: number;
  bestProgramId?: string | null;
}

export interface GroverTranscript {
  kind: 'grover';
  runId: string | null;
  input: RunInput<'grover'> | null;
  status: RunState['status'];
  iterations: GroverTranscriptIteration[];
  bestProgramId: string | null;
  bestScore: number;
  outcome: Payload<'grover.done'> | null;
  tokenCount: number;
  /** Measured in the browser. */
  clientTiming: { ttftMs?: number; tokensPerSecond?: number; elapsedMs?: number };
  /** Reported by the server's `metrics` envelopes. */
  serverMetrics?: Record<string, number | undefined>;
  error?: RunError;
  savedAt: string;
}

type TranscriptSource = Pick<RunState, 'runId' | 'request' | 'status' | 'grover' | 'tokenCount' | 'timing' | 'result' | 'error'>;

function programEntry(program: GroverProgram): GroverTranscriptIteration['programs'][number] {
  const { result } = program;
  return {
    programId: program.programId,
    index: program.index,
    code: program.code,
    ...(result ? { score: result.score, pairs: result.pairs, ...(result.error ? { error: result.error } : {}), durationMs: result.durationMs } : {}),
  };
}

export function groverTranscriptOf(state: TranscriptSource, savedAt: Date = new Date()): GroverTranscript {
  const grover = state.grover;
  const count = Math.max(grover?.text.length ?? 0, grover?.currentIteration ?? 0, grover?.iterations.length ?? 0);
  const iterations: GroverTranscriptIteration[] = [];
  for (let n = 1; n <= count; n++) {
    const summary = grover?.iterations.find((it) => it.iteration === n);
    iterations.push({
      iteration: n,
      text: (grover?.text[n - 1] ?? []).map((s) => s.text).join(''),
      programs: (grover?.programs ?? []).filter((p) => p.iteration === n).map(programEntry),
      ...(summary ? { bestScore: summary.bestScore, bestProgramId: summary.bestProgramId } : {}),
    });
  }
  const { ttftMs, tokensPerSecond, elapsedMs } = state.timing;
  return {
    kind: 'grover',
    runId: state.runId,
    input: state.request?.kind === 'grover' ? state.request.input : null,
    status: state.status,
    iterations,
    bestProgramId: grover?.bestProgramId ?? null,
    bestScore: grover?.bestScore ?? 0,
    outcome: grover?.done ?? null,
    tokenCount: state.tokenCount,
    clientTiming: { ttftMs, tokensPerSecond, elapsedMs },
    serverMetrics: state.result.metrics,
    error: state.error ?? undefined,
    savedAt: savedAt.toISOString(),
  };
}

export function groverTranscriptToJson(transcript: GroverTranscript): string {
  return transcriptToJson(transcript);
}

const score = (value: number | undefined) => (value === undefined ? 'not graded' : `${Number(value.toFixed(2))}/10`);

export function groverTranscriptToMarkdown(t: GroverTranscript): string {
  const lines: string[] = [`# Grover run${t.runId ? ` ${t.runId}` : ''}`, ''];
  if (t.input) {
    lines.push(`- Task: \`${t.input.taskId}\``);
    lines.push(`- Model: \`${t.input.model}\``);
    const settings = [
      t.input.iterations !== undefined ? `${t.input.iterations} iterations` : undefined,
      t.input.programsPerIteration !== undefined ? `${t.input.programsPerIteration} programs per iteration` : undefined,
      t.input.tokensPerSecond !== undefined ? `pace ${t.input.tokensPerSecond === 0 ? 'instant' : `${t.input.tokensPerSecond} tokens/s`}` : undefined,
    ].filter(Boolean);
    if (settings.length > 0) lines.push(`- Settings: ${settings.join(', ')}`);
  }
  lines.push(`- Status: ${t.status}`);
  if (t.outcome) lines.push(`- Outcome: ${t.outcome.solved ? 'solved' : 'not solved'} after ${t.outcome.iterations} iteration${t.outcome.iterations === 1 ? '' : 's'}`);
  lines.push(`- Best: ${t.bestProgramId ? `program ${t.bestProgramId}, ${score(t.bestScore)}` : 'none'}`);
  lines.push(...figureLines(t));

  for (const it of t.iterations) {
    lines.push(`## Iteration ${it.iteration}`, '');
    if (it.bestProgramId !== undefined) lines.push(`Best so far: ${it.bestProgramId ? `program ${it.bestProgramId}, ${score(it.bestScore)}` : 'none'}`, '');
    lines.push('### Model output', '', it.text ? fenced(it.text, 'markdown') : '_No text._', '');
    for (const program of it.programs) {
      lines.push(`### Program ${program.programId} — ${score(program.score)}`, '');
      if (program.pairs) {
        const pairs = program.pairs.map((pair, i) => `pair ${i + 1}: ${pair.exact ? 'exact' : `${Math.round(pair.accuracy * 100)}%`}${pair.error ? ` (${pair.error})` : ''}`);
        lines.push(`- ${pairs.join('; ')}`);
      }
      if (program.error) lines.push(`- Error: ${program.error}`);
      lines.push('', fenced(program.code, 'python'), '');
    }
  }

  if (t.outcome) {
    lines.push('## Outcome', '', t.outcome.solved ? 'Solved.' : 'Not solved.', '');
    if (t.outcome.best) lines.push(`Best program ${t.outcome.best.programId} (${score(t.outcome.best.score)}):`, '', fenced(t.outcome.best.code, 'python'), '');
    lines.push(...predictionLines(t.outcome));
  }
  lines.push(...errorLines(t.error));
  return lines.join('\n');
}

/** `grover-<task>-<run id or time>.<ext>`, safe on every file system. */
export function groverTranscriptFileName(t: GroverTranscript, extension: 'md' | 'json'): string {
  return solverTranscriptFileName('grover', t, extension);
}
