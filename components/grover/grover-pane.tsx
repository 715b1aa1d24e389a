'use client';

/**
 * The Grover pane: iterative program synthesis on one ARC task, live. The options and Start /
 * Stop / Clear / Save on top; then the figures, the outcome (once done), the iteration timeline
 * and score trajectory, the model's text, and a card per candidate program as it arrives.
 *
 * It owns a run store (one per mounted pane); each part subscribes to the slice it shows, so a
 * streaming frame re-renders the text and the figures, and a program card only when its program
 * changes.
 */
import * as React from 'react';
import { LOCAL_ENGINE_NOTE } from '@/components/run-form-fields';
import { RunModelLine, RunPane, RunStat, RunStatList, SectionTitle } from '@/components/run-pane';
import type { ArcTask } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { formatCount, formatDuration } from '@/lib/format';
import { GROVER_LIMITS, type GroverProgram, type ScorePoint } from '@/lib/kinds/grover';
import { groverTranscriptFileName, groverTranscriptOf, groverTranscriptToJson, groverTranscriptToMarkdown } from '@/stores/grover-transcript';
import { useRunStore, useRunStoreApi } from '@/stores/run-store-provider';
import { SessionRunStoreProvider } from '@/components/auth/session-run-store-provider';
import type { RunInput } from '@/lib/kinds';
import { isSettled } from '@/stores/run-store';
import { warmUpHighlighter } from './code-view';
import { GroverOptions } from './grover-options';
import { GroverOutcome } from './grover-outcome';
import { GroverTokens } from './grover-tokens';
import { IterationTimeline } from './iteration-timeline';
import { formatScore, ProgramCard } from './program-card';
import { ScoreChart } from './score-chart';
import { RunStatusMarker } from '@/components/run-status-marker';
import { SaveTranscriptButtons } from '@/components/save-transcript-buttons';

const NO_PROGRAMS: GroverProgram[] = [];
const NO_POINTS: ScorePoint[] = [];
const DEFAULT_ITERATIONS = GROVER_LIMITS.iterations.default;
const DEFAULT_PROGRAMS = GROVER_LIMITS.programsPerIteration.default;
const SECTION_CLASS = 'grid min-w-0 grid-cols-1 gap-3';
/** Off screen, the browser skips the section's style, layout and paint (the stream goes on; it catches up when scrolled to). */
const RENDER_WHEN_VISIBLE = '[content-visibility:auto] [contain-intrinsic-size:auto_320px]';

/** The current run's Grover input, if the store's run is a Grover run. */
function useGroverInput(): RunInput<'grover'> | null {
  return useRunStore((s) => (s.request?.kind === 'grover' ? s.request.input : null));
}

function SaveActions() {
  const store = useRunStoreApi();
  const hasContent = useRunStore((s) => s.grover !== null || s.error !== null);
  return (
    <SaveTranscriptButtons
      testIdPrefix="grover-"
      disabled={!hasContent}
      build={(format) => {
        const transcript = groverTranscriptOf(store.getState());
        return {
          fileName: groverTranscriptFileName(transcript, format),
          content: format === 'md' ? groverTranscriptToMarkdown(transcript) : groverTranscriptToJson(transcript),
        };
      }}
    />
  );
}

function RunLine() {
  const input = useGroverInput();
  return (
    <RunModelLine
      model={input?.model}
      testIdPrefix="grover-"
      localNote={LOCAL_ENGINE_NOTE}
      idle="The model writes Python programs; each is run on the training pairs and scored."
    />
  );
}

function GroverStats() {
  const input = useGroverInput();
  const current = useRunStore((s) => s.grover?.currentIteration ?? 0);
  const bestScore = useRunStore((s) => (s.grover?.scores.length ? Math.max(...s.grover.scores.map((p) => p.score)) : null));
  const graded = useRunStore((s) => s.grover?.scores.length ?? 0);
  const written = useRunStore((s) => s.grover?.programs.length ?? 0);
  const tokens = useRunStore((s) => s.tokenCount);
  const elapsedMs = useRunStore((s) => s.timing.elapsedMs);
  const planned = input?.iterations ?? DEFAULT_ITERATIONS;
  return (
    <RunStatList className="sm:grid-cols-5">
      <RunStat label="Iteration" testId="grover-iteration" value={current > 0 ? `${current} / ${planned}` : '—'} />
      <RunStat label="Programs graded" testId="grover-graded" value={written > 0 ? `${graded} / ${written}` : '—'} />
      <RunStat
        label="Best score"
        testId="grover-best-score"
        value={bestScore === null ? '—' : formatScore(bestScore)}
        className={cn(bestScore !== null && bestScore >= 10 && 'text-emerald-700 dark:text-emerald-400')}
      />
      <RunStat label="Tokens" testId="grover-token-count" value={formatCount(tokens)} />
      <RunStat label="Elapsed" testId="grover-elapsed" value={formatDuration(elapsedMs)} />
    </RunStatList>
  );
}

