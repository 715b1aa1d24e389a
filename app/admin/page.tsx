/**
 * Admin: the streaming flag's kill switch, rollout, allowlist, the share of users who get it, and
 * a per-user evaluation lookup. Admins only; anyone else gets a readable "admins only" page.
 */
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { AdminFlagsPanel } from '@/components/admin/admin-flags-panel';
import { AdminForbidden } from '@/components/admin/admin-forbidden';
import type { AdminFlagState } from '@/components/admin/types';
import { getAdminFlagState, getStreamingShareOfAllUsers, getViewerFromHeaders } from '@/lib/auth';

export const metadata: Metadata = { title: 'Admin' };
export const dynamic = 'force-dynamic';

export default async function AdminPage() {
  const viewer = await getViewerFromHeaders(await headers());
  if (!viewer || viewer.role !== 'admin') {
    return (
      <main className="mx-auto max-w-3xl px-4 py-8 sm:px-6 sm:py-10">
        <AdminForbidden signedIn={!!viewer && !viewer.isAnonymous} />
      </main>
    );
  }

  const [state, share] = await Promise.all([getAdminFlagState(), getStreamingShareOfAllUsers()]);
  // The same JSON the API answers with (dates as ISO strings).
  const initialState: AdminFlagState = { ...state, settings: { ...state.settings, updatedAt: state.settings.updatedAt?.toISOString() ?? null } };
  return (
    <main className="mx-auto flex max-w-5xl flex-col gap-6 px-4 py-8 sm:px-6 sm:py-10">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
        <p className="text-muted-foreground mt-1 text-sm">
          The <code>streaming</code> flag. Rules apply in order: kill switch, the user’s own choice, allowlist (and admins), rollout, default.
        </p>
      </div>
      <AdminFlagsPanel initialState={initialState} initialShare={share} />
    </main>
  );
}
