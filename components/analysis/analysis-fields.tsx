/**
 * The analysis result as it is written: pattern, strategy, hints, confidence and the predicted
 * grid(s), each in a block whose `data-state` says `pending` (not begun: a shimmering
 * placeholder while the run is live), `partial` (being written) or `complete`. A finished
 * prediction is drawn against the answer where the answer is known.
 *
 * No hooks: the live pane and the saved (server-rendered) pages use the same blocks.
 */
import * as React from 'react';
import { CircleCheck, CircleHelp, CircleX, PenLine, Scissors } from 'lucide-react';
import { GridDiff } from '@/components/arc/grid-diff';
import { GridRenderer } from '@/components/arc/grid-renderer';
import { fittedCellSize } from '@/components/arc/grid-svg';
import type { Grid, TestPair } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { StreamCaret } from '@/components/stream-marks';
import type { AnalysisField, AnalysisFields, FieldState } from '@/lib/kinds/analysis';
import { isDrawableGrid, predictionChecks, type PredictionCheck } from '@/lib/kinds/analysis-saved';

const FIELD_LABELS: Record<AnalysisField, string> = {
  patternDescription: 'Pattern',
  solvingStrategy: 'Strategy',
  hints: 'Hints',
  predictedOutput: 'Prediction',
  confidence: 'Confidence',
};

/** A placeholder bar while its content is on its way (still: see `stream-marks.tsx`). */
function Shimmer({ className }: { className?: string }) {
  return <span aria-hidden data-slot="shimmer" className={cn('bg-muted block rounded-md', className)} />;
}

function Caret() {
  return <StreamCaret className="h-[1em] translate-y-[0.15em]" />;
}

export type FieldBlockProps = Omit<React.ComponentProps<'section'>, 'title'> & {
  field: AnalysisField;
  state: FieldState;
  /** The run is still writing: pending blocks shimmer rather than say the field is missing. */
  live: boolean;
  /** The placeholder's shape. */
  placeholder?: React.ReactNode;
  aside?: React.ReactNode;
};

function FieldBlock({ field, state, live, placeholder, aside, className, children, ...props }: FieldBlockProps) {
  return (
    <section
      data-slot="analysis-field"
      data-testid={`field-${field}`}
      data-state={state}
      aria-busy={live && state !== 'complete' ? true : undefined}
      className={cn('grid min-w-0 content-start gap-2', className)}
      {...props}
    >
      <header className="flex min-h-5 items-center justify-between gap-2">
        <h3 className="text-muted-foreground text-xs font-medium tracking-wide uppercase">{FIELD_LABELS[field]}</h3>
        <span className="flex items-center gap-2">
          {aside}
          {state === 'partial' &&
            (live ? (
              <span className="text-muted-foreground flex items-center gap-1 text-[11px]">
                <PenLine className="size-3" aria-hidden />
                writing
              </span>
            ) : (
              <span className="flex items-center gap-1 text-[11px] text-amber-700 dark:text-amber-400">
                <Scissors className="size-3" aria-hidden />
                cut short
              </span>
            ))}
        </span>
      </header>
      {state === 'pending' ? (
        live ? (
          (placeholder ?? (
            <span className="grid gap-2">
              <Shimmer className="h-3.5 w-11/12" />
              <Shimmer className="h-3.5 w-3/4" />
            </span>
          ))
        ) : (
          <p className="text-muted-foreground text-sm italic">Not given.</p>
        )
      ) : (
        children
      )}
    </section>
  );
}

function TextField({ field, value, state, live }: { field: AnalysisField; value: unknown; state: FieldState; live: boolean }) {
  return (
    <FieldBlock field={field} state={state} live={live}>
      <p className="text-[15px] leading-7 break-words whitespace-pre-wrap">
        {typeof value === 'string' ? value : ''}
        {state === 'partial' && live && <Caret />}
      </p>
    </FieldBlock>
  );
}

