'use client';

/**
 * After a 429: how long until the server will take the request, counting down each second, then
 * a button that tries again. The deadline is fixed when the refusal arrives, so a re-render does
 * not restart the count.
 */
import * as React from 'react';
import { RotateCw } from 'lucide-react';
import { Button } from '@/components/ui/button';

export function RetryCountdown({ retryAfterMs, onRetry }: { retryAfterMs: number; onRetry: () => void }) {
  const [deadline] = React.useState(() => Date.now() + retryAfterMs);
  const [left, setLeft] = React.useState(() => Math.max(0, deadline - Date.now()));

  React.useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft(Math.max(0, deadline - Date.now())), Math.min(1000, left));
    return () => clearTimeout(timer);
  }, [deadline, left]);

  const secondsLeft = Math.ceil(left / 1000);
  return (
    <div className="mt-2 flex items-center gap-3" data-testid="retry-countdown" data-seconds-left={secondsLeft}>
      {secondsLeft > 0 ? (
        <span className="tabular-nums" role="timer" aria-live="off">
          You can try again in {secondsLeft} s.
        </span>
      ) : (
        <span>You can try again now.</span>
      )}
      <Button type="button" size="sm" variant="outline" disabled={secondsLeft > 0} onClick={onRetry} data-testid="retry-run">
        <RotateCw aria-hidden /> Try again
      </Button>
    </div>
  );
}
