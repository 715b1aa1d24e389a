/** Tests of the Grover view tracker, fed the reducer's accumulator as the run store feeds it. */
import { expect, test } from 'vitest';
import type { EventEnvelope } from '@/lib/protocol/envelope';
import { applyEnvelope, createRunResult } from '@/lib/runs/reducer';
import { groverKind, programStatus, type GroverView } from './grover';

const createGroverViewTracker = groverKind.part.view.tracker;

function envelope(seq: number, type: EventEnvelope['type'], data: EventEnvelope['data']): EventEnvelope {
  return { v: '1', id: `e${seq}`, seq, ts: seq, corrId: 'run_1', type, data } as EventEnvelope;
}

/** Folds batches as the store does: reducer first, then the tracker. */
function run() {
  const result = createRunResult();
  const tracker = createGroverViewTracker();
  let id = 1;
  let view: GroverView | null = null;
  return {
    batch(...envelopes: EventEnvelope[]) {
      const applied = envelopes.filter((e) => applyEnvelope(result, e));
      view = tracker.update(view, result.grover!, applied, () => id++);
      return view;
    },
  };
}

const program = (seq: number, programId: string, index = 0) =>
  envelope(seq, 'grover.program', { programId, iteration: 1, index, code: 'def transform(grid):\n    return grid' });

test('a result arriving frames after its program updates that program only', () => {
  const r = run();
  const first = r.batch(program(1, '1.1'), program(2, '1.2', 1));
  const second = r.batch(envelope(3, 'grover.result', { programId: '1.1', iteration: 1, score: 7, pairs: [] }));

  expect(second.programs[0]?.result?.score).toBe(7);
  expect(second.programs[1]).toBe(first.programs[1]);
  expect(second.scores).toEqual([{ programId: '1.1', iteration: 1, index: 0, score: 7 }]);
});

test('a replayed envelope changes nothing', () => {
  const r = run();
  const first = r.batch(envelope(1, 'grover.token', { token: 'a', iteration: 1, index: 0 }));
  const again = r.batch(envelope(1, 'grover.token', { token: 'a', iteration: 1, index: 0 }));

  expect(again.text).toBe(first.text);
  expect(again.tokenCount).toBe(1);
});

test('a program is pending, then graded, or failed when it raised on every pair', () => {
  const base = { programId: '1.1', iteration: 1, index: 0, code: '' };
  expect(programStatus(base)).toBe('pending');
  expect(programStatus({ ...base, result: { programId: '1.1', iteration: 1, score: 4, pairs: [{ exact: false, accuracy: 0.4, output: [[1]] }] } })).toBe('graded');
  expect(
    programStatus({ ...base, result: { programId: '1.1', iteration: 1, score: 0, error: 'boom', pairs: [{ exact: false, accuracy: 0, error: 'boom' }] } }),
  ).toBe('failed');
});
