'use client';

/**
 * The streaming flag, for admins: the kill switch, the rollout (percentage and what everyone
 * else gets), the allowlist, the share of users who get streaming now, and a lookup that says
 * why one user gets what they get. Every change is saved at once through `PUT /api/admin/flags`
 * and the share is counted again.
 */
import { useCallback, useRef, useState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { fetchJson } from '@/components/auth/fetch-json';
import { AllowlistCard } from './allowlist-card';
import { EvaluateCard } from './evaluate-card';
import { KillSwitchCard } from './kill-switch-card';
import { RolloutCard } from './rollout-card';
import { ShareCard } from './share-card';
import type { AdminFlagState, FlagsPatch, StreamingShare } from './types';

export function AdminFlagsPanel({ initialState, initialShare }: { initialState: AdminFlagState; initialShare: StreamingShare }) {
  const [state, setState] = useState(initialState);
  const [share, setShare] = useState(initialShare);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);

  // Counts can overlap (two quick saves); only the newest one's answer is shown, and the card
  // says it is counting until that one is in.
  const latestCount = useRef(0);
  const refreshShare = useCallback(async () => {
    const count = ++latestCount.current;
    setRefreshing(true);
    try {
      const counted = await fetchJson<StreamingShare>('/api/admin/flags/share');
      if (count === latestCount.current) setShare(counted);
    } catch (e) {
      if (count === latestCount.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (count === latestCount.current) setRefreshing(false);
    }
  }, []);

  /** Saves a change; resolves true when saved (the caller keeps its draft otherwise). */
  const save = useCallback(
    async (patch: FlagsPatch): Promise<boolean> => {
      setError(null);
      try {
        setState(await fetchJson<AdminFlagState>('/api/admin/flags', { method: 'PUT', body: patch }));
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return false;
      }
      await refreshShare();
      return true;
    },
    [refreshShare],
  );

  const { settings } = state;
  return (
    <div className="flex flex-col gap-6" data-testid="admin-flags" data-updated-at={settings.updatedAt ?? ''}>
      {error && (
        <Alert variant="destructive" role="alert" data-testid="admin-error">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <KillSwitchCard killSwitch={settings.killSwitch} onChange={(killSwitch) => save({ killSwitch })} />
      <div className="grid gap-6 lg:grid-cols-2">
        <RolloutCard percentage={settings.percentage} defaultValue={settings.defaultValue} killSwitch={settings.killSwitch} onSave={save} />
        <ShareCard share={share} refreshing={refreshing} onRefresh={refreshShare} />
      </div>
      <AllowlistCard entries={state.allowlist} onSave={(allowlist) => save({ allowlist })} />
      <EvaluateCard />
      <p className="text-muted-foreground text-xs" data-testid="admin-updated-at">
        {settings.updatedAt ? `Last saved ${new Date(settings.updatedAt).toLocaleString()}.` : 'Built-in defaults: nothing saved yet.'}
      </p>
    </div>
  );
}
