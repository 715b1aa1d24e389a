/** Tests of the analysis view tracker, fed the reducer's accumulator as the run store feeds it. */
import { expect, test } from 'vitest';
import type { EventEnvelope } from '@/lib/protocol/envelope';
import { applyEnvelope, createRunResult, summarizeResult } from '@/lib/runs/reducer';
import { analysisKind, analysisViewOfSummary, type AnalysisView } from './analysis';

const createAnalysisViewTracker = analysisKind.part.view.tracker;

function envelope(seq: number, type: EventEnvelope['type'], data: EventEnvelope['data']): EventEnvelope {
  return { v: '1', id: `e${seq}`, seq, ts: seq, corrId: 'run_1', type, data } as EventEnvelope;
}

/** Folds batches as the store does: reducer first, then the tracker. */
function run() {
  const result = createRunResult();
  const tracker = createAnalysisViewTracker();
  let id = 1;
  let view: AnalysisView | null = null;
  let seq = 0;
  return {
    result,
    e(type: EventEnvelope['type'], data: EventEnvelope['data']) {
      return envelope(++seq, type, data);
    },
    batch(...envelopes: EventEnvelope[]) {
      const applied = envelopes.filter((e) => applyEnvelope(result, e));
      view = tracker.update(view, result.analysis!, applied, () => id++);
      return view;
    },
  };
}

const start = { requestId: 'run_1', status: 'started', mode: 'stream', model: 'local:arc' } as const;
const grid = [
  [1, 2],
  [3, 4],
];

test('a batch of text deltas appends one segment with the deltas joined', () => {
  const r = run();
  r.batch(r.e('analysis.start', start));
  const view = r.batch(r.e('analysis.token', { chunk: 'Here ' }), r.e('analysis.token', { chunk: 'is' }));

  expect(view.text).toEqual([{ id: 1, text: 'Here is' }]);
  expect(view.tokenCount).toBe(2);
  expect(view.start?.model).toBe('local:arc');
});

