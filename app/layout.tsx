/**
 * Root layout: the document, global styles and the top navigation. Every page renders per
 * request (`connection()`): its scripts carry the CSP nonce proxy.ts made for that response.
 */
import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/site-header';
import './globals.css';
import { SessionBootstrap } from '@/components/auth/session-bootstrap';

export const metadata: Metadata = {
  title: { default: 'StreamConsole', template: '%s · StreamConsole' },
  description: 'Watch language models think, live: typed server-sent events from every run to the browser.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <SessionBootstrap />
        <SiteHeader />
        {children}
      </body>
    </html>
  );
}
