/** The chat console page: a server-rendered shell around the client console. */
import type { Metadata } from 'next';
import { ChatConsole } from '@/components/chat-console';
import { SessionRunStoreProvider } from '@/components/auth/session-run-store-provider';

export const metadata: Metadata = { title: 'Console' };

export default function ConsolePage() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Console</h1>
        <p className="text-muted-foreground mt-1 text-sm">Pick a model, write a prompt, and watch the answer stream in.</p>
      </div>
      <SessionRunStoreProvider>
        <ChatConsole />
      </SessionRunStoreProvider>
    </main>
  );
}
