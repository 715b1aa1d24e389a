'use client';

/** What a non-admin sees at /admin: why not, and a way to sign in as an admin. */
import Link from 'next/link';
import { ShieldAlert } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { AuthDialog } from '@/components/auth/auth-dialog';

export function AdminForbidden({ signedIn }: { signedIn: boolean }) {
  return (
    <div className="flex flex-col items-start gap-4 rounded-xl border p-8" data-testid="admin-forbidden">
      <ShieldAlert className="text-muted-foreground size-8" aria-hidden />
      <div>
        <p className="text-muted-foreground text-sm font-medium">403 · Admins only</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">You need an admin account to see this page.</h1>
        <p className="text-muted-foreground mt-2 text-sm">
          {signedIn
            ? 'Your account is not an admin. Ask an admin, or sign in with an admin account.'
            : 'You are browsing as a guest. Sign in with an admin account to manage feature flags.'}
        </p>
      </div>
      <div className="flex gap-2">
        <AuthDialog trigger={<Button data-testid="admin-sign-in">Sign in</Button>} />
        <Button variant="outline" asChild>
          <Link href="/settings">Your settings</Link>
        </Button>
      </div>
    </div>
  );
}
