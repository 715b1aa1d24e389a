'use client';

/**
 * How a Saturn run ended: whether the puzzle was solved, then the model's prediction for each
 * test input against the answer (GridDiff), or alone where no answer is published.
 */
import * as React from 'react';
import { OutcomeBanner, TestPredictions } from '@/components/run-outcome';
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
      <OutcomeBanner
        solved={done.solved}
        summary={
          known > 0
            ? `${right} of ${known} test ${known === 1 ? 'prediction matches its answer' : 'predictions match their answers'}.`
            : 'No test answer is published, so the predictions cannot be checked.'
        }
      />

      <TestPredictions outcome={done} test={test} testId="saturn-prediction" whose="the model’s" missing="The model gave no usable grid for this input." />
    </section>
  );
}
