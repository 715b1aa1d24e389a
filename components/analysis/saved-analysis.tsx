/**
 * A saved analysis, rendered from its database row: the badges that sum it up (right or wrong,
 * how its answer was read, whether it was interrupted), and the whole report: notices, the five
 * fields with the prediction against the answer, checks, tool calls, text and metadata.
 * No hooks: server pages render it.
 */
import * as React from 'react';
import { CircleCheck, CircleX, Unplug } from 'lucide-react';
import type { ArcTask } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { analysisViewOfSummary, type AnalysisSummary } from '@/lib/kinds/analysis';
import { Artifacts, EnrichmentChips, ToolCalls } from './analysis-activity';
import type { SavedAnalysis } from '@/lib/kinds/analysis-saved';
import { formatWhen } from './analysis-data';
import { AnalysisFieldsView } from './analysis-fields';
import { AnalysisMetadata, AnalysisNotices, parseStatusLabel } from './analysis-notices';
import { TextPanel } from './analysis-text';

const PILL = 'inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-[11px] font-medium whitespace-nowrap';

/** Right or wrong over the tests with a known answer, or nothing when none is known. */
export function VerdictBadge({ saved, className }: { saved: SavedAnalysis; className?: string }) {
  const verdict = saved.verdict;
  if (!verdict) return <span className={cn(PILL, 'text-muted-foreground', className)}>Answer unknown</span>;
  if (verdict.predicted === 0) {
    return (
      <span data-testid="verdict" data-correct="none" className={cn(PILL, 'text-muted-foreground', className)}>
        No prediction
      </span>
    );
  }
  const correct = verdict.right === verdict.known;
  return (
    <span
      data-testid="verdict"
      data-correct={correct}
      className={cn(
        PILL,
        correct
          ? 'border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300'
          : 'border-rose-500/30 bg-rose-500/10 text-rose-700 dark:text-rose-300',
        className,
      )}
    >
      {correct ? <CircleCheck className="size-3" aria-hidden /> : <CircleX className="size-3" aria-hidden />}
      {correct ? 'Correct' : 'Incorrect'}
      {verdict.known > 1 && (
        <span className="font-normal opacity-80">
          {verdict.right}/{verdict.known}
        </span>
      )}
    </span>
  );
}

export function ParseBadge({ saved, className }: { saved: SavedAnalysis; className?: string }) {
  const status = saved.parseStatus;
  return (
    <span
      data-testid="parse-status"
      data-parse={status ?? 'none'}
      className={cn(PILL, status === 'ok' || status === null ? 'text-muted-foreground' : 'border-amber-500/30 bg-amber-500/10 text-amber-800 dark:text-amber-300', className)}
    >
      {status === null ? 'Not parsed' : parseStatusLabel(status)}
    </span>
  );
}

export function InterruptedBadge({ saved, className }: { saved: SavedAnalysis; className?: string }) {
  if (!saved.interrupted) return null;
  return (
    <span data-testid="interrupted-badge" className={cn(PILL, 'border-amber-500/30 bg-amber-500/10 text-amber-800 dark:text-amber-300', className)}>
      <Unplug className="size-3" aria-hidden />
      Interrupted
    </span>
  );
}

const STATUS_NOTES: Record<string, string> = {
  running: 'This analysis is still running; what is shown is what had been saved when it started.',
  error: 'This run ended with an error; what it had written before is shown.',
  cancelled: 'This run was stopped before it finished; what it had written is shown.',
};

/** The header of a saved analysis: model, when, and its badges. */
export function SavedAnalysisHeading({ saved, className, children }: { saved: SavedAnalysis; className?: string; children?: React.ReactNode }) {
  return (
    <div className={cn('grid min-w-0 gap-2', className)}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span data-testid="saved-model" className="font-mono text-sm font-semibold break-all">
          {saved.model ?? 'unknown model'}
        </span>
        <time dateTime={saved.createdAt} className="text-muted-foreground text-xs tabular-nums">
          {formatWhen(saved.createdAt)}
        </time>
        {children}
      </div>
      <div className="flex flex-wrap items-center gap-1.5">
        <VerdictBadge saved={saved} />
        <ParseBadge saved={saved} />
        <InterruptedBadge saved={saved} />
      </div>
    </div>
  );
}

export type SavedAnalysisReportProps = {
  saved: SavedAnalysis;
  summary: AnalysisSummary | null;
  task: ArcTask;
  /** The narrow layout of a comparison column. */
  compact?: boolean;
  className?: string;
};

export function SavedAnalysisReport({ saved, summary, task, compact = false, className }: SavedAnalysisReportProps) {
  const view = analysisViewOfSummary(summary);
  const note = STATUS_NOTES[saved.status];
  return (
    <div data-slot="saved-analysis" className={cn('grid min-w-0 gap-6', className)}>
      {note && (
        <p data-testid="saved-status-note" className="text-muted-foreground bg-muted/40 rounded-lg border px-4 py-3 text-sm">
          {note}
          {saved.errorMessage && <span className="mt-1 block text-xs">{saved.errorMessage}</span>}
        </p>
      )}
      <AnalysisNotices complete={view.complete} warnings={view.warnings} />
      <AnalysisMetadata complete={view.complete} className={cn(compact && 'sm:grid-cols-2')} />
      <AnalysisFieldsView fields={view.fields} fieldStates={view.fieldStates} test={task.test} live={false} stacked={compact} />
      {(view.enrichments.length > 0 || view.artifacts.length > 0) && (
        <section className="grid min-w-0 gap-3">
          <h3 className="text-sm font-semibold">Checks</h3>
          <EnrichmentChips enrichments={view.enrichments} />
          {!compact && <Artifacts artifacts={view.artifacts} />}
        </section>
      )}
      {view.toolCalls.length > 0 && (
        <section className="grid min-w-0 gap-3">
          <h3 className="text-sm font-semibold">Tool calls</h3>
          <ToolCalls calls={view.toolCalls} />
        </section>
      )}
      <div className="grid min-w-0 gap-3">
        <TextPanel kind="reasoning" segments={view.reasoning} defaultOpen={false} />
        <TextPanel kind="raw" segments={view.text} defaultOpen={false} />
      </div>
    </div>
  );
}
