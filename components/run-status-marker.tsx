'use client';

/** The run's status badge, wrapped with the test id and `data-status` a pane's tests read. */
import { RunStatusBadge } from '@/components/run-status-badge';
import { useRunStore } from '@/stores/run-store-provider';

export function RunStatusMarker({ testId }: { testId: string }) {
  const status = useRunStore((s) => s.status);
  return (
    <span data-testid={testId} data-status={status}>
      <RunStatusBadge />
    </span>
  );
}
