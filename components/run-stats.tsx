'use client';

/** The run's figures, measured in the browser: time to first token, tokens per second, token count. */
import { formatCount, formatDuration, formatRate } from '@/lib/format';
import { cn } from '@/lib/cn';
import { useRunStore } from '@/stores/run-store-provider';

function Stat({ label, value, unit, testId }: { label: string; value: string; unit?: string; testId: string }) {
  return (
    <div data-slot="run-stat" className="min-w-0">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd className="mt-1 flex items-baseline gap-1 font-mono text-lg font-medium tabular-nums">
        <span data-testid={testId}>{value}</span>
        {unit && value !== '—' && <span className="text-muted-foreground font-sans text-xs font-normal">{unit}</span>}
      </dd>
    </div>
  );
}

export function RunStats({ className }: { className?: string }) {
  const ttftMs = useRunStore((s) => s.timing.ttftMs);
  // Measured here when the tokens were spread out enough to measure; otherwise the server's figure.
  const tokensPerSecond = useRunStore((s) => s.timing.tokensPerSecond ?? s.result.metrics?.tokensPerSecond);
  const elapsedMs = useRunStore((s) => s.timing.elapsedMs);
  const tokenCount = useRunStore((s) => s.tokenCount);
  return (
    <dl className={cn('grid grid-cols-2 gap-4 sm:grid-cols-4', className)}>
      <Stat label="Time to first token" value={formatDuration(ttftMs)} testId="ttft" />
      <Stat label="Tokens per second" value={formatRate(tokensPerSecond)} unit="tok/s" testId="tps" />
      <Stat label="Tokens" value={formatCount(tokenCount)} testId="token-count" />
      <Stat label="Elapsed" value={formatDuration(elapsedMs)} testId="elapsed" />
    </dl>
  );
}
