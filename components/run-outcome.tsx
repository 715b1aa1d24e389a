'use client';

/**
 * The parts of a solver's outcome that Grover and Saturn draw alike: the solved / not solved
 * banner, and one test input's predicted grid against its answer (GridDiff), or alone where no
 * answer is published.
 */
import type * as React from 'react';
import { CircleCheck, CircleDashed } from 'lucide-react';
import { GridDiff } from '@/components/arc/grid-diff';
import { GridRenderer } from '@/components/arc/grid-renderer';
import type { Grid } from '@/lib/arc/task';
import { cn } from '@/lib/cn';

export function OutcomeBanner({ solved, summary, className, ...props }: { solved: boolean; summary: React.ReactNode } & React.ComponentProps<'div'>) {
  return (
    <div
      role="status"
      className={cn(
        'flex items-start gap-3 rounded-lg border px-4 py-3',
        solved ? 'border-emerald-500/30 bg-emerald-500/[0.07]' : 'border-amber-500/30 bg-amber-500/[0.07]',
        className,
      )}
      {...props}
    >
      {solved ? (
        <CircleCheck className="mt-0.5 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
      ) : (
        <CircleDashed className="mt-0.5 size-5 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
      )}
      <div className="grid gap-0.5">
        <p className="text-sm font-semibold">{solved ? 'Solved' : 'Not solved'}</p>
        <p className="text-muted-foreground text-sm">{summary}</p>
      </div>
    </div>
  );
}

export interface TestPredictionProps {
  /** 0-based test index. */
  index: number;
  prediction: Grid | null | undefined;
  answer: Grid | undefined;
  correct: boolean | null | undefined;
  testId: string;
  /** Whose prediction: `the best program’s`, `the model’s`. */
  whose: string;
  /** Shown when there is no prediction. */
  missing: string;
}

function TestPrediction({ index, prediction, answer, correct, testId, whose, missing }: TestPredictionProps) {
  return (
    <div data-testid={testId} data-correct={correct ?? undefined} className="grid gap-2">
      <h4 className="text-sm font-medium">
        Test {index + 1}
        <span className="text-muted-foreground font-normal">
          {' '}
          · {whose} prediction{answer ? ' against the answer' : ''}
        </span>
      </h4>
      {!prediction ? (
        <p className="text-muted-foreground text-sm">{missing}</p>
      ) : answer ? (
        <GridDiff predicted={prediction} expected={answer} />
      ) : (
        <div className="grid gap-1.5">
          <GridRenderer grid={prediction} label={`Test ${index + 1} prediction`} />
          <p className="text-muted-foreground text-xs">No answer is published for this test.</p>
        </div>
      )}
    </div>
  );
}

/** Every test input's prediction of an outcome (`predictions` and `correct` by test index). */
export function TestPredictions({
  outcome,
  test,
  ...props
}: { outcome: { predictions: (Grid | null)[]; correct: (boolean | null)[] }; test: { output?: Grid }[] } & Pick<TestPredictionProps, 'testId' | 'whose' | 'missing'>) {
  return outcome.predictions.map((prediction, i) => (
    <TestPrediction key={i} index={i} prediction={prediction} answer={test[i]?.output} correct={outcome.correct[i]} {...props} />
  ));
}
