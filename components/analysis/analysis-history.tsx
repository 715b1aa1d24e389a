'use client';

/**
 * A task's saved analyses, newest first: model, when, confidence, how the answer was read,
 * interrupted or not, right or wrong where the answer is known. Tick two and Compare opens them
 * side by side; ticking a third lets go of the first ticked.
 */
import * as React from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Columns2 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { formatDuration } from '@/lib/format';
import type { SavedAnalysis } from '@/lib/kinds/analysis-saved';
import { compareHref, formatWhen, savedAnalysisHref } from './analysis-data';
import { InterruptedBadge, ParseBadge, VerdictBadge } from './saved-analysis';

function Confidence({ value }: { value: number | null }) {
  if (value === null) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="flex items-center gap-2">
      <span aria-hidden className="bg-muted h-1.5 w-14 overflow-hidden rounded-full">
        <span className="bg-foreground/60 block h-full rounded-full" style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
      </span>
      <span className="font-mono text-xs tabular-nums">{Math.round(value)}%</span>
    </span>
  );
}

const STATUS_LABELS: Record<string, string> = { running: 'Running', error: 'Error', cancelled: 'Cancelled' };

export function AnalysisHistory({ taskId, analyses, className }: { taskId: string; analyses: SavedAnalysis[]; className?: string }) {
  const router = useRouter();
  const [picked, setPicked] = React.useState<string[]>([]);

  const toggle = (runId: string) =>
    setPicked((current) => (current.includes(runId) ? current.filter((id) => id !== runId) : [...current, runId].slice(-2)));

  const compare = () => {
    const [a, b] = picked;
    if (a && b) router.push(compareHref(taskId, a, b));
  };

  return (
    <div className={cn('grid gap-4', className)}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-muted-foreground text-sm" aria-live="polite">
          {picked.length === 2 ? 'Two picked.' : `Pick two to compare${picked.length === 1 ? ': one more' : ''}.`}
        </p>
        <Button type="button" data-testid="compare-button" disabled={picked.length !== 2} onClick={compare}>
          <Columns2 aria-hidden />
          Compare
        </Button>
      </div>
      <div className="bg-card overflow-x-auto rounded-xl border shadow-xs">
        <table className="w-full text-sm" data-testid="analysis-table">
          <thead className="text-muted-foreground border-b text-left text-xs">
            <tr>
              <th scope="col" className="w-10 py-2.5 pl-4 font-medium">
                <span className="sr-only">Pick</span>
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">Model</th>
              <th scope="col" className="px-3 py-2.5 font-medium">When</th>
              <th scope="col" className="px-3 py-2.5 font-medium">Confidence</th>
              <th scope="col" className="px-3 py-2.5 font-medium">Result</th>
              <th scope="col" className="px-3 py-2.5 font-medium">Answer read</th>
              <th scope="col" className="px-3 py-2.5 pr-4 text-right font-medium">Duration</th>
            </tr>
          </thead>
          <tbody className="divide-y">
            {analyses.map((analysis) => {
              const checked = picked.includes(analysis.runId);
              const inputId = `pick-${analysis.runId}`;
              return (
                <tr
                  key={analysis.runId}
                  data-testid="analysis-row"
                  data-run-id={analysis.runId}
                  data-picked={checked}
                  className={cn('align-middle transition-colors', checked ? 'bg-accent/60' : 'hover:bg-muted/40')}
                >
                  <td className="py-3 pl-4">
                    <input
                      id={inputId}
                      type="checkbox"
                      data-testid="analysis-pick"
                      checked={checked}
                      onChange={() => toggle(analysis.runId)}
                      aria-label={`Pick the analysis by ${analysis.model ?? 'unknown model'} of ${formatWhen(analysis.createdAt)}`}
                      className="accent-foreground size-4 cursor-pointer"
                    />
                  </td>
                  <td className="max-w-64 px-3 py-3">
                    <Link
                      href={savedAnalysisHref(taskId, analysis.runId)}
                      data-testid="analysis-open"
                      className="font-mono text-xs font-medium break-all underline-offset-4 hover:underline"
                    >
                      {analysis.model ?? 'unknown model'}
                    </Link>
                    {analysis.patternDescription && (
                      <p className="text-muted-foreground mt-0.5 line-clamp-1 text-xs" title={analysis.patternDescription}>
                        {analysis.patternDescription}
                      </p>
                    )}
                  </td>
                  <td className="text-muted-foreground px-3 py-3 text-xs whitespace-nowrap tabular-nums">
                    <time dateTime={analysis.createdAt}>{formatWhen(analysis.createdAt)}</time>
                  </td>
                  <td className="px-3 py-3">
                    <Confidence value={analysis.confidence} />
                  </td>
                  <td className="px-3 py-3">
                    <span className="flex flex-wrap items-center gap-1.5">
                      <VerdictBadge saved={analysis} />
                      <InterruptedBadge saved={analysis} />
                      {STATUS_LABELS[analysis.status] && (
                        <span className="text-muted-foreground text-[11px]" data-testid="run-state">
                          {STATUS_LABELS[analysis.status]}
                        </span>
                      )}
                    </span>
                  </td>
                  <td className="px-3 py-3">
                    <ParseBadge saved={analysis} />
                  </td>
                  <td className="text-muted-foreground px-3 py-3 pr-4 text-right font-mono text-xs tabular-nums">
                    {formatDuration(analysis.durationMs ?? undefined)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
