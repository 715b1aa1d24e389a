'use client';

/**
 * Says plainly that part of a run is missing from what this pane shows: when the reader resumed,
 * the run's log no longer held some events (a long run trimmed, a finished run expired). The
 * server announces it with a `log_gap` status rather than serve a stream with a silent hole.
 */
import { TriangleAlert } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { useRunStore } from '@/stores/run-store-provider';

export function RunLogGapNote({ className }: { className?: string }) {
  const gaps = useRunStore((s) => s.logGaps);
  if (gaps.length === 0) return null;
  return (
    <Alert data-testid="run-log-gap" data-gaps={gaps.length} className={className}>
      <TriangleAlert aria-hidden />
      <AlertTitle>Part of this run is missing here</AlertTitle>
      <AlertDescription>
        {gaps.map((message, i) => (
          <p key={i}>{message}</p>
        ))}
        <p className="text-xs opacity-80">The connection was restored after the run&apos;s log had let those events go; everything after them is shown.</p>
      </AlertDescription>
    </Alert>
  );
}
