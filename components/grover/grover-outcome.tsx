'use client';

/**
 * How the run ended: a banner saying whether the puzzle was solved, then the best program's
 * prediction for each test input against the answer (GridDiff), or alone where the answer is not
 * published.
 */
import * as React from 'react';
import { CircleCheck, CircleDashed } from 'lucide-react';
import { GridDiff } from '@/components/arc/grid-diff';
import { GridRenderer } from '@/components/arc/grid-renderer';
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
      <div
        data-testid="grover-outcome"
        data-solved={done.solved}
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
            {best
              ? `Best program ${best.programId} scored ${formatScore(best.score)}/10 on the training pairs after ${done.iterations} ${done.iterations === 1 ? 'iteration' : 'iterations'}${
                  done.solved ? ' and its prediction matches the test answer.' : '.'
                }`
              : `No program ran after ${done.iterations} ${done.iterations === 1 ? 'iteration' : 'iterations'}.`}
          </p>
        </div>
      </div>

      <div data-testid="grover-prediction" className="grid gap-4">
        {done.predictions.map((prediction, i) => {
          const answer = test[i]?.output;
          return (
            <div key={i} data-testid="grover-prediction-test" data-correct={done.correct[i] ?? undefined} className="grid gap-2">
              <h4 className="text-sm font-medium">
                Test {i + 1}
                <span className="text-muted-foreground font-normal"> · the best program’s prediction{answer ? ' against the answer' : ''}</span>
              </h4>
              {!prediction ? (
                <p className="text-muted-foreground text-sm">The best program produced no output for this input.</p>
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
      </div>
    </section>
  );
}
