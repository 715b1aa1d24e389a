'use client';

/** Who you are here: a guest (with a way to sign in and keep your runs) or an account's email. */
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { authClient, isAdminSession, isAnonymousSession } from '@/components/auth/auth-client';
import { AuthDialog } from '@/components/auth/auth-dialog';

export function AccountCard() {
  const { data: session, isPending } = authClient.useSession();
  const anonymous = !session || isAnonymousSession(session);
  return (
    <Card data-testid="account-card" data-state={isPending && !session ? 'loading' : anonymous ? 'anonymous' : 'signed-in'}>
      <CardHeader>
        <CardTitle>Account</CardTitle>
        <CardDescription>
          {anonymous
            ? 'You are a guest: your runs and settings belong to this browser. Sign in or create an account to keep them.'
            : `Signed in as ${session.user.email}${isAdminSession(session) ? ' (admin)' : ''}.`}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-wrap items-center justify-between gap-3">
        <div className="text-muted-foreground text-xs">
          User id{' '}
          <code className="text-foreground bg-muted rounded px-1.5 py-0.5" data-testid="account-user-id">
            {session?.user.id ?? '…'}
          </code>
        </div>
        {anonymous && (
          <div className="flex gap-2">
            <AuthDialog initialMode="sign-up" trigger={<Button size="sm">Create account</Button>} />
            <AuthDialog trigger={<Button size="sm" variant="outline">Sign in</Button>} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}
