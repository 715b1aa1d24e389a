'use client';

/**
 * Share a saved run: "Share" makes a link that anyone can open without an account (shown once,
 * copied to the clipboard where the browser allows), "Revoke" closes every link of the run.
 * See docs/security.md, "Saved runs and sharing".
 */
import * as React from 'react';
import { Link2, Link2Off } from 'lucide-react';
import { ApiError, fetchJson } from '@/components/auth/fetch-json';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';

export type ShareRunButtonProps = {
  runId: string;
  /** Live links the run has already (their tokens are not shown again: only a revoke can close them). */
  liveShares?: number;
  className?: string;
};

export function ShareRunButton({ runId, liveShares = 0, className }: ShareRunButtonProps) {
  const [url, setUrl] = React.useState<string | null>(null);
  const [live, setLive] = React.useState(liveShares);
  const [busy, setBusy] = React.useState(false);
  const [note, setNote] = React.useState<string | null>(null);

  // A new run on the same page starts with no link.
  React.useEffect(() => {
    setUrl(null);
    setLive(liveShares);
    setNote(null);
  }, [runId, liveShares]);

  const endpoint = `/api/runs/${encodeURIComponent(runId)}/share`;

  async function share() {
    setBusy(true);
    setNote(null);
    try {
      const made = await fetchJson<{ url: string }>(endpoint, { method: 'POST' });
      setUrl(made.url);
      setLive((n) => n + 1);
      try {
        await navigator.clipboard.writeText(made.url);
        setNote('Link copied. Anyone with it can open this run.');
      } catch {
        setNote('Anyone with this link can open this run.');
      }
    } catch (error) {
      setNote(error instanceof ApiError ? error.message : 'Could not make a link.');
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    setBusy(true);
    try {
      await fetchJson(endpoint, { method: 'DELETE' });
      setUrl(null);
      setLive(0);
      setNote('Link revoked: it opens nothing now.');
    } catch (error) {
      setNote(error instanceof ApiError ? error.message : 'Could not revoke the link.');
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setNote('Link copied.');
    } catch {
      setNote('Select the link and copy it.');
    }
  }

  return (
    <div data-slot="share-run" data-testid="share-run" data-live={live} className={cn('grid gap-2', className)}>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="button" variant="outline" size="sm" onClick={() => void share()} disabled={busy} data-testid="share-create">
          <Link2 aria-hidden />
          {live > 0 ? 'New share link' : 'Share'}
        </Button>
        {live > 0 && (
          <Button type="button" variant="ghost" size="sm" onClick={() => void revoke()} disabled={busy} data-testid="share-revoke">
            <Link2Off aria-hidden />
            Revoke {live === 1 ? 'link' : `${live} links`}
          </Button>
        )}
      </div>
      {url && (
        <div className="flex items-center gap-2">
          <input
            readOnly
            aria-label="Share link"
            value={url}
            onFocus={(e) => e.currentTarget.select()}
            className="border-input bg-background h-8 min-w-0 flex-1 rounded-md border px-2 font-mono text-xs"
            data-testid="share-url"
          />
          <Button type="button" variant="secondary" size="sm" onClick={() => void copy()} data-testid="share-copy">
            Copy
          </Button>
        </div>
      )}
      {note && (
        <p className="text-muted-foreground text-xs" role="status" data-testid="share-note">
          {note}
        </p>
      )}
    </div>
  );
}
