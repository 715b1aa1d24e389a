'use client';

/**
 * How a Saturn run ended: whether the puzzle was solved, then the model's prediction for each
 * test input against the answer (GridDiff), or alone where no answer is published.
 */
import * as React from 'react';
import { CircleCheck, CircleDashed } from 'lucide-react';
import { GridDiff } from '@/components/arc/grid-diff';
import { GridRenderer } from '@/components/arc/grid-renderer';
import type { TestPair } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { useRunStore } from '@/stores/run-store-provider';

export function SaturnOutcome({ test, className }: { test: TestPair[]; className?: string }) {
  // The grids render as a transition, in slices that yield to the browser.
  const done = React.useDeferredValue(useRunStore((s) => s.saturn?.done ?? null));
  if (!done) return null;
  const right = done.correct.filter((c) => c === true).length;
  const known = done.correct.filter((c) => c !== null).length;

  return (
    <section data-testid="saturn-outcome" data-solved={done.solved} className={cn('grid gap-4', className)}>
      <div
        role="status"
        className={cn(
          'flex items-start gap-3 rounded-lg border px-4 py-3',
          done.solved ? 'border-emerald-500/30 bg-emerald-500/[0.07]' : 'border-amber-500/30 bg-amber-500/[0.07]',
        )}
      >
        {done.solved ? (
          <CircleCheck className="mt-0.5 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
        ) : (
          <CircleDashed className="mt-0.5 size-5 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
        )}
        <div className="grid gap-0.5">
          <p className="text-sm font-semibold">{done.solved ? 'Solved' : 'Not solved'}</p>
          <p className="text-muted-foreground text-sm">
            {known > 0
              ? `${right} of ${known} test ${known === 1 ? 'prediction matches its answer' : 'predictions match their answers'}.`
              : 'No test answer is published, so the predictions cannot be checked.'}
          </p>
        </div>
      </div>

      {done.predictions.map((prediction, i) => {
        const answer = test[i]?.output;
        return (
          <div key={i} data-testid="saturn-prediction" data-correct={done.correct[i] ?? undefined} className="grid gap-2">
            <h4 className="text-sm font-medium">
              Test {i + 1}
              <span className="text-muted-foreground font-normal"> · the model’s prediction{answer ? ' against the answer' : ''}</span>
            </h4>
            {!prediction ? (
              <p className="text-muted-foreground text-sm">The model gave no usable grid for this input.</p>
            ) : answer ? (
              <GridDiff predicted={prediction} expected={answer} />
            ) : (
              <div className="grid gap-1.5">
                <GridRenderer grid={prediction} label={`Test ${i + 1} prediction`} />
                <p className="text-muted-foreground text-xs">No answer is published for this test.</p>
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}
