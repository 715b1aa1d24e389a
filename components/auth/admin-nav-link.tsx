'use client';

/** The header's Admin link, shown to admins only (the admin pages check the role again on the server). */
import Link from 'next/link';
import { authClient, isAdminSession } from './auth-client';

export function AdminNavLink({ className }: { className?: string }) {
  const { data: session } = authClient.useSession();
  if (!isAdminSession(session)) return null;
  return (
    <Link href="/admin" className={className} data-testid="nav-admin">
      Admin
    </Link>
  );
}
