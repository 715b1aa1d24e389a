'use client';

/**
 * Sign in, or create an account, with email and password. Whatever the visitor did as a guest
 * (their runs, their streaming choice) moves to the account they sign in to or create.
 */
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { authClient, describeAuthError } from './auth-client';
import { Input } from '@/components/ui/input';

export type AuthMode = 'sign-in' | 'sign-up';

export function AuthDialog({ trigger, initialMode = 'sign-in' }: { trigger: ReactNode; initialMode?: AuthMode }) {
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<AuthMode>(initialMode);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setMode(initialMode);
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="sm:max-w-sm" data-testid="auth-dialog">
        <DialogHeader>
          <DialogTitle>{mode === 'sign-in' ? 'Sign in' : 'Create an account'}</DialogTitle>
          <DialogDescription>
            {mode === 'sign-in'
              ? 'Your runs and settings from this visit come with you.'
              : 'Keep your runs and settings across devices. What you did as a guest is kept.'}
          </DialogDescription>
        </DialogHeader>
        <AuthForm key={mode} mode={mode} onModeChange={setMode} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

function AuthForm({ mode, onModeChange, onDone }: { mode: AuthMode; onModeChange: (mode: AuthMode) => void; onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const address = email.trim();
      const { error: failure } =
        mode === 'sign-in'
          ? await authClient.signIn.email({ email: address, password })
          : await authClient.signUp.email({ email: address, password, name: address.split('@')[0] || address });
      if (failure) {
        setError(describeAuthError(failure));
        return;
      }
      onDone();
      // Server components (the admin page) read the session: render them again for the new one.
      router.refresh();
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" data-testid="auth-form" noValidate>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-email`}>Email</Label>
        <Input
          id={`${id}-email`}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="auth-email"
          aria-invalid={error !== null || undefined}
        />
      </div>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-password`}>Password</Label>
        <Input
          id={`${id}-password`}
          type="password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="auth-password"
          aria-invalid={error !== null || undefined}
          aria-describedby={mode === 'sign-up' ? `${id}-password-hint` : undefined}
        />
        {mode === 'sign-up' && (
          <p id={`${id}-password-hint`} className="text-muted-foreground text-xs">
            At least 8 characters.
          </p>
        )}
      </div>
      {error && (
        <Alert variant="destructive" data-testid="auth-error" role="alert">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <DialogFooter className="flex-col gap-2 sm:flex-col">
        <Button type="submit" disabled={busy || email.trim() === '' || password === ''} data-testid="auth-submit">
          {busy ? 'One moment…' : mode === 'sign-in' ? 'Sign in' : 'Create account'}
        </Button>
        <Button
          type="button"
          variant="link"
          size="sm"
          onClick={() => onModeChange(mode === 'sign-in' ? 'sign-up' : 'sign-in')}
          data-testid="auth-switch-mode"
        >
          {mode === 'sign-in' ? 'No account yet? Create one' : 'Have an account? Sign in'}
        </Button>
      </DialogFooter>
    </form>
  );
}
