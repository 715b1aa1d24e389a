'use client';

/**
 * The header's account corner: "Guest" and a Sign in button for an anonymous visitor, the email
 * and Sign out for an account; "No session" with the reason when none could be read or made.
 * Signing out leaves the visitor a fresh guest (the session bootstrap signs in anonymously again).
 */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { UserRound } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { authClient, isAnonymousSession } from './auth-client';
import { AuthDialog } from './auth-dialog';
import { useSessionProblem } from './session-state';

export function UserMenu({ className }: { className?: string }) {
  const router = useRouter();
  const { data: session, isPending } = authClient.useSession();
  const [signingOut, setSigningOut] = useState(false);
  const problem = useSessionProblem();

  if (isPending && !session) {
    return <div data-slot="user-menu" data-testid="user-menu" data-state="loading" className={cn('bg-muted h-8 w-28 animate-pulse rounded-md', className)} />;
  }

  const anonymous = !session || isAnonymousSession(session);
  return (
    <div
      data-slot="user-menu"
      data-testid="user-menu"
      data-state={anonymous ? 'anonymous' : 'signed-in'}
      data-user-id={session?.user.id}
      className={cn('flex items-center gap-2 text-sm', className)}
    >
      {anonymous ? (
        <>
          {!session && problem ? (
            <Badge variant="destructive" data-testid="user-session-error" title={problem} role="status" aria-label={`No session: ${problem}`}>
              <UserRound aria-hidden />
              No session
            </Badge>
          ) : (
            <Badge variant="secondary" data-testid="user-guest" title="You are using StreamConsole as a guest. Sign in to keep your runs.">
              <UserRound aria-hidden />
              Guest
            </Badge>
          )}
          <AuthDialog
            trigger={
              <Button size="sm" variant="outline" data-testid="sign-in-button">
                Sign in
              </Button>
            }
          />
        </>
      ) : (
        <>
          <span className="text-muted-foreground hidden max-w-48 truncate sm:inline" data-testid="user-email" title={session.user.email}>
            {session.user.email}
          </span>
          <Button
            size="sm"
            variant="ghost"
            disabled={signingOut}
            data-testid="sign-out-button"
            onClick={async () => {
              setSigningOut(true);
              try {
                await authClient.signOut();
                router.refresh();
              } finally {
                setSigningOut(false);
              }
            }}
          >
            Sign out
          </Button>
        </>
      )}
    </div>
  );
}
