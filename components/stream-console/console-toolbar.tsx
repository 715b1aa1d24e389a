'use client';

/**
 * The StreamConsole page's toolbar: drives both panes at once. Start both (each pane with its own
 * settings), Stop both, Pause rendering (both panes' token animators hold their envelopes; the
 * streams go on and nothing is lost; Resume shows everything at once), Clear both, and one
 * transcript of both runs as Markdown or JSON.
 */
import * as React from 'react';
import { Download, Eraser, Pause, Play, PlayCircle, Square } from 'lucide-react';
import { useStore } from 'zustand';
import { saturnTranscriptOf } from '@/components/saturn/saturn-transcript';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { groverTranscriptOf } from '@/stores/grover-transcript';
import { createRunStore, isSettled, type RunState, type RunStore } from '@/stores/run-store';
import { useConsolePanes, type ConsolePane, type ConsolePaneName } from './console-panes';
import { consoleTranscriptFileName, consoleTranscriptToJson, consoleTranscriptToMarkdown, type ConsoleTranscript } from './console-transcript';
import { downloadText } from '@/components/download-text';

const NAMES: ConsolePaneName[] = ['saturn', 'grover'];

/** One value of a pane's store, or of an idle stand-in while the pane is not registered. */
function usePaneValue<T>(pane: ConsolePane | undefined, fallback: RunStore, selector: (state: RunState) => T): T {
  return useStore(pane?.store ?? fallback, selector);
}

const LABELS: Record<RunState['status'], string> = {
  idle: 'idle',
  connecting: 'connecting',
  streaming: 'streaming',
  waiting: 'working',
  reconnecting: 'reconnecting',
  done: 'done',
  error: 'failed',
  cancelled: 'stopped',
};

export function ConsoleToolbar({ taskId, className }: { taskId: string; className?: string }) {
  const panes = useConsolePanes();
  const [fallback] = React.useState(() => createRunStore());
  const saturn = panes.get('saturn');
  const grover = panes.get('grover');
  const saturnStatus = usePaneValue(saturn, fallback, (s) => s.status);
  const groverStatus = usePaneValue(grover, fallback, (s) => s.status);
  const saturnPaused = usePaneValue(saturn, fallback, (s) => s.paused);
  const groverPaused = usePaneValue(grover, fallback, (s) => s.paused);

  const statuses = [saturnStatus, groverStatus];
  const anyRunning = statuses.some((s) => !isSettled(s));
  const anySettled = statuses.some((s) => isSettled(s));
  const allSettled = statuses.every((s) => isSettled(s));
  const anyRun = statuses.some((s) => s !== 'idle');
  const paused = saturnPaused || groverPaused;

  /**
   * Runs `f` on each pane, yielding to the browser between them: each pane's re-render (a start
   * or a clear re-renders most of a pane) lands in a task of its own rather than one long task.
   */
  const each = async (f: (pane: ConsolePane) => void) => {
    for (const [i, name] of NAMES.entries()) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      const pane = panes.get(name);
      if (pane) f(pane);
    }
  };
  const startBoth = () =>
    void each((pane) => {
      if (pane.store.getState().paused) pane.store.getState().resume();
      pane.start();
    });
  const stopBoth = () => void each((pane) => void pane.store.getState().stop());
  const togglePause = () => {
    // Both at once, so the two panes freeze (and catch up) on the same frame.
    for (const name of NAMES) {
      const store = panes.get(name)?.store.getState();
      if (store) (paused ? store.resume : store.pause)();
    }
  };
  const clearBoth = () => void each((pane) => isSettled(pane.store.getState().status) && pane.store.getState().clear());
  const save = (format: 'md' | 'json') => {
    const origin = window.location.origin;
    const saturnState = saturn?.store.getState();
    const groverState = grover?.store.getState();
    const transcript: ConsoleTranscript = {
      kind: 'stream-console',
      taskId,
      savedAt: new Date().toISOString(),
      saturn: saturnState && saturnState.status !== 'idle' ? saturnTranscriptOf(saturnState, { origin }) : null,
      grover: groverState && groverState.status !== 'idle' ? groverTranscriptOf(groverState) : null,
    };
    if (format === 'md') downloadText(consoleTranscriptFileName(transcript, 'md'), 'text/markdown;charset=utf-8', consoleTranscriptToMarkdown(transcript));
    else downloadText(consoleTranscriptFileName(transcript, 'json'), 'application/json', consoleTranscriptToJson(transcript));
  };

  return (
    <div
      role="toolbar"
      aria-label="Both panes"
      data-testid="console-toolbar"
      className={cn('bg-background flex flex-wrap items-center gap-2 rounded-xl border px-3 py-2 shadow-xs', className)}
    >
      <Button type="button" size="sm" data-testid="console-start-both" disabled={!anySettled} onClick={startBoth}>
        <PlayCircle aria-hidden />
        Start both
      </Button>
      <Button type="button" size="sm" variant="outline" data-testid="console-stop-both" disabled={!anyRunning} onClick={stopBoth}>
        <Square aria-hidden />
        Stop both
      </Button>
      <Button
        type="button"
        size="sm"
        variant={paused ? 'secondary' : 'outline'}
        data-testid="console-pause"
        data-paused={paused}
        aria-pressed={paused}
        disabled={!paused && !anyRunning}
        onClick={togglePause}
      >
        {paused ? <Play aria-hidden /> : <Pause aria-hidden />}
        {paused ? 'Resume rendering' : 'Pause rendering'}
      </Button>
      <Button type="button" size="sm" variant="ghost" data-testid="console-clear-both" disabled={!allSettled || !anyRun} onClick={clearBoth}>
        <Eraser aria-hidden />
        Clear both
      </Button>
      <span className="bg-border mx-1 hidden h-5 w-px sm:block" aria-hidden />
      <span className="text-muted-foreground text-xs">Transcript of both</span>
      <Button type="button" size="sm" variant="outline" data-testid="console-save-md" disabled={!anyRun} onClick={() => save('md')}>
        <Download aria-hidden />
        Markdown
      </Button>
      <Button type="button" size="sm" variant="outline" data-testid="console-save-json" disabled={!anyRun} onClick={() => save('json')}>
        <Download aria-hidden />
        JSON
      </Button>
      <p className="text-muted-foreground ml-auto text-xs" aria-live="polite" data-testid="console-summary">
        {paused ? (
          <span className="text-amber-700 dark:text-amber-400">Rendering paused · the streams go on and catch up on resume</span>
        ) : (
          <>
            Saturn <span className="text-foreground">{LABELS[saturnStatus]}</span> · Grover <span className="text-foreground">{LABELS[groverStatus]}</span>
          </>
        )}
      </p>
    </div>
  );
}
