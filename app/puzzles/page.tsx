/**
 * The puzzle browser: every ARC task the server knows, searchable by id (`?q=`), filtered by
 * source (`?source=`) and paged (`?page=`), so any view is a link.
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { z } from 'zod';
import { PuzzleCard } from '@/components/arc/puzzle-card';
import { PuzzleSearch } from '@/components/arc/puzzle-search';
import { Button } from '@/components/ui/button';
import { listTasks, listTaskSources } from '@/lib/arc/load';
import { cn } from '@/lib/cn';

export const metadata: Metadata = { title: 'Puzzles' };

const PER_PAGE = 24;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const searchSchema = z.object({
  q: z.preprocess(first, z.string().trim().max(64).catch('')).optional(),
  source: z.preprocess(first, z.string().trim().max(128).catch('')).optional(),
  page: z.preprocess(first, z.coerce.number().int().min(1).catch(1)).optional(),
});

type Search = { q: string; source: string; page: number };

function hrefOf({ q, source, page }: Search): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (source) params.set('source', source);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/puzzles?${search}` : '/puzzles';
}

export default async function PuzzlesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const parsed = searchSchema.parse(await searchParams);
  const search: Search = { q: parsed.q ?? '', source: parsed.source ?? '', page: parsed.page ?? 1 };
  const sources = listTaskSources();
  const { tasks, total } = await listTasks({
    query: search.q || undefined,
    source: search.source || undefined,
    offset: (search.page - 1) * PER_PAGE,
    limit: PER_PAGE,
  });
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const all = sources.reduce((n, s) => n + s.count, 0);

  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <div className="mb-6">
        <h1 className="text-2xl font-semibold tracking-tight">Puzzles</h1>
        <p className="text-muted-foreground mt-1 text-sm">
          ARC tasks: a few examples of a grid transformation, and a test grid to transform the same way. Pick one to study it or solve it.
        </p>
      </div>

      <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <Suspense fallback={<div className="h-9 w-full sm:max-w-xs" />}>
          <PuzzleSearch />
        </Suspense>
        <nav aria-label="Sources" data-testid="source-filter" className="flex flex-wrap items-center gap-1.5">
          <SourceLink href={hrefOf({ ...search, source: '', page: 1 })} active={!search.source} label="All" count={all} />
          {sources.map((s) => (
            <SourceLink
              key={s.source}
              href={hrefOf({ ...search, source: s.source, page: 1 })}
              active={search.source === s.source}
              label={s.source}
              count={s.count}
            />
          ))}
        </nav>
      </div>

      <p data-testid="puzzle-count" className="text-muted-foreground mb-3 text-xs tabular-nums">
        {total === 0
          ? 'No puzzles'
          : `${(search.page - 1) * PER_PAGE + 1}–${(search.page - 1) * PER_PAGE + tasks.length} of ${total} ${total === 1 ? 'puzzle' : 'puzzles'}`}
        {search.q && <> matching “{search.q}”</>}
        {search.source && <> in {search.source}</>}
      </p>

      {tasks.length > 0 ? (
        <ul data-testid="puzzle-list" className="grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-6">
          {tasks.map((task) => (
            <li key={`${task.source}/${task.id}`}>
              <PuzzleCard task={task} />
            </li>
          ))}
        </ul>
      ) : (
        <div data-testid="puzzle-empty" className="bg-card text-muted-foreground rounded-xl border border-dashed p-10 text-center text-sm">
          {search.page > pages ? 'This page is past the last one. ' : 'No puzzle matches. '}
          <Link href="/puzzles" className="text-foreground underline underline-offset-4">
            Show all puzzles
          </Link>
        </div>
      )}

      {pages > 1 && (
        <nav aria-label="Pages" className="mt-8 flex items-center justify-between gap-4">
          <PageLink testId="pagination-prev" href={search.page > 1 ? hrefOf({ ...search, page: search.page - 1 }) : undefined}>
            <ChevronLeft aria-hidden />
            Previous
          </PageLink>
          <span data-testid="pagination-status" className="text-muted-foreground text-sm tabular-nums">
            Page {Math.min(search.page, pages)} of {pages}
          </span>
          <PageLink testId="pagination-next" href={search.page < pages ? hrefOf({ ...search, page: search.page + 1 }) : undefined}>
            Next
            <ChevronRight aria-hidden />
          </PageLink>
        </nav>
      )}
    </main>
  );
}

function SourceLink({ href, active, label, count }: { href: string; active: boolean; label: string; count: number }) {
  return (
    <Link
      href={href}
      data-testid={`source-${label}`}
      aria-current={active ? 'page' : undefined}
      className={cn(
        'inline-flex h-8 items-center gap-1.5 rounded-full border px-3 text-xs font-medium transition-colors',
        active ? 'bg-primary text-primary-foreground border-primary' : 'bg-background text-muted-foreground hover:text-foreground hover:bg-accent',
      )}
    >
      {label}
      <span className={cn('tabular-nums', active ? 'opacity-70' : 'opacity-60')}>{count}</span>
    </Link>
  );
}

function PageLink({ href, testId, children }: { href: string | undefined; testId: string; children: ReactNode }) {
  if (!href) {
    return (
      <Button variant="outline" size="sm" disabled data-testid={testId}>
        {children}
      </Button>
    );
  }
  return (
    <Button asChild variant="outline" size="sm">
      <Link href={href} data-testid={testId}>
        {children}
      </Link>
    </Button>
  );
}
