'use client';

/** The live status of the run, as a badge; `data-status` holds the raw status for tests. */
import { cva } from 'class-variance-authority';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/lib/cn';
import { LiveDot } from '@/components/stream-marks';
import { useRunStore } from '@/stores/run-store-provider';
import type { RunConnectionStatus } from '@/stores/run-store';

const LABELS: Record<RunConnectionStatus, string> = {
  idle: 'Idle',
  connecting: 'Connecting',
  streaming: 'Streaming',
  waiting: 'Working',
  reconnecting: 'Reconnecting',
  done: 'Done',
  error: 'Error',
  cancelled: 'Cancelled',
};

const statusBadgeVariants = cva('gap-1.5 font-medium', {
  variants: {
    status: {
      idle: 'text-muted-foreground',
      connecting: 'border-sky-500/30 bg-sky-500/10 text-sky-700 dark:text-sky-300',
      streaming: 'border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300',
      waiting: 'border-sky-500/30 bg-sky-500/10 text-sky-700 dark:text-sky-300',
      reconnecting: 'border-amber-500/30 bg-amber-500/10 text-amber-700 dark:text-amber-300',
      done: 'border-emerald-500/30 text-emerald-700 dark:text-emerald-300',
      error: 'border-destructive/30 bg-destructive/10 text-destructive',
      cancelled: 'text-muted-foreground',
    },
  },
});

export function RunStatusBadge({ className }: { className?: string }) {
  const status = useRunStore((s) => s.status);
  const stopping = useRunStore((s) => s.stopping);
  const live = status === 'connecting' || status === 'streaming' || status === 'waiting' || status === 'reconnecting';
  return (
    <Badge
      variant="outline"
      data-testid="run-status"
      data-status={status}
      role="status"
      aria-live="polite"
      className={cn(statusBadgeVariants({ status }), className)}
    >
      <LiveDot />
      {stopping && live ? 'Stopping' : LABELS[status]}
    </Badge>
  );
}
