'use client';

/**
 * Provides one run store to a subtree: created once per mount with `useState`, so no state is
 * shared between requests or tabs. Watches connectivity for the store's lifetime and closes the
 * stream (without cancelling the run) when unmounted.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { watchConnectivity } from './run-connectivity';
import { createRunStore, type RunState, type RunStore, type RunStoreOptions } from './run-store';

const RunStoreContext = createContext<RunStore | null>(null);

export interface RunStoreProviderProps {
  children: ReactNode;
  /** Read once, on mount. */
  options?: RunStoreOptions;
}

export function RunStoreProvider({ children, options }: RunStoreProviderProps) {
  const [store] = useState(() => createRunStore(options));

  useEffect(() => {
    const unwatch = watchConnectivity(store);
    return () => {
      unwatch();
      store.getState().detach();
    };
  }, [store]);

  return <RunStoreContext.Provider value={store}>{children}</RunStoreContext.Provider>;
}

/** The store itself, for event handlers that read state without subscribing. */
export function useRunStoreApi(): RunStore {
  const store = useContext(RunStoreContext);
  if (!store) throw new Error('useRunStore must be used within <RunStoreProvider>');
  return store;
}

/** Subscribes to one value of the run store; throws outside {@link RunStoreProvider}. */
export function useRunStore<T>(selector: (state: RunState) => T): T {
  return useStore(useRunStoreApi(), selector);
}