test('every field is pending before the first partial', () => {
  const r = run();
  const view = r.batch(r.e('analysis.start', start));

  expect(Object.values(view.fieldStates)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
});

test('the field being written is partial and becomes complete when the model moves on', () => {
  const r = run();
  const first = r.batch(r.e('analysis.partial', { fields: { patternDescription: 'Each row' } }));
  expect(first.fieldStates.patternDescription).toBe('partial');

  const second = r.batch(r.e('analysis.partial', { fields: { patternDescription: 'Each row is mirrored.' } }));
  expect(second.fieldStates.patternDescription).toBe('partial');

  const third = r.batch(r.e('analysis.partial', { fields: { patternDescription: 'Each row is mirrored.', solvingStrategy: 'Rev' } }));
  expect(third.fieldStates.patternDescription).toBe('complete');
  expect(third.fieldStates.solvingStrategy).toBe('partial');
  expect(third.fieldStates.hints).toBe('pending');
});

test('field states follow the order the model wrote them in, not the schema order', () => {
  const r = run();
  r.batch(r.e('analysis.partial', { fields: { confidence: 80 } }));
  const view = r.batch(r.e('analysis.partial', { fields: { confidence: 80, patternDescription: 'A' } }));

  expect(view.fieldStates.confidence).toBe('complete');
  expect(view.fieldStates.patternDescription).toBe('partial');
});

test('an unchanged field keeps its identity across partials', () => {
  const r = run();
  const first = r.batch(r.e('analysis.partial', { fields: { hints: ['a', 'b'] } }));
  const second = r.batch(r.e('analysis.partial', { fields: { hints: ['a', 'b'], predictedOutput: [[[1]]] } }));

  expect(second.fields.hints).toBe(first.fields.hints);
  expect(second.fields.predictedOutput).toEqual([[[1]]]);
});

test('the complete envelope completes every field and takes its final values', () => {
  const r = run();
  r.batch(r.e('analysis.partial', { fields: { patternDescription: 'Mirror', confidence: 8 } }));
  const view = r.batch(
    r.e('analysis.complete', {
      requestId: 'run_1',
      status: 'complete',
      payload: { result: { patternDescription: 'Mirror', confidence: 85, predictedOutput: [grid] }, metadata: { parseStatus: 'ok' } },
    }),
  );

  expect(view.fields.confidence).toBe(85);
  expect(view.fieldStates).toMatchObject({ patternDescription: 'complete', confidence: 'complete', predictedOutput: 'complete', hints: 'pending' });
  expect(view.complete?.payload.metadata.parseStatus).toBe('ok');
});

test('an interrupted analysis leaves the field written last partial', () => {
  const r = run();
  r.batch(r.e('analysis.partial', { fields: { patternDescription: 'Mirror' } }));
  r.batch(r.e('analysis.partial', { fields: { patternDescription: 'Mirror', solvingStrategy: 'Rev' } }));
  const view = r.batch(
    r.e('analysis.complete', {
      requestId: 'run_1',
      status: 'interrupted',
      payload: { result: { patternDescription: 'Mirror', solvingStrategy: 'Rev' }, metadata: { parseStatus: 'fallback', interrupted: true } },
    }),
  );

  expect(view.fieldStates.patternDescription).toBe('complete');
  expect(view.fieldStates.solvingStrategy).toBe('partial');
});

test('a tool call is updated in place by id, and the other calls keep their identity', () => {
  const r = run();
  const first = r.batch(
    r.e('analysis.tool', { toolCalls: [{ id: 'a', name: 'run_program', status: 'started', input: { code: 'x' } }] }),
    r.e('analysis.tool', { toolCalls: [{ id: 'b', name: 'render_grid', status: 'started' }] }),
  );
  const second = r.batch(r.e('analysis.tool', { toolCalls: [{ id: 'a', name: 'run_program', status: 'done', output: { score: 10 } }] }));

  expect(second.toolCalls).toHaveLength(2);
  expect(second.toolCalls[0]).toMatchObject({ id: 'a', status: 'done', input: { code: 'x' }, output: { score: 10 } });
  expect(second.toolCalls[1]).toBe(first.toolCalls[1]);
});

test('an enrichment goes from pending to complete as a new object, the others unchanged', () => {
  const r = run();
  const first = r.batch(
    r.e('analysis.enrichment_start', { key: 'verify', label: 'Verify' }),
    r.e('analysis.enrichment_complete', { key: 'verify', summary: '1 of 1 correct' }),
    r.e('analysis.enrichment_start', { key: 'similar', label: 'Similar' }),
  );
  expect(first.enrichments.map((e) => e.status)).toEqual(['complete', 'pending']);

  const second = r.batch(r.e('analysis.enrichment_error', { key: 'similar', message: 'db down' }));
  expect(second.enrichments[0]).toBe(first.enrichments[0]);
  expect(second.enrichments[1]).toMatchObject({ key: 'similar', label: 'Similar', status: 'error', message: 'db down' });
  expect(first.enrichments[1]?.status).toBe('pending');
});

test('a batch without analysis envelopes leaves the view as it was', () => {
  const r = run();
  const first = r.batch(r.e('analysis.token', { chunk: 'a' }));
  const second = r.batch(r.e('metrics', { ttftMs: 3 }));

  expect(second).toBe(first);
});

test('a replayed envelope changes nothing', () => {
  const r = run();
  const token = r.e('analysis.token', { chunk: 'a' });
  const first = r.batch(token);
  const again = r.batch(token);

  expect(again).toBe(first);
  expect(again.tokenCount).toBe(1);
});

test('reasoning, warnings and artifacts are kept apart from the text', () => {
  const r = run();
  const view = r.batch(
    r.e('analysis.reasoning', { text: 'Looks ' }),
    r.e('analysis.reasoning', { text: 'mirrored.' }),
    r.e('analysis.warning', { type: 'fallback', message: 'non-streaming' }),
    r.e('analysis.artifact', { kind: 'image', label: 'Prediction', url: '/api/images/x.png' }),
  );

  expect(view.reasoning.map((s) => s.text)).toEqual(['Looks mirrored.']);
  expect(view.text).toEqual([]);
  expect(view.warnings).toEqual([{ type: 'fallback', message: 'non-streaming' }]);
  expect(view.artifacts[0]?.url).toBe('/api/images/x.png');
});

test('a saved summary gives the same fields, all complete when the analysis completed', () => {
  const r = run();
  r.batch(
    r.e('analysis.start', start),
    r.e('analysis.token', { chunk: '{"patternDescription":"Mirror"}' }),
    r.e('analysis.partial', { fields: { patternDescription: 'Mirror' } }),
    r.e('analysis.complete', { requestId: 'run_1', status: 'complete', payload: { result: { patternDescription: 'Mirror' }, metadata: { parseStatus: 'ok' } } }),
  );
  const saved = analysisViewOfSummary(summarizeResult(r.result).analysis);

  expect(saved.fields).toEqual({ patternDescription: 'Mirror' });
  expect(saved.fieldStates.patternDescription).toBe('complete');
  expect(saved.fieldStates.hints).toBe('pending');
  expect(saved.text.map((s) => s.text).join('')).toBe('{"patternDescription":"Mirror"}');
  expect(saved.complete?.status).toBe('complete');
});

test('a saved summary of a run cut short marks its fields partial', () => {
  const saved = analysisViewOfSummary({ fields: { patternDescription: 'Mirr' } });

  expect(saved.fieldStates.patternDescription).toBe('partial');
  expect(saved.complete).toBeNull();
  expect(analysisViewOfSummary(null).fields).toEqual({});
});
