'use client';

/**
 * The analysis pane: a model explains one ARC task as a structured object, live. The form on top;
 * then, from `analysis.start`, the five result fields as placeholders that fill in as the model
 * completes them, the checks after the answer (enrichment chips), the image they drew, the
 * model's tool calls, its reasoning and raw text; at the end the notices on how the answer was
 * read and a link to the saved analysis.
 *
 * It owns a run store (one per mounted pane); the store folds `analysis.*` envelopes into
 * `analysis` once per animation frame, with identities that change only where something changed.
 */
import Link from 'next/link';
import { ArrowRight, History, Loader2, Sparkles } from 'lucide-react';
import { RunModelLine, RunPane, RunStat, RunStatList, SectionTitle } from '@/components/run-pane';
import type { ArcTask } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { formatCount, formatDuration } from '@/lib/format';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { SessionRunStoreProvider } from '@/components/auth/session-run-store-provider';
import { Artifacts, EnrichmentChips, ToolCalls } from './analysis-activity';
import { historyHref, savedAnalysisHref } from './analysis-data';
import { AnalysisFieldsView } from './analysis-fields';
import { AnalysisMetadata, AnalysisNotices } from './analysis-notices';
import { AnalysisOptions } from './analysis-options';
import { TextPanel } from './analysis-text';
import { RunStatusMarker } from '@/components/run-status-marker';

function RunLine() {
  const model = useRunStore((s) => (s.request?.kind === 'analysis' ? s.request.input.model : null));
  return (
    <RunModelLine
      model={model}
      testIdPrefix="analysis-"
      localNote="embedded engine"
      idle="The model explains the rule, suggests hints and predicts the test output, as a structured answer."
    />
  );
}

function LiveStats() {
  const tokens = useRunStore((s) => s.tokenCount);
  const elapsedMs = useRunStore((s) => s.timing.elapsedMs);
  const ttftMs = useRunStore((s) => s.timing.ttftMs);
  const fieldsDone = useRunStore((s) => (s.analysis ? Object.values(s.analysis.fieldStates).filter((f) => f === 'complete').length : 0));
  return (
    <RunStatList>
      <RunStat size="sm" label="Fields complete" testId="analysis-fields-done" value={`${fieldsDone} / 5`} />
      <RunStat size="sm" label="Text deltas" testId="analysis-token-count" value={formatCount(tokens)} />
      <RunStat size="sm" label="First token" testId="analysis-ttft" value={formatDuration(ttftMs)} />
      <RunStat size="sm" label="Elapsed" testId="analysis-elapsed" value={formatDuration(elapsedMs)} />
    </RunStatList>
  );
}

function EmptyState() {
  return (
    <div
      data-testid="analysis-empty"
      className="text-muted-foreground flex min-h-40 flex-col items-center justify-center gap-2 rounded-lg border border-dashed px-6 text-center text-sm"
    >
      <Sparkles className="size-5 opacity-60" aria-hidden />
      <p>Choose a model and press Start.</p>
      <p className="max-w-sm text-xs">The pattern, the strategy, hints, a confidence and the predicted grid appear one by one as the model writes them.</p>
    </div>
  );
}

function SavedLinks({ taskId }: { taskId: string }) {
  const runId = useRunStore((s) => s.runId);
  const status = useRunStore((s) => s.status);
  if (!runId || !isSettled(status) || status === 'idle') return null;
  return (
    <div data-testid="analysis-saved" className="bg-muted/40 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border px-4 py-3 text-sm">
      <span className="text-muted-foreground">This analysis is saved.</span>
      <Link
        href={savedAnalysisHref(taskId, runId)}
        data-testid="saved-analysis-link"
        className="inline-flex items-center gap-1 font-medium underline-offset-4 hover:underline"
      >
        Open the saved analysis
        <ArrowRight className="size-3.5" aria-hidden />
      </Link>
      <Link href={historyHref(taskId)} data-testid="analysis-history-link" className="text-muted-foreground inline-flex items-center gap-1 underline-offset-4 hover:underline">
        <History className="size-3.5" aria-hidden />
        All analyses of this puzzle
      </Link>
    </div>
  );
}

function LiveReport({ task }: { task: ArcTask }) {
  const status = useRunStore((s) => s.status);
  const view = useRunStore((s) => s.analysis);
  const live = !isSettled(status);

  if (status === 'idle') return <EmptyState />;
  if (!view) {
    if (!live) return null;
    return (
      <p data-testid="analysis-connecting" className="text-muted-foreground flex min-h-24 items-center justify-center gap-2 text-sm">
        <Loader2 className="size-4 animate-spin" aria-hidden />
        Starting the analysis…
      </p>
    );
  }

  const complete = view.complete;
  return (
    <div className="grid min-w-0 gap-6">
      <AnalysisNotices complete={complete} warnings={view.warnings} />
      <section data-testid="analysis-result" data-complete={complete !== null} className="grid min-w-0 gap-4">
        <SectionTitle aside={live && !complete ? 'Fields appear as the model completes them.' : undefined}>Result</SectionTitle>
        <AnalysisFieldsView fields={view.fields} fieldStates={view.fieldStates} test={task.test} live={live} />
      </section>
      {(view.enrichments.length > 0 || view.artifacts.length > 0) && (
        <section className="grid min-w-0 gap-3">
          <SectionTitle>Checks</SectionTitle>
          <EnrichmentChips enrichments={view.enrichments} />
          <Artifacts artifacts={view.artifacts} />
        </section>
      )}
      {view.toolCalls.length > 0 && (
        <section className="grid min-w-0 gap-3">
          <SectionTitle aside={`${view.toolCalls.length} ${view.toolCalls.length === 1 ? 'call' : 'calls'}`}>Tool calls</SectionTitle>
          <ToolCalls calls={view.toolCalls} />
        </section>
      )}
      <div className="grid min-w-0 gap-3">
        <TextPanel kind="reasoning" segments={view.reasoning} live={live} />
        <TextPanel kind="raw" segments={view.text} live={live} />
      </div>
      {complete && <AnalysisMetadata complete={complete} className="border-t pt-4" />}
    </div>
  );
}

function AnalysisPaneBody({ task, className }: { task: ArcTask; className?: string }) {
  return (
    <RunPane
      title="Analysis"
      description={<RunLine />}
      status={<RunStatusMarker testId="analysis-status" />}
      controls={<AnalysisOptions taskId={task.id} />}
      stats={<LiveStats />}
      outcome={<LiveReport task={task} />}
      testId="analysis-pane"
      className={cn('gap-5', className)}
    >
      <SavedLinks taskId={task.id} />
    </RunPane>
  );
}

export type AnalysisPaneProps = {
  task: ArcTask;
  className?: string;
};

/** The pane with its own run store. */
export function AnalysisPane({ task, className }: AnalysisPaneProps) {
  return (
    <SessionRunStoreProvider>
      <AnalysisPaneBody task={task} className={className} />
    </SessionRunStoreProvider>
  );
}
