/**
 * A predicted grid against the expected one: both side by side, and, when their shapes agree, an
 * overlay of the prediction with every wrong cell crossed out, under a summary "N of M cells
 * right". When the shapes differ there is nothing to compare cell by cell, and it says so.
 */
import * as React from 'react';
import { CircleCheck, CircleX, TriangleAlert } from 'lucide-react';
import type { Grid } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { GridRenderer } from './grid-renderer';
import { fittedCellSize } from './grid-svg';

export interface GridComparison {
  sameShape: boolean;
  /** Cells that differ, as `[row, column]` (empty when the shapes differ). */
  wrong: [number, number][];
  /** Cells of the expected grid. */
  total: number;
  /** Cells that match (0 when the shapes differ). */
  right: number;
}

/** Compares cell by cell; a shape mismatch counts no cell right. */
function compareGrids(predicted: Grid, expected: Grid): GridComparison {
  const total = expected.length * (expected[0]?.length ?? 0);
  const sameShape = predicted.length === expected.length && (predicted[0]?.length ?? 0) === (expected[0]?.length ?? 0);
  if (!sameShape) return { sameShape, wrong: [], total, right: 0 };
  const wrong: [number, number][] = [];
  expected.forEach((row, r) => row.forEach((cell, c) => predicted[r]?.[c] !== cell && wrong.push([r, c])));
  return { sameShape, wrong, total, right: total - wrong.length };
}

const dims = (g: Grid) => `${g.length}×${g[0]?.length ?? 0}`;

export type GridDiffProps = React.ComponentProps<'div'> & {
  predicted: Grid;
  expected: Grid;
  /** Pixels per cell (default: fitted so the larger grid is about 200 px). */
  cellSize?: number;
};

export function GridDiff({ predicted, expected, cellSize, className, ...props }: GridDiffProps) {
  const result = compareGrids(predicted, expected);
  const size = cellSize ?? fittedCellSize([predicted, expected], 200);
  const solved = result.sameShape && result.wrong.length === 0;
  return (
    <div data-slot="grid-diff" data-testid="grid-diff" data-solved={solved} className={cn('grid gap-4', className)} {...props}>
      <p
        data-testid="grid-diff-summary"
        className={cn(
          'flex items-center gap-2 text-sm font-medium',
          solved ? 'text-emerald-700 dark:text-emerald-400' : result.sameShape ? 'text-foreground' : 'text-destructive',
        )}
      >
        {solved ? <CircleCheck className="size-4" aria-hidden /> : <CircleX className="size-4" aria-hidden />}
        {result.right} of {result.total} cells right
        {solved && <span className="text-muted-foreground font-normal"> · exact match</span>}
      </p>
      {!result.sameShape && (
        <p data-testid="grid-diff-shape" role="status" className="text-destructive flex items-start gap-2 text-sm">
          <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
          Shape mismatch: predicted {dims(predicted)}, expected {dims(expected)}.
        </p>
      )}
      <div className="flex flex-wrap items-start gap-6">
        <Panel title="Predicted">
          <GridRenderer grid={predicted} cellSize={size} label="Predicted output" />
        </Panel>
        <Panel title="Expected">
          <GridRenderer grid={expected} cellSize={size} label="Expected output" />
        </Panel>
        {result.sameShape && (
          <Panel title={`Differences (${result.wrong.length})`} testId="grid-diff-overlay">
            <GridRenderer grid={predicted} cellSize={size} label="Prediction with wrong cells crossed out" marks={result.wrong} />
          </Panel>
        )}
      </div>
    </div>
  );
}

function Panel({ title, testId, children }: { title: string; testId?: string; children: React.ReactNode }) {
  return (
    <section data-testid={testId} className="grid min-w-0 gap-1.5">
      <h4 className="text-muted-foreground text-xs font-medium tracking-wide uppercase">{title}</h4>
      {children}
    </section>
  );
}
