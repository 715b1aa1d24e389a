'use client';

/**
 * What a reader whose streaming is off sees: while the run works on the server, its progress
 * (tokens so far, time, the latest status message); once it ends, a quiet line saying the
 * result came whole. Nothing when the run streams.
 */
import Link from 'next/link';
import { Hourglass } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { useRunStore } from '@/stores/run-store-provider';

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

export function RunDeliveryNote({ className }: { className?: string }) {
  const delivery = useRunStore((s) => s.delivery);
  const status = useRunStore((s) => s.status);
  const progress = useRunStore((s) => s.progress);
  if (delivery !== 'blocking') return null;

  if (status === 'waiting' || status === 'reconnecting') {
    return (
      <Alert data-testid="run-delivery" data-delivery="blocking" data-state="working" className={className}>
        <Hourglass aria-hidden className="animate-pulse" />
        <AlertTitle>Working on it: the whole result appears when the run ends</AlertTitle>
        <AlertDescription>
          <p data-testid="run-progress" data-tokens={progress?.tokenCount ?? 0} className="tabular-nums">
            {progress
              ? `${progress.tokenCount.toLocaleString()} tokens so far · ${seconds(progress.elapsedMs)}${progress.statusMessage ? ` · ${progress.statusMessage}` : ''}`
              : 'Started…'}
          </p>
          <p className="text-xs opacity-80">
            Streaming is off for you. <Link className="underline underline-offset-2" href="/settings">Change it in Settings</Link>.
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <p data-testid="run-delivery" data-delivery="blocking" data-state="ended" className={`text-muted-foreground text-xs ${className ?? ''}`}>
      Delivered whole, not streamed (streaming is off for you).
    </p>
  );
}
