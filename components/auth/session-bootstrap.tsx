'use client';

/**
 * Gives every visitor an account without a sign-up wall: when the page loads with no session, it
 * signs in anonymously once, so runs started from here have an owner. Signing up or in later
 * replaces the anonymous account and takes its runs along. Renders nothing.
 */
import { useEffect } from 'react';
import { authClient } from './auth-client';

// Module-level so that two mounted copies (or a React strict-mode double effect) make one call.
let pending: Promise<unknown> | null = null;
let failed = false;

export function SessionBootstrap() {
  const { data: session, isPending, error } = authClient.useSession();

  useEffect(() => {
    if (isPending || session || error || pending || failed) return;
    pending = authClient.signIn
      .anonymous()
      .then(({ error: signInError }) => {
        // Not retried in a loop: the next page load tries again.
        if (signInError) {
          failed = true;
          console.warn('[auth] anonymous sign-in failed:', signInError.message ?? signInError.status);
        }
      })
      .catch((reason: unknown) => {
        failed = true;
        console.warn('[auth] anonymous sign-in failed:', reason);
      })
      .finally(() => {
        pending = null;
      });
  }, [isPending, session, error]);

  return null;
}