function HintsField({ hints, state, live }: { hints: string[] | undefined; state: FieldState; live: boolean }) {
  return (
    <FieldBlock
      field="hints"
      state={state}
      live={live}
      placeholder={
        <span className="grid gap-2">
          <Shimmer className="h-3.5 w-2/3" />
          <Shimmer className="h-3.5 w-1/2" />
        </span>
      }
    >
      {hints && hints.length > 0 ? (
        <ol className="grid list-decimal gap-1.5 pl-5 text-sm leading-6 marker:text-xs marker:text-current/50">
          {hints.map((hint, i) => (
            <li key={i} className="break-words">
              {hint}
              {state === 'partial' && live && i === hints.length - 1 && <Caret />}
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-muted-foreground text-sm">No hints.</p>
      )}
    </FieldBlock>
  );
}

/** A 0-100 confidence as a bar; the colour only hints at the level. */
function ConfidenceMeter({ value, className }: { value: number; className?: string }) {
  const pct = Math.max(0, Math.min(100, Math.round(value)));
  const tone = pct >= 70 ? 'bg-emerald-600/80 dark:bg-emerald-400/80' : pct >= 40 ? 'bg-amber-500/80' : 'bg-rose-500/70';
  return (
    <div className={cn('flex items-center gap-3', className)}>
      <div
        role="meter"
        aria-label="Confidence"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="bg-muted h-2 min-w-24 flex-1 overflow-hidden rounded-full"
      >
        <div className={cn('h-full rounded-full transition-[width] duration-300', tone)} style={{ width: `${pct}%` }} />
      </div>
      <span data-testid="confidence-value" className="w-12 text-right font-mono text-sm font-medium tabular-nums">
        {pct}%
      </span>
    </div>
  );
}

function ConfidenceField({ value, state, live, className }: { value: number | undefined; state: FieldState; live: boolean; className?: string }) {
  return (
    <FieldBlock field="confidence" state={state} live={live} className={className} placeholder={<Shimmer className="h-2 w-full rounded-full" />}>
      {typeof value === 'number' ? <ConfidenceMeter value={value} /> : null}
    </FieldBlock>
  );
}

const CHECK_LABELS: Record<PredictionCheck, string> = {
  correct: 'Correct',
  wrong: 'Wrong',
  unknown: 'Answer not published',
  missing: 'No grid',
};

function CheckBadge({ check, className }: { check: PredictionCheck; className?: string }) {
  const Icon = check === 'correct' ? CircleCheck : check === 'wrong' ? CircleX : CircleHelp;
  return (
    <span
      data-testid="prediction-check"
      data-check={check}
      className={cn(
        'inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-[11px] font-medium',
        check === 'correct' && 'border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300',
        check === 'wrong' && 'border-rose-500/30 bg-rose-500/10 text-rose-700 dark:text-rose-300',
        (check === 'unknown' || check === 'missing') && 'text-muted-foreground',
        className,
      )}
    >
      <Icon className="size-3" aria-hidden />
      {CHECK_LABELS[check]}
    </span>
  );
}

/** The rows written so far of a grid still being written (the last row may be cut short). */
function writtenRows(value: unknown): Grid | null {
  if (isDrawableGrid(value)) return value;
  if (!Array.isArray(value) || value.length === 0) return null;
  const width = Array.isArray(value[0]) ? value[0].length : 0;
  const rows: Grid = [];
  for (const row of value) {
    if (!Array.isArray(row) || row.length !== width) break;
    rows.push(row as number[]);
  }
  return rows.length > 0 && width > 0 ? rows : null;
}

function PredictionField({
  predicted,
  state,
  live,
  test,
  cellSize,
}: {
  predicted: AnalysisFields['predictedOutput'];
  state: FieldState;
  live: boolean;
  test: readonly TestPair[];
  cellSize?: number;
}) {
  const grids = predicted ?? [];
  const checks = state === 'complete' ? predictionChecks(grids, test) : [];
  const size = cellSize ?? fittedCellSize([...test.flatMap((p) => (p.output ? [p.input, p.output] : [p.input]))], 150);
  return (
    <FieldBlock field="predictedOutput" state={state} live={live} placeholder={<Shimmer className="size-32" />}>
      <div className="grid gap-5">
        {test.map((pair, i) => {
          const grid = grids[i];
          const drawn = writtenRows(grid);
          const check = checks[i];
          return (
            <div key={i} data-testid="prediction" data-test-index={i} data-check={check} className="grid min-w-0 gap-2">
              {test.length > 1 || check ? (
                <div className="flex items-center gap-2">
                  {test.length > 1 && <span className="text-sm font-medium">Test {i + 1}</span>}
                  {check && <CheckBadge check={check} />}
                </div>
              ) : null}
              {state === 'complete' && isDrawableGrid(grid) && pair.output ? (
                <GridDiff predicted={grid} expected={pair.output} cellSize={size} />
              ) : drawn ? (
                <div className="flex items-start gap-3">
                  <GridRenderer grid={drawn} cellSize={size} label={`Predicted output ${i + 1}`} />
                  {state === 'partial' && live && !isDrawableGrid(grid) && <span className="text-muted-foreground pt-1 text-xs">writing rows…</span>}
                </div>
              ) : live && state !== 'complete' ? (
                <Shimmer className="size-32" />
              ) : (
                <p className="text-muted-foreground text-sm italic">No grid for this test.</p>
              )}
            </div>
          );
        })}
      </div>
    </FieldBlock>
  );
}

export type AnalysisFieldsViewProps = {
  fields: AnalysisFields;
  fieldStates: Record<AnalysisField, FieldState>;
  test: readonly TestPair[];
  live: boolean;
  /** One column (for the side-by-side comparison) rather than text beside the prediction. */
  stacked?: boolean;
  cellSize?: number;
  className?: string;
};

/** All five fields: the pattern, strategy and hints to read, then the confidence and the prediction. */
export function AnalysisFieldsView({ fields, fieldStates, test, live, stacked = false, cellSize, className }: AnalysisFieldsViewProps) {
  return (
    <div data-slot="analysis-fields" className={cn('grid min-w-0 gap-6', className)}>
      <TextField field="patternDescription" value={fields.patternDescription} state={fieldStates.patternDescription} live={live} />
      <div className={cn('grid min-w-0 gap-6', !stacked && 'md:grid-cols-2 md:gap-x-8')}>
        <TextField field="solvingStrategy" value={fields.solvingStrategy} state={fieldStates.solvingStrategy} live={live} />
        <HintsField hints={fields.hints} state={fieldStates.hints} live={live} />
      </div>
      <ConfidenceField value={fields.confidence} state={fieldStates.confidence} live={live} className={cn(!stacked && 'max-w-md')} />
      <PredictionField predicted={fields.predictedOutput} state={fieldStates.predictedOutput} live={live} test={test} cellSize={cellSize} />
    </div>
  );
}
