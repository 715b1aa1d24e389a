/**
 * The steering page: a server-rendered shell around the client steer console. With
 * `?share=<token>` (where a shared steer's link `/s/<token>` leads) it opens that steer's settings
 * and saved text, readable without an account.
 */
import type { Metadata } from 'next';
import { SteerConsole } from '@/components/steer/steer-console';
import { SessionRunStoreProvider } from '@/components/auth/session-run-store-provider';
import { loadSharedSteer } from './shared';

export const dynamic = 'force-dynamic';

// A share token may be in the URL: send no referrer to other sites (see app/s/[token]/page.tsx).
export const metadata: Metadata = { title: 'Steer', referrer: 'same-origin' };

type Props = { searchParams: Promise<{ share?: string | string[] }> };

export default async function SteerPage({ searchParams }: Props) {
  const { share } = await searchParams;
  const token = typeof share === 'string' ? share : undefined;
  const shared = token ? await loadSharedSteer(token) : null;

  return (
    <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6 sm:py-10">
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Steer</h1>
        <p className="text-muted-foreground mt-1 text-sm">
          Turn sparse-autoencoder features up or down on the embedded model and compare the default and steered text, token by token.
        </p>
        {token && (
          <p className="mt-2 text-sm" data-testid={shared ? 'steer-shared-note' : 'steer-shared-missing'}>
            {shared
              ? 'A shared steer: its settings and saved text. Change anything to generate your own.'
              : 'This share link opens nothing: it may have been revoked.'}
          </p>
        )}
      </div>
      <SessionRunStoreProvider>
        <SteerConsole shared={shared ?? undefined} />
      </SessionRunStoreProvider>
    </main>
  );
}
