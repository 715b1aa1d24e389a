/**
 * The candidate pool: every program the search evaluates is offered here; it keeps the best few,
 * ranked by exact training pairs, then mean cell accuracy, then program size, then discovery order.
 */
import { cellAccuracy, gridsEqual } from '../../arc/task.ts';
import type { Program } from './dsl/types.ts';
import { gridKey, type Grid } from './grid.ts';

export interface Scored {
  program: Program;
  outputs: (Grid | null)[];
  exact: number;
  accuracy: number;
  cost: number;
  order: number;
}

export function scoreOutputs(outputs: (Grid | null)[], targets: Grid[]): { exact: number; accuracy: number } {
  let exact = 0;
  let total = 0;
  outputs.forEach((out, i) => {
    if (!out) return;
    if (gridsEqual(out, targets[i]!)) {
      exact++;
      total += 1;
    } else total += cellAccuracy(out, targets[i]!);
  });
  return { exact, accuracy: outputs.length === 0 ? 0 : total / outputs.length };
}

export function compareScored(a: Scored, b: Scored): number {
  return b.exact - a.exact || b.accuracy - a.accuracy || a.cost - b.cost || a.order - b.order;
}

export function createPool(limit: number, total: number) {
  let items: Scored[] = [];
  const keys = new Set<string>();
  let order = 0;
  let solvedCount = 0;
  return {
    /** Offer a program; returns whether it is exact on every training pair. */
    offer(program: Program, outputs: (Grid | null)[], targets: Grid[], cost: number): boolean {
      const { exact, accuracy } = scoreOutputs(outputs, targets);
      const solved = exact === total;
      const worst = items.length >= limit ? items[items.length - 1] : undefined;
      const item: Scored = { program, outputs, exact, accuracy, cost, order: order++ };
      if (worst && compareScored(item, worst) >= 0) return solved;
      const key = outputs.map((o) => (o ? gridKey(o) : '-')).join('/') + (solved ? `#${program.length}:${JSON.stringify(program)}` : '');
      if (keys.has(key)) return solved;
      keys.add(key);
      if (solved) solvedCount++;
      items.push(item);
      items.sort(compareScored);
      if (items.length > limit) items = items.slice(0, limit);
      return solved;
    },
    solvedCount: () => solvedCount,
    best: () => items[0],
    items: () => items.slice(),
  };
}

