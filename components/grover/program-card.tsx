'use client';

/**
 * One candidate program: its code, then, once graded, its score and its output on every training
 * pair as small grids marked exact or with their cell accuracy. Memoised: the run store gives a
 * program a new identity only when its own result arrives, so a card renders twice (arrival,
 * grading), not on every frame.
 */
import * as React from 'react';
import { Check, ChevronDown, Trophy, X } from 'lucide-react';
import { GridThumbnail } from '@/components/arc/grid-thumbnail';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { formatDuration } from '@/lib/format';
import type { Payload } from '@/lib/protocol/envelope';
import type { GroverProgram } from '@/lib/kinds/grover';
import { cn } from '@/lib/cn';
import { InProgressMark } from '@/components/stream-marks';
import { programStatus } from '@/lib/kinds/grover';
import { CodeView } from './code-view';

/** Lines of code shown before "Show all". */
const FOLDED_LINES = 8;

export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(2).replace(/0$/, '');
}

/** Text colour of a score: calm green at 10, neutral in between, muted near 0. */
function scoreTone(score: number): string {
  if (score >= 10) return 'text-emerald-700 dark:text-emerald-400';
  if (score >= 7) return 'text-foreground';
  return 'text-muted-foreground';
}

export type ProgramCardProps = React.ComponentProps<'article'> & {
  program: GroverProgram;
  best?: boolean;
  /** Training pairs of the task: how many results to expect while pending. */
  trainCount: number;
};

export const ProgramCard = React.memo(function ProgramCard({ program, best = false, trainCount, className, ...props }: ProgramCardProps) {
  const status = programStatus(program);
  const result = program.result;
  const lines = program.code.split('\n').length;
  const [expanded, setExpanded] = React.useState(false);
  const foldable = lines > FOLDED_LINES + 2;

  return (
    <article
      data-slot="program-card"
      data-testid="program-card"
      data-program-id={program.programId}
      data-status={status}
      data-score={result ? result.score : undefined}
      data-best={best || undefined}
      className={cn(
        'bg-card grid min-w-0 grid-cols-1 gap-3 rounded-lg border p-4 shadow-xs transition-colors',
        best && 'border-emerald-500/40 ring-1 ring-emerald-500/20',
        'animate-in fade-in-0 slide-in-from-bottom-1 duration-300',
        className,
      )}
      {...props}
    >
      <header className="flex items-start justify-between gap-3">
        <div className="grid min-w-0 gap-0.5">
          <h4 className="flex items-center gap-2 text-sm font-semibold">
            <span className="font-mono">Program {program.programId}</span>
            {best && (
              <Badge data-testid="best-badge" className="gap-1 border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300" variant="outline">
                <Trophy aria-hidden />
                Best
              </Badge>
            )}
          </h4>
          <p className="text-muted-foreground text-xs">
            Iteration {program.iteration} · candidate {program.index + 1}
            {result?.durationMs !== undefined && <> · ran in {formatDuration(result.durationMs)}</>}
          </p>
        </div>
        {result ? (
          <div className="text-right" data-testid="program-score">
            <div className={cn('text-xl leading-none font-semibold tabular-nums', scoreTone(result.score))}>{formatScore(result.score)}</div>
            <div className="text-muted-foreground mt-1 text-[11px]">of 10</div>
          </div>
        ) : (
          <span className="text-muted-foreground flex items-center gap-1.5 text-xs" data-testid="program-pending">
            <InProgressMark />
            Grading
          </span>
        )}
      </header>

      {result && (
        <div className="bg-muted h-1 overflow-hidden rounded-full" aria-hidden>
          <div
            className={cn('h-full rounded-full transition-[width] duration-500', result.score >= 10 ? 'bg-emerald-500' : 'bg-indigo-500/70')}
            style={{ width: `${Math.max(2, result.score * 10)}%` }}
          />
        </div>
      )}

      <PairResults pairs={result?.pairs} trainCount={trainCount} />
      {result?.error && (
        <p data-testid="program-error" className="text-destructive bg-destructive/5 rounded-md px-2.5 py-1.5 font-mono text-xs break-words">
          {result.error}
        </p>
      )}

      <div className="grid min-w-0 grid-cols-1 gap-1">
        <div className="relative min-w-0">
          <CodeView code={program.code} className={cn(foldable && !expanded && 'max-h-44 overflow-hidden')} />
          {foldable && !expanded && (
            <div className="from-card pointer-events-none absolute inset-x-px bottom-px h-10 rounded-b-md bg-gradient-to-t to-transparent" aria-hidden />
          )}
        </div>
        {foldable && (
          <Button
            type="button"
            variant="ghost"
            size="sm"
            data-testid="program-code-toggle"
            className="text-muted-foreground h-7 justify-self-start px-2 text-xs"
            aria-expanded={expanded}
            onClick={() => setExpanded((e) => !e)}
          >
            <ChevronDown className={cn('transition-transform', expanded && 'rotate-180')} aria-hidden />
            {expanded ? 'Show less' : `Show all ${lines} lines`}
          </Button>
        )}
      </div>
    </article>
  );
});

type PairResult = Payload<'grover.result'>['pairs'][number];

function PairResults({ pairs, trainCount }: { pairs: PairResult[] | undefined; trainCount: number }) {
  const count = pairs?.length ?? trainCount;
  return (
    <div className="grid gap-1.5">
      <span className="text-muted-foreground text-[11px] font-medium tracking-wide uppercase">Output on the training pairs</span>
      <ul className="flex flex-wrap gap-2.5">
        {Array.from({ length: count }, (_, i) => {
          const pair = pairs?.[i];
          return (
            <li key={i} data-testid="pair-result" data-exact={pair ? pair.exact : undefined} className="grid justify-items-center gap-1">
              {pair?.output ? (
                <GridThumbnail
                  grid={pair.output}
                  size={56}
                  label={`Pair ${i + 1} output`}
                  className={cn('ring-1', pair.exact ? 'ring-emerald-500/60' : 'ring-border')}
                />
              ) : (
                <div
                  className={cn(
                    'bg-muted/60 text-muted-foreground flex size-14 items-center justify-center rounded-md border border-dashed text-[10px]',
                    pair && 'text-destructive border-destructive/30',
                  )}
                >
                  {pair ? 'error' : <InProgressMark />}
                </div>
              )}
              <PairMark pair={pair} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function PairMark({ pair }: { pair: PairResult | undefined }) {
  if (!pair) return <span className="text-muted-foreground text-[11px]">…</span>;
  if (pair.exact) {
    return (
      <span className="flex items-center gap-0.5 text-[11px] font-medium text-emerald-700 dark:text-emerald-400">
        <Check className="size-3" aria-hidden />
        exact
      </span>
    );
  }
  if (pair.error) {
    return (
      <span className="text-destructive flex items-center gap-0.5 text-[11px]" title={pair.error}>
        <X className="size-3" aria-hidden />
        failed
      </span>
    );
  }
  return <span className="text-muted-foreground text-[11px] tabular-nums">{Math.round(pair.accuracy * 100)}% cells</span>;
}
