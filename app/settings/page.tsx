/** Settings: the visitor's account and their streaming choice, with what they get now and why. */
import type { Metadata } from 'next';
import { AccountCard } from '@/components/settings/account-card';
import { StreamingSettings } from '@/components/settings/streaming-settings';

export const metadata: Metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-8 sm:px-6 sm:py-10">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="text-muted-foreground mt-1 text-sm">How StreamConsole shows your runs.</p>
      </div>
      <StreamingSettings />
      <AccountCard />
    </main>
  );
}
