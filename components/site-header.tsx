/** The top bar: the product name, the main navigation (Admin for admins only) and the account corner. */
import Link from 'next/link';
import { RadioTower } from 'lucide-react';
import { AdminNavLink } from '@/components/auth/admin-nav-link';
import { UserMenu } from '@/components/auth/user-menu';

const NAV = [
  { href: '/console', label: 'Console' },
  { href: '/puzzles', label: 'Puzzles' },
  { href: '/steer', label: 'Steer' },
  { href: '/settings', label: 'Settings' },
] as const;

const navLinkClass = 'text-muted-foreground hover:text-foreground hover:bg-accent rounded-md px-3 py-1.5 transition-colors';

export function SiteHeader() {
  return (
    <header data-slot="site-header" className="bg-background/80 sticky top-0 z-40 border-b backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-6 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="bg-primary text-primary-foreground flex size-7 items-center justify-center rounded-md">
            <RadioTower className="size-4" aria-hidden />
          </span>
          StreamConsole
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1 text-sm">
          {NAV.map((item) => (
            <Link key={item.href} href={item.href} className={navLinkClass}>
              {item.label}
            </Link>
          ))}
          <AdminNavLink className={navLinkClass} />
        </nav>
        <UserMenu className="ml-auto" />
      </div>
    </header>
  );
}
