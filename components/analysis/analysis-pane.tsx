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
import * as React from 'react';
import Link from 'next/link';
import { ArrowRight, History, Loader2, Sparkles } from 'lucide-react';
import { RunDeliveryNote } from '@/components/run-delivery-note';
import { RunLogGapNote } from '@/components/run-log-gap-note';
import { RunErrorAlert } from '@/components/run-error-alert';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Separator } from '@/components/ui/separator';
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
import { AnalysisOptions, isLocalModel } from './analysis-options';
import { TextPanel } from './analysis-text';
import { RunStatusMarker } from '@/components/run-status-marker';

function RunLine() {
  const model = useRunStore((s) => (s.request?.kind === 'analysis' ? s.request.input.model : null));
  const runId = useRunStore((s) => s.runId);
  if (!model) return <>The model explains the rule, suggests hints and predicts the test output, as a structured answer.</>;
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-0.5 font-mono text-xs">
      <span data-testid="analysis-model">{model}</span>
      {isLocalModel(model) && <span className="text-muted-foreground font-sans">· embedded engine</span>}
      {runId && <span className="opacity-70">· {runId}</span>}
    </span>
  );
}

function Stat({ label, value, testId }: { label: string; value: React.ReactNode; testId: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd data-testid={testId} className="mt-0.5 font-mono text-sm font-medium tabular-nums">
        {value}
      </dd>
    </div>
  );
}

function LiveStats() {
  const tokens = useRunStore((s) => s.tokenCount);
  const elapsedMs = useRunStore((s) => s.timing.elapsedMs);
  const ttftMs = useRunStore((s) => s.timing.ttftMs);
  const fieldsDone = useRunStore((s) => (s.analysis ? Object.values(s.analysis.fieldStates).filter((f) => f === 'complete').length : 0));
  return (
    <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
      <Stat label="Fields complete" testId="analysis-fields-done" value={`${fieldsDone} / 5`} />
      <Stat label="Text deltas" testId="analysis-token-count" value={formatCount(tokens)} />
      <Stat label="First token" testId="analysis-ttft" value={formatDuration(ttftMs)} />
      <Stat label="Elapsed" testId="analysis-elapsed" value={formatDuration(elapsedMs)} />
    </dl>
  );
}

function SectionTitle({ children, aside }: { children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-2">
      <h3 className="text-sm font-semibold">{children}</h3>
      {aside && <span className="text-muted-foreground text-xs">{aside}</span>}
    </div>
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
    <Card className={cn('min-w-0 gap-5', className)} data-testid="analysis-pane">
      <CardHeader>
        <CardTitle className="text-base">Analysis</CardTitle>
        <CardDescription className="min-w-0">
          <RunLine />
        </CardDescription>
        <CardAction>
          <RunStatusMarker testId="analysis-status" />
        </CardAction>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-6">
        <AnalysisOptions taskId={task.id} />
        <Separator />
        <LiveStats />
        <RunDeliveryNote />
        <RunLogGapNote />
        <RunErrorAlert />
        <LiveReport task={task} />
        <SavedLinks taskId={task.id} />
      </CardContent>
    </Card>
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
