'use client';

/**
 * The Saturn pane: the phased visual solver on one ARC task, live. The options and Start / Stop /
 * Clear / Save on top; then the figures, the outcome (once done), the phase timeline, the
 * pictures the Python worker draws, and the model's text phase by phase.
 *
 * It owns a run store (one per mounted pane); each part subscribes to the slice it shows, so a
 * streaming frame re-renders the text of the phase being written and the figures, the timeline
 * when a step arrives, and the gallery when a picture arrives.
 */
import { LOCAL_ENGINE_NOTE } from '@/components/run-form-fields';
import { RunModelLine, RunPane, RunStat, RunStatList, SectionTitle } from '@/components/run-pane';
import type { ArcTask } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { formatCount, formatDuration } from '@/lib/format';
import type { RunInput } from '@/lib/kinds';
import { useRunStore, useRunStoreApi } from '@/stores/run-store-provider';
import { SessionRunStoreProvider } from '@/components/auth/session-run-store-provider';
import { SaturnGallery } from './saturn-gallery';
import { SaturnOptions } from './saturn-options';
import { SaturnOutcome } from './saturn-outcome';
import { SaturnReasoning } from './saturn-reasoning';
import { SaturnTimeline } from './saturn-timeline';
import { saturnTranscriptFileName, saturnTranscriptOf, saturnTranscriptToJson, saturnTranscriptToMarkdown } from './saturn-transcript';
import { RunStatusMarker } from '@/components/run-status-marker';
import { SaveTranscriptButtons } from '@/components/save-transcript-buttons';

/**
 * A section of the pane. Off screen the browser skips its style, layout and paint: the stream goes
 * on and the section catches up when scrolled to, so the pane costs little while it streams below
 * the fold.
 */
const SECTION_CLASS = 'grid min-w-0 grid-cols-1 gap-3 [content-visibility:auto] [contain-intrinsic-size:auto_320px]';

/** The current run's Saturn input, if the store's run is a Saturn run. */
function useSaturnInput(): RunInput<'saturn'> | null {
  return useRunStore((s) => (s.request?.kind === 'saturn' ? s.request.input : null));
}

function SaveActions() {
  const store = useRunStoreApi();
  const hasContent = useRunStore((s) => s.saturn !== null || s.error !== null);
  return (
    <SaveTranscriptButtons
      testIdPrefix="saturn-"
      disabled={!hasContent}
      build={(format) => {
        const transcript = saturnTranscriptOf(store.getState(), { origin: window.location.origin });
        return {
          fileName: saturnTranscriptFileName(transcript, format),
          content: format === 'md' ? saturnTranscriptToMarkdown(transcript) : saturnTranscriptToJson(transcript),
        };
      }}
    />
  );
}

function RunLine() {
  const input = useSaturnInput();
  return (
    <RunModelLine
      model={input?.model}
      testIdPrefix="saturn-"
      localNote={LOCAL_ENGINE_NOTE}
      idle="A Python worker draws each phase; the model looks at the pictures, describes, predicts, then answers."
    />
  );
}

function SaturnStats() {
  const step = useRunStore((s) => s.saturn?.currentStep ?? 0);
  const total = useRunStore((s) => s.saturn?.totalSteps ?? null);
  const images = useRunStore((s) => s.saturn?.images.length ?? 0);
  const tokens = useRunStore((s) => s.tokenCount);
  const elapsedMs = useRunStore((s) => s.timing.elapsedMs);
  return (
    <RunStatList>
      <RunStat label="Step" testId="saturn-step-count" value={step > 0 ? `${step}${total ? ` / ${total}` : ''}` : '—'} />
      <RunStat label="Pictures" testId="saturn-image-count" value={images > 0 ? formatCount(images) : '—'} />
      <RunStat label="Tokens" testId="saturn-token-count" value={formatCount(tokens)} />
      <RunStat label="Elapsed" testId="saturn-elapsed" value={formatDuration(elapsedMs)} />
    </RunStatList>
  );
}

function SaturnPaneBody({ task, className }: { task: ArcTask; className?: string }) {
  return (
    <RunPane
      title="Saturn"
      description={<RunLine />}
      status={<RunStatusMarker testId="saturn-status" />}
      controls={<SaturnOptions taskId={task.id} actions={<SaveActions />} />}
      stats={<SaturnStats />}
      outcome={<SaturnOutcome test={task.test} />}
      testId="saturn-pane"
      className={cn('gap-5', className)}
    >
        <section className={SECTION_CLASS}>
          <SectionTitle>Phases</SectionTitle>
          <SaturnTimeline />
        </section>
        <section className={SECTION_CLASS}>
          <SectionTitle aside="Click a picture to see it full size.">Pictures</SectionTitle>
          <SaturnGallery />
        </section>
        <section className={SECTION_CLASS}>
          <SectionTitle>Model reasoning</SectionTitle>
          <SaturnReasoning />
        </section>
    </RunPane>
  );
}

export type SaturnPaneProps = {
  task: ArcTask;
  className?: string;
};

/** The pane with its own run store. */
export function SaturnPane({ task, className }: SaturnPaneProps) {
  return (
    <SessionRunStoreProvider>
      <SaturnPaneBody task={task} className={className} />
    </SessionRunStoreProvider>
  );
}