function Trajectory() {
  const input = useGroverInput();
  const points = useRunStore((s) => s.grover?.scores ?? NO_POINTS);
  return (
    <ScoreChart points={points} iterations={input?.iterations ?? DEFAULT_ITERATIONS} perIteration={input?.programsPerIteration ?? DEFAULT_PROGRAMS} />
  );
}

function Timeline() {
  const input = useGroverInput();
  return <IterationTimeline planned={input?.iterations ?? DEFAULT_ITERATIONS} />;
}

function Programs({ trainCount }: { trainCount: number }) {
  // A new card (highlighted code, grids) is rendered as a transition, in slices that yield to the
  // browser, so a program arriving never holds the main thread while the text streams.
  const programs = React.useDeferredValue(useRunStore((s) => s.grover?.programs ?? NO_PROGRAMS));
  const bestProgramId = useRunStore((s) => s.grover?.bestProgramId ?? null);
  // Best of those graded so far, before the iteration's summary names one.
  const leading = useRunStore((s) => {
    const scores = s.grover?.scores;
    if (!scores?.length) return null;
    let top = scores[0]!;
    for (const p of scores) if (p.score > top.score) top = p;
    return top.programId;
  });
  const best = bestProgramId ?? leading;
  if (programs.length === 0) return null;
  // Newest iteration first; within one, in the order the model wrote them.
  const byIteration = new Map<number, GroverProgram[]>();
  for (const program of programs) byIteration.set(program.iteration, [...(byIteration.get(program.iteration) ?? []), program]);
  const groups = [...byIteration].sort(([a], [b]) => b - a);
  return (
    <div className="grid grid-cols-1 gap-5" data-testid="program-list">
      {groups.map(([iteration, group]) => (
        <section key={iteration} className="grid min-w-0 grid-cols-1 gap-3">
          <h4 className="text-muted-foreground text-xs font-medium tracking-wide uppercase">
            Iteration {iteration} · {group.length} {group.length === 1 ? 'program' : 'programs'}
          </h4>
          <div className="grid grid-cols-1 gap-3">
            {group.map((program) => (
              <ProgramCard key={program.programId} program={program} best={program.programId === best} trainCount={trainCount} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

function ProgramsPlaceholder() {
  const count = useRunStore((s) => s.grover?.programs.length ?? 0);
  const status = useRunStore((s) => s.status);
  if (count > 0) return null;
  const live = !isSettled(status);
  return (
    <p data-testid="programs-empty" className="text-muted-foreground flex min-h-16 items-center justify-center rounded-lg border border-dashed px-4 text-center text-sm">
      {status === 'idle'
        ? 'Each candidate appears here as soon as the model closes its code block.'
        : live
          ? 'Waiting for the first program…'
          : 'No program was written.'}
    </p>
  );
}

function GroverPaneBody({ task, className }: { task: ArcTask; className?: string }) {
  const started = useRunStore((s) => s.status !== 'idle');
  React.useEffect(() => warmUpHighlighter(), []);
  return (
    <RunPane
      title="Grover"
      description={<RunLine />}
      status={<RunStatusMarker testId="grover-status" />}
      controls={<GroverOptions taskId={task.id} actions={<SaveActions />} />}
      stats={<GroverStats />}
      outcome={<GroverOutcome test={task.test} />}
      testId="grover-pane"
      className={cn('gap-5', className)}
    >
        <section className="grid min-w-0 grid-cols-1 gap-3">
          <SectionTitle aside={started ? undefined : 'Each point is a program; the line is the best so far.'}>Score trajectory</SectionTitle>
          <Timeline />
          <Trajectory />
        </section>
        <section className={cn(SECTION_CLASS, RENDER_WHEN_VISIBLE)}>
          <SectionTitle>Model output</SectionTitle>
          <GroverTokens />
        </section>
        <section className={cn(SECTION_CLASS, RENDER_WHEN_VISIBLE)}>
          <SectionTitle>Programs</SectionTitle>
          <Programs trainCount={task.train.length} />
          <ProgramsPlaceholder />
        </section>
    </RunPane>
  );
}

export type GroverPaneProps = {
  task: ArcTask;
  className?: string;
};

/** The pane with its own run store. */
export function GroverPane({ task, className }: GroverPaneProps) {
  return (
    <SessionRunStoreProvider>
      <GroverPaneBody task={task} className={className} />
    </SessionRunStoreProvider>
  );
}
