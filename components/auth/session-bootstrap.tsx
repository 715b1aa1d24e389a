'use client';

/**
 * Gives every visitor an account without a sign-up wall: when the page loads with no session, it
 * signs in anonymously once, so runs started from here have an owner. Signing up or in later
 * replaces the anonymous account and takes its runs along. When the session cannot be read or
 * made, it records why (components/auth/session-state.ts) for the page to say. Renders nothing.
 */
import { useEffect } from 'react';
import { authClient } from './auth-client';
import { describeSessionProblem, ensureSession, reportSessionProblem } from './session-state';

// Module-level so that two mounted copies (or a React strict-mode double effect) try once per page load.
let tried = false;

export function SessionBootstrap() {
  const { data: session, isPending, error } = authClient.useSession();

  useEffect(() => {
    if (isPending || session) return;
    if (error) {
      reportSessionProblem(describeSessionProblem(error));
      return;
    }
    // Not retried in a loop: starting a run tries again, and so does the next page load.
    if (tried) return;
    tried = true;
    ensureSession().catch((reason: unknown) => console.warn('[auth] anonymous sign-in failed:', reason));
  }, [isPending, session, error]);

  return null;
}
