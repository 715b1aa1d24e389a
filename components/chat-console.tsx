'use client';

/**
 * The chat console: the run form on the left, the run's output on the right (status, figures,
 * reasoning, answer, transcript downloads). Each part subscribes to the slice of the run store it
 * shows, so a streaming frame re-renders the answer and the figures, not the form.
 */
import { Pause, Play } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { AnswerView } from './answer-view';
import { ChatForm, fieldOf } from './chat-form';
import { ReasoningPanel } from './reasoning-panel';
import { RunPane } from './run-pane';
import { RunStats } from './run-stats';
import { RunStatusBadge } from './run-status-badge';
import { TranscriptActions } from './transcript-actions';

function PauseToggle() {
  const paused = useRunStore((s) => s.paused);
  const live = useRunStore((s) => !isSettled(s.status));
  const pause = useRunStore((s) => s.pause);
  const resume = useRunStore((s) => s.resume);
  if (!live && !paused) return null;
  return (
    <Button type="button" variant="ghost" size="sm" data-testid="pause-view" onClick={paused ? resume : pause}>
      {paused ? <Play aria-hidden /> : <Pause aria-hidden />}
      {paused ? 'Resume view' : 'Pause view'}
    </Button>
  );
}

function RunIdLine() {
  const runId = useRunStore((s) => s.runId);
  const model = useRunStore((s) => s.input?.model);
  if (!runId && !model) return <>Start a run to see its answer here.</>;
  return (
    <span className="font-mono text-xs">
      {model}
      {runId && <span className="opacity-70"> · {runId}</span>}
    </span>
  );
}

export function ChatConsole() {
  return (
    <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,380px)_minmax(0,1fr)]">
      <Card className="lg:sticky lg:top-20">
        <CardHeader>
          <CardTitle>New run</CardTitle>
          <CardDescription>The answer streams as the model writes it.</CardDescription>
        </CardHeader>
        <CardContent>
          <ChatForm />
        </CardContent>
      </Card>

      <RunPane
        title="Output"
        titleClassName=""
        description={<RunIdLine />}
        descriptionClassName="truncate"
        status={<RunStatusBadge />}
        controls={<RunStats />}
        placedFields={(path) => fieldOf(path) !== undefined}
        contentClassName="gap-5"
        footer={
          <>
            <TranscriptActions />
            <PauseToggle />
          </>
        }
      >
        <ReasoningPanel />
        <AnswerView />
      </RunPane>
    </div>
  );
}
