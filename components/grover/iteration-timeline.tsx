'use client';

/**
 * The iterations of a run as steps: done (with the iteration's best and the best so far), the one
 * the model is on, and those still to come. A run that stops early (solved, or stopped) leaves its
 * remaining steps marked as skipped.
 */
import * as React from 'react';
import { Check } from 'lucide-react';
import { cn } from '@/lib/cn';
import { InProgressMark } from '@/components/stream-marks';
import type { Payload } from '@/lib/protocol/envelope';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { formatScore } from './program-card';

type StepState = 'done' | 'current' | 'upcoming' | 'skipped';

const EMPTY: Payload<'grover.iteration'>[] = [];

export function IterationTimeline({ planned, className }: { planned: number; className?: string }) {
  const summaries = useRunStore((s) => s.grover?.iterations ?? EMPTY);
  const current = useRunStore((s) => s.grover?.currentIteration ?? 0);
  const status = useRunStore((s) => s.status);
  const settled = isSettled(status);
  const count = Math.max(planned, current, summaries.length);

  const steps = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const summary = summaries.find((s) => s.iteration === n);
    const state: StepState = summary
      ? 'done'
      : !settled && (n === current || (current === 0 && n === 1 && status !== 'idle'))
        ? 'current'
        : settled && status !== 'idle'
          ? 'skipped'
          : 'upcoming';
    return { n, summary, state };
  });

  return (
    <ol data-testid="iteration-timeline" className={cn('grid gap-2', className)} style={{ gridTemplateColumns: `repeat(${Math.min(count, 5)}, minmax(0, 1fr))` }}>
      {steps.map(({ n, summary, state }) => (
        <li
          key={n}
          data-testid="iteration-step"
          data-iteration={n}
          data-state={state}
          className={cn(
            'grid gap-1 rounded-lg border px-3 py-2 text-xs transition-colors',
            state === 'current' && 'border-sky-500/40 bg-sky-500/5',
            state === 'done' && 'bg-card',
            (state === 'upcoming' || state === 'skipped') && 'text-muted-foreground border-dashed',
          )}
        >
          <span className="flex items-center gap-1.5 font-medium">
            {state === 'done' && <Check className="size-3.5 text-emerald-600 dark:text-emerald-400" aria-hidden />}
            {state === 'current' && <InProgressMark className="text-sky-600 dark:text-sky-400" />}
            Iteration {n}
          </span>
          <span className="text-muted-foreground tabular-nums">
            {summary ? (
              <>
                {summary.scores.length} {summary.scores.length === 1 ? 'program' : 'programs'} · best{' '}
                <span className="text-foreground font-medium">{formatScore(Math.max(0, ...summary.scores.map((s) => s.score)))}</span>
              </>
            ) : state === 'current' ? (
              'Writing programs…'
            ) : state === 'skipped' ? (
              status === 'done' ? 'Not needed' : 'Not run'
            ) : (
              'To come'
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
