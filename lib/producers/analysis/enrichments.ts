/**
 * Enrichment passes that run after the main answer, each reported with
 * `analysis.enrichment_start` then `_complete` or `_error`:
 *
 * - `verify`: the predicted grids against the known test answers (or, where none is known, a
 *   check that each prediction is a plausible grid for its input);
 * - `similar`: the run owner's earlier analyses of this puzzle from the database (never another
 *   user's: a run is its owner's, `lib/db/ownership.ts`);
 * - `render`: an image of the prediction beside the answer, as an `analysis.artifact`.
 */
import 'server-only';
import { cellAccuracy, gridsEqual, type ArcTask, type Grid } from '../../arc/task';
import { getRunById, listRuns } from '../../db';
import type { ProducerEvent } from '../../protocol/envelope';
import type { SaturnWorker } from '../saturn/bridge';
import type { PartialAnalysis } from './parse';

export interface EnrichmentContext {
  runId: string;
  task: ArcTask;
  result: PartialAnalysis | null;
  worker(): Promise<SaturnWorker>;
}

type Enrichment = { key: string; label: string; run(context: EnrichmentContext): AsyncGenerator<ProducerEvent, { summary: string; data?: unknown }> };

async function* verify({ task, result }: EnrichmentContext): AsyncGenerator<ProducerEvent, { summary: string; data?: unknown }> {
  const predictions = result?.predictedOutput ?? [];
  if (predictions.length === 0) return { summary: 'No predicted grid to verify.' };
  const checks = task.test.map((test, i) => {
    const predicted: Grid | undefined = predictions[i];
    if (!predicted) return { test: i + 1, status: 'missing' as const };
    if (!test.output) return { test: i + 1, status: 'unknown' as const, rows: predicted.length, columns: predicted[0]?.length ?? 0 };
    return { test: i + 1, status: gridsEqual(predicted, test.output) ? ('correct' as const) : ('wrong' as const), accuracy: Math.round(cellAccuracy(predicted, test.output) * 1000) / 1000 };
  });
  const correct = checks.filter((c) => c.status === 'correct').length;
  const known = checks.filter((c) => c.status === 'correct' || c.status === 'wrong').length;
  const summary = known > 0 ? `${correct} of ${known} test predictions correct` : 'No known answer: predictions checked for shape only';
  return { summary, data: { checks } };
}

async function* similar({ runId, task }: EnrichmentContext): AsyncGenerator<ProducerEvent, { summary: string; data?: unknown }> {
  // The owner as the database has it now (signing up moves a guest's runs to the account).
  const ownerId = (await getRunById({ id: runId }))?.ownerId ?? null;
  const viewer = ownerId === null ? null : { userId: ownerId };
  const rows = (await listRuns({ viewer, kind: 'analysis', taskId: task.id, limit: 6 })).filter((row) => row.id !== runId && row.status !== 'running').slice(0, 5);
  const earlier = rows.map((row) => {
    const fields = (row.result as { analysis?: { fields?: PartialAnalysis } } | null)?.analysis?.fields ?? {};
    return { runId: row.id, model: row.model, createdAt: row.createdAt.toISOString(), confidence: fields.confidence ?? null, patternDescription: fields.patternDescription ?? null };
  });
  return { summary: earlier.length === 0 ? 'No earlier analyses of this puzzle.' : `${earlier.length} earlier ${earlier.length === 1 ? 'analysis' : 'analyses'} of this puzzle`, data: { earlier } };
}

async function* render({ task, result, worker }: EnrichmentContext): AsyncGenerator<ProducerEvent, { summary: string; data?: unknown }> {
  const predicted = result?.predictedOutput?.[0];
  if (!predicted) return { summary: 'No predicted grid to draw.' };
  const expected = task.test[0]?.output ?? null;
  let url: string | undefined;
  // Read the request to its end (the worker's ready status) so the worker is left idle.
  for await (const event of (await worker()).request({
    phase: 'analysis',
    step: 0,
    message: 'Drawing the prediction',
    images: [{ kind: 'compare', label: expected ? 'Prediction beside the answer' : 'Prediction', predicted, expected }],
  })) {
    if (event.type === 'saturn.image' && url === undefined) {
      url = event.data.url;
      yield { type: 'analysis.artifact', data: { kind: 'image', label: event.data.label, url } };
    }
  }
  return url ? { summary: 'Drawn', data: { url } } : { summary: 'Nothing was drawn.' };
}

export const ENRICHMENTS: Enrichment[] = [
  { key: 'verify', label: 'Verify the prediction', run: verify },
  { key: 'similar', label: 'Earlier analyses', run: similar },
  { key: 'render', label: 'Draw the prediction', run: render },
];
