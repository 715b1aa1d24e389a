/**
 * Resumes a run's stream as soon as the browser says it is worth trying: when the tab becomes
 * visible again (mobile browsers drop background connections) and when the `online` event fires.
 *
 * A tab coming back only skips a pending backoff wait (a healthy stream is left alone); coming
 * back online also drops an open connection, which may sit on a dead socket after a network
 * change, and resumes it from the last seq.
 */
import { isSettled, type RunStore } from './run-store';

/** The parts of `window` and `document` this needs; injectable for tests. */
export interface ConnectivityTargets {
  window: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  document: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & { visibilityState: DocumentVisibilityState };
}

/** Starts watching; returns the function that stops. */
export function watchConnectivity(store: RunStore, targets?: ConnectivityTargets): () => void {
  const resolved = targets ?? (typeof window === 'undefined' ? undefined : { window, document });
  if (!resolved) return () => {};

  const onVisibility = () => {
    if (resolved.document.visibilityState !== 'visible') return;
    if (store.getState().status === 'reconnecting') store.getState().reconnect();
  };
  const onOnline = () => {
    if (!isSettled(store.getState().status)) store.getState().reconnect();
  };

  resolved.document.addEventListener('visibilitychange', onVisibility);
  resolved.window.addEventListener('online', onOnline);
  return () => {
    resolved.document.removeEventListener('visibilitychange', onVisibility);
    resolved.window.removeEventListener('online', onOnline);
  };
}
