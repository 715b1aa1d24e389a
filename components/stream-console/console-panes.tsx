'use client';

/**
 * The panes of the StreamConsole page, as the page toolbar reaches them. Each pane keeps its own
 * run store (its own provider); inside a {@link ConsolePanesProvider} its form registers the store
 * and a `start()` that starts a run with what the form holds, so "Start both" starts each pane as
 * its own Start button would. Outside a provider registering does nothing: a pane works alone.
 */
import * as React from 'react';
import { useRunStoreApi } from '@/stores/run-store-provider';
import type { RunStore } from '@/stores/run-store';

export type ConsolePaneName = 'saturn' | 'grover';

export interface ConsolePane {
  store: RunStore;
  /** Starts a run with the pane's current settings; false when it cannot (running, no model, invalid field). */
  start(): boolean;
}

export interface ConsolePanes {
  get(name: ConsolePaneName): ConsolePane | undefined;
  register(name: ConsolePaneName, pane: ConsolePane): () => void;
  subscribe(listener: () => void): () => void;
  /** Changes identity whenever a pane registers or leaves. */
  version(): number;
}

function createConsolePanes(): ConsolePanes {
  const panes = new Map<ConsolePaneName, ConsolePane>();
  const listeners = new Set<() => void>();
  let version = 0;
  const changed = () => {
    version += 1;
    for (const listener of listeners) listener();
  };
  return {
    get: (name) => panes.get(name),
    register(name, pane) {
      panes.set(name, pane);
      changed();
      return () => {
        if (panes.get(name) !== pane) return;
        panes.delete(name);
        changed();
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
  };
}

const ConsolePanesContext = React.createContext<ConsolePanes | null>(null);

export function ConsolePanesProvider({ children }: { children: React.ReactNode }) {
  const [panes] = React.useState(createConsolePanes);
  return <ConsolePanesContext.Provider value={panes}>{children}</ConsolePanesContext.Provider>;
}

/**
 * Registers the pane whose run store is in scope. `start` may change every render; the latest
 * one is called.
 */
export function useConsolePane(name: ConsolePaneName, start: () => boolean): void {
  const panes = React.useContext(ConsolePanesContext);
  const store = useRunStoreApi();
  const startRef = React.useRef(start);
  React.useLayoutEffect(() => {
    startRef.current = start;
  });
  React.useEffect(() => {
    if (!panes) return;
    return panes.register(name, { store, start: () => startRef.current() });
  }, [panes, name, store]);
}

/** The registry, re-rendering the caller when a pane registers or leaves; throws outside the provider. */
export function useConsolePanes(): ConsolePanes {
  const panes = React.useContext(ConsolePanesContext);
  if (!panes) throw new Error('useConsolePanes must be used within <ConsolePanesProvider>');
  React.useSyncExternalStore(panes.subscribe, panes.version, panes.version);
  return panes;
}
