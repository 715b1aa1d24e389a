/** The top bar: the product name and the main navigation. */
import Link from 'next/link';
import { RadioTower } from 'lucide-react';

const NAV = [
  { href: '/console', label: 'Console' },
  { href: '/puzzles', label: 'Puzzles' },
] as const;

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
            <Link
              key={item.href}
              href={item.href}
              className="text-muted-foreground hover:text-foreground hover:bg-accent rounded-md px-3 py-1.5 transition-colors"
            >
              {item.label}
            </Link>
          ))}
        </nav>
      </div>
    </header>
  );
}
