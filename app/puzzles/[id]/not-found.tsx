/** Shown for a puzzle id no task directory holds (or one that cannot be an id at all). */
import Link from 'next/link';
import { ArrowLeft, SearchX } from 'lucide-react';
import { Button } from '@/components/ui/button';

export default function PuzzleNotFound() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
      <div data-testid="puzzle-not-found" className="bg-card mx-auto max-w-md rounded-xl border p-8 text-center shadow-xs">
        <SearchX className="text-muted-foreground mx-auto size-8" aria-hidden />
        <h1 className="mt-4 text-xl font-semibold tracking-tight">Puzzle not found</h1>
        <p className="text-muted-foreground mt-2 text-sm leading-relaxed">
          No puzzle has that id. Ids are letters, digits, dashes and underscores, like <span className="font-mono">sc-flip-h</span> or{' '}
          <span className="font-mono">007bbfb7</span>.
        </p>
        <Button asChild variant="outline" className="mt-6">
          <Link href="/puzzles">
            <ArrowLeft aria-hidden />
            Browse all puzzles
          </Link>
        </Button>
      </div>
    </main>
  );
}
