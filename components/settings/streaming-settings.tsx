'use client';

/**
 * The user's streaming choice (on, off, or follow the rollout) and what they get now, with the
 * rule that decided it. Waits for the session (a first visit gets an anonymous one) and reloads
 * when the account changes; when there is no session to be had, it says why instead of waiting.
 */
import { useCallback, useEffect, useState } from 'react';
import { RadioGroup } from 'radix-ui';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { authClient } from '@/components/auth/auth-client';
import { fetchJson } from '@/components/auth/fetch-json';
import { useSessionProblem } from '@/components/auth/session-state';
import { cn } from '@/lib/cn';
import { describeRule, type MyFlags } from './flag-types';

type Choice = 'on' | 'off' | 'rollout';

const CHOICES: { value: Choice; label: string; hint: string }[] = [
  { value: 'on', label: 'On', hint: 'Answers appear token by token as the model writes.' },
  { value: 'off', label: 'Off', hint: 'Answers appear at once when the run is done.' },
  { value: 'rollout', label: 'Follow rollout', hint: 'Whatever the current rollout gives you.' },
];

const choiceOf = (streaming: boolean | null): Choice => (streaming === null ? 'rollout' : streaming ? 'on' : 'off');
const streamingOf = (choice: Choice): boolean | null => (choice === 'rollout' ? null : choice === 'on');

export function StreamingSettings() {
  const { data: session, isPending } = authClient.useSession();
  const sessionProblem = useSessionProblem();
  const userId = session?.user.id;
  const [flags, setFlags] = useState<MyFlags | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState<Choice | null>(null);

  useEffect(() => {
    if (!userId) return;
    const controller = new AbortController();
    setFlags(null);
    setError(null);
    fetchJson<MyFlags>('/api/me/flags', { signal: controller.signal })
      .then(setFlags)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    return () => controller.abort();
  }, [userId]);

  const choose = useCallback(async (choice: Choice) => {
    setSaving(choice);
    setError(null);
    try {
      setFlags(await fetchJson<MyFlags>('/api/me/preferences', { method: 'PUT', body: { streaming: streamingOf(choice) } }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(null);
    }
  }, []);

  const current = flags ? choiceOf(flags.preferences.streaming) : null;
  const evaluation = flags?.flags.streaming;
  // Without a session there is nothing to load: the problem is shown rather than "Loading…".
  const shownError = error ?? (userId ? null : sessionProblem);
  const loading = !flags && !shownError;

  return (
    <Card data-testid="streaming-settings" data-state={loading ? 'loading' : flags ? 'ready' : 'error'}>
      <CardHeader>
        <CardTitle>Streaming</CardTitle>
        <CardDescription>Watch answers arrive as they are written, or get each one whole when it is done. The result is the same either way.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <RadioGroup.Root
          aria-label="Streaming"
          value={saving ?? current ?? ''}
          onValueChange={(value) => void choose(value as Choice)}
          disabled={!flags || saving !== null || (!userId && !isPending)}
          className="grid gap-2 sm:grid-cols-3"
          data-testid="streaming-choice"
        >
          {CHOICES.map((choice) => (
            <RadioGroup.Item
              key={choice.value}
              value={choice.value}
              data-testid={`streaming-${choice.value}`}
              className={cn(
                'flex flex-col items-start gap-1 rounded-lg border p-3 text-left text-sm transition-colors outline-none',
                'hover:bg-accent focus-visible:ring-ring/50 focus-visible:ring-[3px] disabled:cursor-not-allowed disabled:opacity-60',
                'data-[state=checked]:border-primary data-[state=checked]:bg-primary/5 data-[state=checked]:ring-primary/30 data-[state=checked]:ring-1',
              )}
            >
              <span className="flex items-center gap-2 font-medium">
                <span className="border-input flex size-4 items-center justify-center rounded-full border" aria-hidden>
                  <RadioGroup.Indicator className="bg-primary size-2 rounded-full" />
                </span>
                {choice.label}
              </span>
              <span className="text-muted-foreground text-xs">{choice.hint}</span>
            </RadioGroup.Item>
          ))}
        </RadioGroup.Root>

        <div className="bg-muted/40 flex flex-col gap-2 rounded-lg border p-4" data-testid="streaming-evaluation" data-enabled={evaluation ? String(evaluation.enabled) : undefined} data-rule={evaluation?.rule}>
          <div className="text-muted-foreground text-xs font-medium tracking-wide uppercase">What you get now</div>
          {evaluation ? (
            <>
              <div className="flex flex-wrap items-center gap-2">
                <Badge variant={evaluation.enabled ? 'default' : 'secondary'} data-testid="streaming-enabled">
                  {evaluation.enabled ? 'Streaming on' : 'Streaming off'}
                </Badge>
                <code className="text-muted-foreground text-xs" data-testid="streaming-reason" title="OpenFeature reason">
                  {evaluation.reason}
                </code>
              </div>
              <p className="text-sm" data-testid="streaming-rule">
                {describeRule(evaluation)}
              </p>
            </>
          ) : (
            <p className="text-muted-foreground text-sm">{shownError ? 'Not available.' : 'Loading…'}</p>
          )}
        </div>

        {shownError && (
          <Alert variant="destructive" role="alert" data-testid="streaming-error">
            <AlertDescription>{shownError}</AlertDescription>
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}
