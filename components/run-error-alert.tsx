'use client';

/**
 * Why a run failed, in words: HTTP error answers (with field errors the form could not place),
 * `error` envelopes from the run, and connections that could not be restored. A run stopped by
 * something other than the user (a time limit, a server shutdown) gets a calm note instead.
 * A run refused for a limit (429) counts down the server's `Retry-After`, then offers to try again.
 */
import { AlertCircle, Info } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { useRunStore, useRunStoreApi } from '@/stores/run-store-provider';
import { RetryCountdown } from './retry-countdown';
import type { RunError } from '@/stores/run-store';

function titleOf(error: RunError): string {
  if (error.code === 'network' || error.code === 'idle' || error.code === 'ended') return 'The connection was lost';
  if (error.httpStatus === 400) return 'The run could not start';
  if (error.httpStatus === 401 || error.httpStatus === 403) return 'Not allowed';
  if (error.httpStatus === 429) return 'Too many runs at once';
  if (error.code.startsWith('provider:')) return 'The model provider failed';
  if (error.httpStatus !== undefined && error.httpStatus >= 500) return 'The server failed';
  return 'The run failed';
}

const CANCEL_NOTES: Record<string, string> = {
  timeout: 'The run reached its time limit and was stopped.',
  abandoned: 'The run was stopped because no one was reading it.',
  shutdown: 'The run was stopped because the server is shutting down.',
};

export interface RunErrorAlertProps {
  /** Field errors shown beside their fields; the rest are listed here. */
  placedFields?: (path: string) => boolean;
  className?: string;
}

export function RunErrorAlert({ placedFields, className }: RunErrorAlertProps) {
  const status = useRunStore((s) => s.status);
  const error = useRunStore((s) => s.error);
  const request = useRunStore((s) => s.request);
  const startedAt = useRunStore((s) => s.timing.startedAt);
  const store = useRunStoreApi();
  if (!error) return null;

  if (status === 'cancelled') {
    const note = error.reason ? CANCEL_NOTES[error.reason] : undefined;
    if (!note) return null;
    return (
      <Alert data-testid="run-note" className={className}>
        <Info aria-hidden />
        <AlertTitle>Run stopped</AlertTitle>
        <AlertDescription>{note}</AlertDescription>
      </Alert>
    );
  }

  const unplaced = (error.fieldErrors ?? []).filter((f) => !placedFields?.(f.path));
  return (
    <Alert variant="destructive" data-testid="run-error" data-code={error.code} className={className}>
      <AlertCircle aria-hidden />
      <AlertTitle>{titleOf(error)}</AlertTitle>
      <AlertDescription>
        <p>{error.message}</p>
        {unplaced.length > 0 && (
          <ul className="list-inside list-disc">
            {unplaced.map((f) => (
              <li key={`${f.path}:${f.message}`}>
                <span className="font-mono text-xs">{f.path}</span>: {f.message}
              </li>
            ))}
          </ul>
        )}
        <p className="font-mono text-xs opacity-70">{error.httpStatus ? `${error.httpStatus} · ${error.code}` : error.code}</p>
        {error.httpStatus === 429 && request && (
          // Keyed by the attempt, so a second refusal starts a fresh countdown.
          <RetryCountdown key={startedAt} retryAfterMs={error.retryAfterMs ?? 1000} onRetry={() => store.getState().startRun(request)} />
        )}
      </AlertDescription>
    </Alert>
  );
}
