/**
 * This browser's session, made sure of: {@link ensureSession} reads it and, when there is none,
 * signs in anonymously (one call at a time, shared by every caller), so that a first visit gets an
 * account and runs always have an owner. When the session can be neither read nor made, the
 * reason is kept as a sentence that pages show ({@link useSessionProblem}) instead of waiting
 * for a session that will not come.
 */
import { useSyncExternalStore } from 'react';
import { authClient } from './auth-client';

let problem: string | null = null;
const listeners = new Set<() => void>();
let ensuring: Promise<void> | null = null;

function setProblem(next: string | null): void {
  if (next === problem) return;
  problem = next;
  for (const listener of listeners) listener();
}

/** A sentence for a session that could not be read or made, from Better Auth's error (or a thrown one). */
export function describeSessionProblem(error: { status?: number; message?: string | undefined } | unknown): string {
  const { status, message } = (typeof error === 'object' && error !== null ? error : {}) as { status?: number; message?: string };
  if (status === undefined || status === 0) return 'Could not reach the server to start your session. Check your connection, then reload the page.';
  if (status === 429) return 'Too many new sessions from your address just now. Wait a few seconds, then reload the page.';
  const said = message ? `: ${message}` : '';
  return `The server could not start your session (it answered ${status}${said}). Reload the page to try again; if it keeps failing, the server's log says why.`;
}

/** Records that the session could not be read (the session bootstrap reports `useSession`'s error here). */
export function reportSessionProblem(sentence: string): void {
  setProblem(sentence);
}

/**
 * Resolves once this browser has a session, signing in anonymously when it has none; rejects with
 * an Error whose message is the sentence {@link useSessionProblem} then returns.
 */
export function ensureSession(): Promise<void> {
  ensuring ??= (async () => {
    const current = await authClient.getSession();
    if (current.error) throw new Error(describeSessionProblem(current.error));
    if (current.data) return;
    const signedIn = await authClient.signIn.anonymous();
    if (signedIn.error) throw new Error(describeSessionProblem(signedIn.error));
  })()
    .then(
      () => setProblem(null),
      (error: unknown) => {
        const sentence = error instanceof Error && error.message ? error.message : describeSessionProblem(error);
        setProblem(sentence);
        throw new Error(sentence);
      },
    )
    .finally(() => {
      ensuring = null;
    });
  return ensuring;
}

/** `fetch` that first makes sure of the session (run stores use it, so a Start pressed before the first visit's sign-in has finished still has an owner). */
export const sessionFetch: typeof fetch = async (...args) => {
  // If there is no session to be had, the request still goes: the server's 401 says what to do.
  await ensureSession().catch(() => undefined);
  return fetch(...args);
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Why this browser has no session, as a sentence; `null` while there is no known problem. */
export function useSessionProblem(): string | null {
  return useSyncExternalStore(
    subscribe,
    () => problem,
    () => null,
  );
}
