/** The steering page: a server-rendered shell around the client steer console. */
import type { Metadata } from 'next';
import { SteerConsole } from '@/components/steer/steer-console';
import { SessionRunStoreProvider } from '@/components/auth/session-run-store-provider';

export const metadata: Metadata = { title: 'Steer' };

export default function SteerPage() {
  return (
    <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6 sm:py-10">
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Steer</h1>
        <p className="text-muted-foreground mt-1 text-sm">
          Turn sparse-autoencoder features up or down on the embedded model and compare the default and steered text, token by token.
        </p>
      </div>
      <SessionRunStoreProvider>
        <SteerConsole />
      </SessionRunStoreProvider>
    </main>
  );
}
