'use client';

/**
 * The answer as it streams. The store appends one segment per animation frame; each segment is
 * a memoised span keyed by its id, so a new frame mounts one span and re-renders none of the old.
 */
import { memo } from 'react';
import { cn } from '@/lib/cn';
import { StreamCaret } from '@/components/stream-marks';
import { useRunStore } from '@/stores/run-store-provider';
import type { TextSegment } from '@/stores/run-store';

const Segment = memo(function Segment({ text }: { text: string }) {
  return <span data-slot="answer-segment">{text}</span>;
});

export function SegmentText({ segments }: { segments: TextSegment[] }) {
  return segments.map((segment) => <Segment key={segment.id} text={segment.text} />);
}

export function AnswerView({ className }: { className?: string }) {
  const answer = useRunStore((s) => s.answer);
  const status = useRunStore((s) => s.status);
  const blocking = useRunStore((s) => s.delivery === 'blocking');
  const live = status === 'connecting' || status === 'streaming' || status === 'waiting' || status === 'reconnecting';

  if (answer.length === 0) {
    return (
      <div className={cn('text-muted-foreground flex min-h-40 items-center justify-center text-sm', className)}>
        <p data-testid="answer-empty">
          {status === 'idle' ? 'The answer will stream here.' : live ? (blocking ? 'The answer appears when the run ends…' : 'Waiting for the first token…') : 'No answer.'}
        </p>
      </div>
    );
  }

  return (
    <div className={cn('min-h-40', className)}>
      <p data-testid="answer" aria-live="off" className="text-[15px] leading-7 break-words whitespace-pre-wrap">
        <SegmentText segments={answer} />
        {live && <StreamCaret className="bg-foreground/70 h-[1.1em]" />}
      </p>
    </div>
  );
}
