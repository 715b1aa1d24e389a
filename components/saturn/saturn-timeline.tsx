'use client';

/**
 * Saturn's phases as a vertical timeline: one entry per step of the worker (describe the first
 * pair, predict each further pair, answer each test), with the worker's messages under it. The
 * current step is marked active while the run is live, the ones before it checked, the ones to
 * come greyed. Re-renders when a step arrives or the run's status changes, not per token.
 */
import * as React from 'react';
import { Check, CircleSlash } from 'lucide-react';
import { cn } from '@/lib/cn';
import { InProgressMark } from '@/components/stream-marks';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { describePhase, saturnTimeline, type SaturnStep, type SaturnTimelineEntry } from '@/lib/kinds/saturn';

const NO_STEPS: SaturnStep[] = [];

function Marker({ state }: { state: SaturnTimelineEntry['state'] }) {
  return (
    <span
      aria-hidden
      className={cn(
        'bg-background relative z-10 flex size-6 shrink-0 items-center justify-center rounded-full border text-[11px]',
        state === 'done' && 'border-emerald-500/40 bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300',
        state === 'active' && 'border-sky-500/50 text-sky-700 ring-4 ring-sky-500/10 dark:text-sky-300',
        state === 'stopped' && 'text-muted-foreground border-dashed',
        state === 'pending' && 'text-muted-foreground/60 border-dashed',
      )}
    >
      {state === 'done' ? (
        <Check className="size-3.5" />
      ) : state === 'active' ? (
        <InProgressMark />
      ) : state === 'stopped' ? (
        <CircleSlash className="size-3.5" />
      ) : null}
    </span>
  );
}

const STATE_LABEL: Record<SaturnTimelineEntry['state'], string> = {
  done: 'done',
  active: 'in progress',
  pending: 'to come',
  stopped: 'stopped',
};

export function SaturnTimeline({ className }: { className?: string }) {
  const steps = useRunStore((s) => s.saturn?.steps ?? NO_STEPS);
  const total = useRunStore((s) => s.saturn?.totalSteps ?? null);
  const status = useRunStore((s) => s.status);
  const finished = useRunStore((s) => s.saturn?.done != null);
  const run = !isSettled(status) ? 'live' : finished ? 'finished' : 'stopped';
  const entries = React.useMemo(() => saturnTimeline(steps, total, run), [steps, total, run]);

  if (entries.length === 0) {
    return (
      <p data-testid="saturn-steps-empty" className="text-muted-foreground flex min-h-16 items-center justify-center rounded-lg border border-dashed px-4 text-center text-sm">
        {status === 'idle' ? 'Describe the first pair, predict the others, then answer the test.' : !isSettled(status) ? 'Starting the renderer…' : 'No step was reached.'}
      </p>
    );
  }

  return (
    <ol data-testid="saturn-timeline" className={cn('relative grid gap-3', className)}>
      <span aria-hidden className="bg-border absolute top-3 bottom-3 left-3 w-px" />
      {entries.map((entry) => {
        const phase = entry.phase ? describePhase(entry.phase) : null;
        return (
          <li
            key={entry.step}
            data-testid="saturn-step"
            data-step={entry.step}
            data-state={entry.state}
            aria-current={entry.state === 'active' ? 'step' : undefined}
            className="flex min-w-0 items-start gap-3"
          >
            <Marker state={entry.state} />
            <div className="grid min-w-0 gap-0.5 pt-0.5">
              <p className={cn('flex flex-wrap items-baseline gap-x-2 text-sm', entry.state === 'pending' && 'text-muted-foreground')}>
                <span className="font-medium tabular-nums">Step {entry.step}</span>
                {phase && (
                  <span className="text-muted-foreground text-xs">
                    {phase.title}
                    {phase.purpose && ` · ${phase.purpose}`}
                  </span>
                )}
                <span className="sr-only">({STATE_LABEL[entry.state]})</span>
              </p>
              {entry.messages.map((message, i) => (
                <p
                  key={i}
                  className={cn('text-xs leading-5', i === entry.messages.length - 1 && entry.state === 'active' ? 'text-foreground' : 'text-muted-foreground')}
                >
                  {message}
                </p>
              ))}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
