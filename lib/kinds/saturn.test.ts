/** Tests of the Saturn view tracker, fed the envelopes the reducer accepted, as the run store feeds it. */
import { expect, test } from 'vitest';
import type { EventEnvelope } from '@/lib/protocol/envelope';
import { applyEnvelope, createRunResult } from '@/lib/runs/reducer';
import { describePhase, saturnKind, saturnTimeline, type SaturnView } from './saturn';

const createSaturnViewTracker = saturnKind.part.view.tracker;

function envelope(seq: number, type: EventEnvelope['type'], data: EventEnvelope['data']): EventEnvelope {
  return { v: '1', id: `e${seq}`, seq, ts: seq, corrId: 'run_1', type, data } as EventEnvelope;
}

const step = (seq: number, n: number, phase: string, message = `step ${n}`) => envelope(seq, 'saturn.step', { message, step: n, total: 4, phase });
const image = (seq: number, label: string, phase: string) =>
  envelope(seq, 'saturn.image', { label, url: `/api/images/${'a'.repeat(63)}${seq % 10}.png`, width: 120, height: 60, phase });
const token = (seq: number, text: string, phase: string) => envelope(seq, 'saturn.token', { token: text, phase, index: seq });

/** Folds batches as the store does: reducer first (dropping duplicates), then the tracker. */
function run() {
  const result = createRunResult();
  const tracker = createSaturnViewTracker();
  let id = 1;
  let view: SaturnView | null = null;
  return {
    batch(...envelopes: EventEnvelope[]) {
      const applied = envelopes.filter((e) => applyEnvelope(result, e));
      view = tracker.update(view, result.saturn!, applied, () => id++);
      return view;
    },
  };
}

test('a batch of tokens appends one segment to its phase', () => {
  const r = run();
  const view = r.batch(token(1, 'I ', 'pair-1'), token(2, 'see', 'pair-1'));
  expect(view.phases).toEqual([{ phase: 'pair-1', segments: [{ id: 1, text: 'I see' }], characters: 5, tokenCount: 2 }]);
  expect(view.tokenCount).toBe(2);
  expect(view.currentPhase).toBe('pair-1');
});

test('text of a later phase leaves the earlier phase entry as it was', () => {
  const r = run();
  const first = r.batch(token(1, 'describe', 'pair-1'));
  const second = r.batch(token(2, 'predict', 'pair-2'));
  expect(second.phases[0]).toBe(first.phases[0]);
  expect(second.phases.map((p) => p.phase)).toEqual(['pair-1', 'pair-2']);
  expect(second.currentPhase).toBe('pair-2');
});

test('one batch spanning two phases appends to each', () => {
  const r = run();
  const view = r.batch(token(1, 'a', 'pair-1'), token(2, 'b', 'pair-2'), token(3, 'c', 'pair-2'));
  expect(view.phases.map((p) => p.segments.map((s) => s.text))).toEqual([['a'], ['bc']]);
});

test('the image list changes identity only when an image arrives, and keeps its entries', () => {
  const r = run();
  const first = r.batch(step(1, 1, 'pair-1'), image(2, 'Pair 1', 'pair-1'));
  const tokens = r.batch(token(3, 'x', 'pair-1'));
  expect(tokens.images).toBe(first.images);
  expect(tokens.steps).toBe(first.steps);
  const more = r.batch(image(4, 'Pair 1 diff', 'pair-1'));
  expect(more.images).toHaveLength(2);
  expect(more.images[0]).toBe(first.images[0]);
});

test('steps track the current step, the total and the phase', () => {
  const r = run();
  const view = r.batch(step(1, 1, 'pair-1'), step(2, 2, 'pair-2'));
  expect(view.currentStep).toBe(2);
  expect(view.totalSteps).toBe(4);
  expect(view.currentPhase).toBe('pair-2');
});

test('a batch with no saturn envelope keeps the view as it was', () => {
  const r = run();
  const view = r.batch(token(1, 'a', 'pair-1'));
  expect(r.batch(envelope(2, 'status', { state: 'info', message: 'still here' }))).toBe(view);
});

test('a replayed envelope changes nothing', () => {
  const r = run();
  const first = r.batch(token(1, 'a', 'pair-1'));
  const again = r.batch(token(1, 'a', 'pair-1'));
  expect(again).toBe(first);
  expect(again.tokenCount).toBe(1);
});

test('done is kept', () => {
  const r = run();
  const view = r.batch(envelope(1, 'saturn.done', { predictions: [[[1]]], correct: [true], solved: true }));
  expect(view.done?.solved).toBe(true);
});

test('the timeline groups messages by step and marks the latest active while live, pending after it', () => {
  const steps = [
    { message: 'first pair', step: 1, total: 3, phase: 'pair-1' },
    { message: 'predict pair 2', step: 2, total: 3, phase: 'pair-2' },
    { message: 'pair 2 predicted correctly', step: 2, total: 3, phase: 'pair-2' },
  ];
  expect(saturnTimeline(steps, 3, 'live')).toEqual([
    { step: 1, phase: 'pair-1', messages: ['first pair'], state: 'done' },
    { step: 2, phase: 'pair-2', messages: ['predict pair 2', 'pair 2 predicted correctly'], state: 'active' },
    { step: 3, phase: null, messages: [], state: 'pending' },
  ]);
});

test('the timeline of a finished run has every reached step done and nothing pending', () => {
  const steps = [{ message: 'a', step: 1, total: 3, phase: 'pair-1' }];
  expect(saturnTimeline(steps, 3, 'finished').map((e) => e.state)).toEqual(['done']);
  expect(saturnTimeline(steps, 3, 'stopped').map((e) => e.state)).toEqual(['stopped']);
});

test('phases are named for what the model does in them', () => {
  expect(describePhase('pair-1')).toEqual({ title: 'Pair 1', purpose: 'describe' });
  expect(describePhase('pair-3')).toEqual({ title: 'Pair 3', purpose: 'predict' });
  expect(describePhase('test-2')).toEqual({ title: 'Test 2', purpose: 'answer' });
  expect(describePhase('other')).toEqual({ title: 'other', purpose: '' });
});
