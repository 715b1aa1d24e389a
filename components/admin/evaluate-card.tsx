'use client';

/** Why does this user get (or not get) streaming? A user id or email in, the evaluation and its reason out. */
import { useId, useState, type FormEvent } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Input } from '@/components/ui/input';
import { fetchJson } from '@/components/auth/fetch-json';
import { describeRule } from '@/components/settings/flag-types';
import type { StreamingExplanation } from './types';

export function EvaluateCard() {
  const id = useId();
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<StreamingExplanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function lookUp(event: FormEvent) {
    event.preventDefault();
    const who = query.trim();
    if (!who) return;
    setBusy(true);
    setError(null);
    try {
      const params = new URLSearchParams(who.includes('@') ? { email: who } : { userId: who });
      setResult(await fetchJson<StreamingExplanation>(`/api/admin/flags/evaluate?${params}`));
    } catch (e) {
      setResult(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const evaluation = result?.evaluation;
  return (
    <Card data-testid="evaluate-card">
      <CardHeader>
        <CardTitle>Look up a user</CardTitle>
        <CardDescription>How the streaming flag evaluates for one user right now, and which rule decided.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <form onSubmit={lookUp} className="flex flex-col gap-2">
          <Label htmlFor={`${id}-who`}>User id or email</Label>
          <div className="flex gap-2">
            <Input id={`${id}-who`} value={query} onChange={(e) => setQuery(e.target.value)} className="font-mono text-xs" data-testid="evaluate-input" />
            <Button type="submit" disabled={busy || query.trim() === ''} data-testid="evaluate-submit">
              {busy ? 'Looking…' : 'Evaluate'}
            </Button>
          </div>
        </form>
        {error && (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        )}
        {result && evaluation && (
          <div className="flex flex-col gap-3 rounded-lg border p-4" data-testid="evaluate-result" data-enabled={String(evaluation.enabled)} data-rule={evaluation.rule}>
            <div className="flex flex-wrap items-center gap-2">
              <Badge variant={evaluation.enabled ? 'default' : 'secondary'}>{evaluation.enabled ? 'Streaming on' : 'Streaming off'}</Badge>
              <code className="text-muted-foreground text-xs" data-testid="evaluate-reason">
                {evaluation.reason}
              </code>
            </div>
            <p className="text-sm">{describeRule(evaluation, { subject: 'this user' })}</p>
            <dl className="text-muted-foreground grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
              <dt>User</dt>
              <dd className="text-foreground">
                {result.user ? `${result.user.email ?? 'guest'} (${result.user.role})` : 'no account with this id (the rules still apply to it)'}
              </dd>
              <dt>Own choice</dt>
              <dd className="text-foreground">{result.preference === null ? 'follows the rollout' : result.preference ? 'on' : 'off'}</dd>
              <dt>Rule</dt>
              <dd className="text-foreground">{evaluation.rule}</dd>
              {evaluation.bucket !== undefined && (
                <>
                  <dt>Bucket</dt>
                  <dd className="text-foreground tabular-nums">{evaluation.bucket.toFixed(2)} / 100</dd>
                </>
              )}
            </dl>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
