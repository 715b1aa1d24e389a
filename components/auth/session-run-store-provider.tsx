'use client';

/** The run store provider of pages that start runs: its requests first make sure of the session (see session-state.ts). */
import type { ReactNode } from 'react';
import { RunStoreProvider } from '@/stores/run-store-provider';
import { sessionFetch } from './session-state';

const OPTIONS = { fetch: sessionFetch };

export function SessionRunStoreProvider({ children }: { children: ReactNode }) {
  return <RunStoreProvider options={OPTIONS}>{children}</RunStoreProvider>;
}
