'use client';

/**
 * How the run ended: a banner saying whether the puzzle was solved, then the best program's
 * prediction for each test input against the answer (GridDiff), or alone where the answer is not
 * published.
 */
import { OutcomeBanner, TestPredictions } from '@/components/run-outcome';
import type { TestPair } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { useRunStore } from '@/stores/run-store-provider';
import { formatScore } from './program-card';

export function GroverOutcome({ test, className }: { test: TestPair[]; className?: string }) {
  const done = useRunStore((s) => s.grover?.done ?? null);
  if (!done) return null;
  const best = done.best;

  return (
    <section className={cn('grid gap-4', className)}>
      <OutcomeBanner
        data-testid="grover-outcome"
        data-solved={done.solved}
        solved={done.solved}
        summary={
          best
            ? `Best program ${best.programId} scored ${formatScore(best.score)}/10 on the training pairs after ${done.iterations} ${done.iterations === 1 ? 'iteration' : 'iterations'}${
                done.solved ? ' and its prediction matches the test answer.' : '.'
              }`
            : `No program ran after ${done.iterations} ${done.iterations === 1 ? 'iteration' : 'iterations'}.`
        }
      />

      <div data-testid="grover-prediction" className="grid gap-4">
        <TestPredictions outcome={done} test={test} testId="grover-prediction-test" whose="the best program’s" missing="The best program produced no output for this input." />
      </div>
    </section>
  );
}
