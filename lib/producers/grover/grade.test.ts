import { describe, expect, test } from 'vitest';
import { gradeRun } from './grade';

const pairs = [
  { input: [[1]], output: [[2]] },
  { input: [[3, 3]], output: [[4, 4]] },
];
const run = (outputs: unknown[]) => ({ status: 'ok' as const, outputs: outputs as never, stdout: '', durationMs: 1 });

describe('gradeRun', () => {
  test('a program exact on every pair scores 10', () => {
    expect(gradeRun(run([{ ok: true, grid: [[2]] }, { ok: true, grid: [[4, 4]] }]), pairs).score).toBe(10);
  });

  test('a half-right grid counts 0.9 of its cell accuracy', () => {
    const grade = gradeRun(run([{ ok: true, grid: [[2]] }, { ok: true, grid: [[4, 0]] }]), pairs);
    expect(grade.pairs[1]).toMatchObject({ exact: false, accuracy: 0.5 });
    expect(grade.score).toBe(7.25);
  });

  test('a grid of the wrong shape scores 0 on that pair', () => {
    expect(gradeRun(run([{ ok: true, grid: [[2, 2]] }, { ok: true, grid: [[4, 4]] }]), pairs).pairs[0]).toMatchObject({ exact: false, accuracy: 0 });
  });

  test('a per-input exception is that pair’s error and the program’s first error', () => {
    const grade = gradeRun(run([{ ok: false, error: { type: 'IndexError', message: 'list index out of range' } }, { ok: true, grid: [[4, 4]] }]), pairs);
    expect(grade.pairs[0]?.error).toBe('IndexError: list index out of range');
    expect(grade.error).toBe('IndexError: list index out of range');
    expect(grade.score).toBe(5);
  });

  test('a failed run scores 0 with its error on every pair', () => {
    const grade = gradeRun({ status: 'error', error: { code: 'timeout', message: 'Timed out after 5 s' }, stdout: '', durationMs: 5000 }, pairs);
    expect(grade).toMatchObject({ score: 0, error: 'Timed out after 5 s' });
    expect(grade.pairs.every((p) => p.error === 'Timed out after 5 s')).toBe(true);
  });
});
