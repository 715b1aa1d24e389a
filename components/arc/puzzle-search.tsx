'use client';

/**
 * The puzzle browser's search box: typing updates `?q=` in the URL (debounced, replacing the
 * history entry), so every search is a link; the server page does the searching.
 */
import * as React from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { LoaderCircle, Search, X } from 'lucide-react';
import { cn } from '@/lib/cn';

export function PuzzleSearch({ className }: { className?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [value, setValue] = React.useState(searchParams.get('q') ?? '');
  const [pending, startTransition] = React.useTransition();
  const timer = React.useRef<ReturnType<typeof setTimeout>>(undefined);

  const navigate = React.useCallback(
    (q: string) => {
      const params = new URLSearchParams(searchParams);
      if (q.trim()) params.set('q', q.trim());
      else params.delete('q');
      params.delete('page');
      const search = params.toString();
      startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
    },
    [pathname, router, searchParams],
  );

  React.useEffect(() => () => clearTimeout(timer.current), []);

  const onChange = (next: string) => {
    setValue(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => navigate(next), 250);
  };

  return (
    <form
      role="search"
      className={cn('relative w-full sm:max-w-xs', className)}
      onSubmit={(event) => {
        event.preventDefault();
        clearTimeout(timer.current);
        navigate(value);
      }}
    >
      <label htmlFor="puzzle-search" className="sr-only">
        Search puzzles by id
      </label>
      <Search className="text-muted-foreground pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2" aria-hidden />
      <input
        id="puzzle-search"
        data-testid="puzzle-search"
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder="Search by id…"
        autoComplete="off"
        spellCheck={false}
        className="border-input bg-background placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/50 dark:bg-input/30 h-9 w-full rounded-md border py-1 pr-9 pl-9 font-mono text-sm shadow-xs transition-[color,box-shadow] outline-none focus-visible:ring-[3px] [&::-webkit-search-cancel-button]:hidden"
      />
      <span className="absolute top-1/2 right-2 flex -translate-y-1/2 items-center">
        {pending ? (
          <LoaderCircle className="text-muted-foreground size-4 animate-spin" aria-label="Searching" />
        ) : (
          value && (
            <button
              type="button"
              aria-label="Clear search"
              className="text-muted-foreground hover:text-foreground rounded-sm p-0.5"
              onClick={() => {
                setValue('');
                clearTimeout(timer.current);
                navigate('');
              }}
            >
              <X className="size-4" aria-hidden />
            </button>
          )
        )}
      </span>
    </form>
  );
}
