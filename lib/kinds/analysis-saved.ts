/**
 * Saved analyses: the summary of a `runs` row of kind `analysis` as the history list, the
 * comparison and `GET /api/tasks/:id/analyses` show it, and how its predictions stand against the
 * known answers (whether a predicted grid can be drawn, right / wrong / unknown per test input).
 * Shared by the server and the browser.
 */
import { gridsEqual, type Grid, type TestPair } from '../arc/task';
import type { Run } from '../db/schema';
import type { AnalysisComplete, AnalysisFields, AnalysisSummary } from './analysis';

/** A grid that can be drawn: at least one row, every row the same non-zero width. */
export function isDrawableGrid(value: unknown): value is Grid {
  if (!Array.isArray(value) || value.length === 0) return false;
  const width = Array.isArray(value[0]) ? value[0].length : 0;
  return width > 0 && value.every((row) => Array.isArray(row) && row.length === width && row.every((cell) => Number.isInteger(cell)));
}

export type PredictionCheck = 'correct' | 'wrong' | 'unknown' | 'missing';

/** Per test input: the prediction against the published answer. */
export function predictionChecks(predicted: AnalysisFields['predictedOutput'], test: readonly TestPair[]): PredictionCheck[] {
  return test.map((pair, i) => {
    const grid = predicted?.[i];
    if (!isDrawableGrid(grid)) return 'missing';
    if (!pair.output) return 'unknown';
    return gridsEqual(grid, pair.output) ? 'correct' : 'wrong';
  });
}

/**
 * Right or wrong over the tests whose answer is known (`predicted`: how many of those got a grid
 * at all); null when no answer is known.
 */
export type Verdict = { right: number; known: number; predicted: number } | null;

export function verdictOf(checks: readonly PredictionCheck[], test: readonly TestPair[]): Verdict {
  const known = test.filter((pair) => pair.output !== undefined).length;
  if (known === 0) return null;
  const predicted = checks.filter((c, i) => c !== 'missing' && test[i]?.output !== undefined).length;
  return { right: checks.filter((c) => c === 'correct').length, known, predicted };
}

/** One saved analysis as the history list and the comparison show it. JSON-friendly. */
export interface SavedAnalysis {
  runId: string;
  taskId: string;
  model: string | null;
  /** `running`, `done`, `error` or `cancelled`. */
  status: string;
  endReason: string | null;
  createdAt: string;
  endedAt: string | null;
  confidence: number | null;
  parseStatus: AnalysisComplete['payload']['metadata']['parseStatus'] | null;
  interrupted: boolean;
  /** The answer came from the non-streaming fallback call. */
  nonStreaming: boolean;
  checks: PredictionCheck[];
  verdict: Verdict;
  durationMs: number | null;
  usage: AnalysisComplete['payload']['metadata']['usage'] | null;
  patternDescription: string | null;
  errorMessage: string | null;
}

/** The `analysis` part of a saved row's result, or null when the run never got that far. */
export function analysisSummaryOf(row: Pick<Run, 'result'>): AnalysisSummary | null {
  const result = row.result as { analysis?: AnalysisSummary } | null;
  return result && typeof result === 'object' && result.analysis && typeof result.analysis === 'object' ? result.analysis : null;
}

function taskIdOf(input: unknown): string {
  const taskId = (input as { taskId?: unknown } | null)?.taskId;
  return typeof taskId === 'string' ? taskId : '';
}

export function savedAnalysisOf(row: Run, test: readonly TestPair[]): SavedAnalysis {
  const summary = analysisSummaryOf(row);
  const fields = summary?.fields ?? {};
  const complete = summary?.complete ?? null;
  const metadata = complete?.payload.metadata;
  const checks = predictionChecks(fields.predictedOutput, test);
  const error = row.error as { message?: unknown } | null;
  return {
    runId: row.id,
    taskId: taskIdOf(row.input),
    model: row.model,
    status: row.status,
    endReason: row.endReason,
    createdAt: row.createdAt.toISOString(),
    endedAt: row.endedAt ? row.endedAt.toISOString() : null,
    confidence: typeof fields.confidence === 'number' ? fields.confidence : null,
    parseStatus: metadata?.parseStatus ?? null,
    interrupted: complete?.status === 'interrupted' || metadata?.interrupted === true || row.endReason === 'interrupted',
    nonStreaming: metadata?.fallback === 'non-streaming' || (summary?.warnings ?? []).some((w) => w.type === 'fallback'),
    checks,
    verdict: verdictOf(checks, test),
    durationMs: metadata?.durationMs ?? (row.endedAt ? row.endedAt.getTime() - row.createdAt.getTime() : null),
    usage: metadata?.usage ?? null,
    patternDescription: typeof fields.patternDescription === 'string' ? fields.patternDescription : null,
    errorMessage: error && typeof error.message === 'string' ? error.message : null,
  };
}
