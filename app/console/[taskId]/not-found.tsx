/** Shown for a console link to a puzzle no task directory holds. */
import Link from 'next/link';
import { ArrowLeft, SearchX } from 'lucide-react';
import { Button } from '@/components/ui/button';

export default function TaskConsoleNotFound() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
      <div data-testid="console-task-not-found" className="bg-card mx-auto max-w-md rounded-xl border p-8 text-center shadow-xs">
        <SearchX className="text-muted-foreground mx-auto size-8" aria-hidden />
        <h1 className="mt-4 text-xl font-semibold tracking-tight">No such puzzle to solve</h1>
        <p className="text-muted-foreground mt-2 text-sm leading-relaxed">
          The console opens a puzzle by its id, like <span className="font-mono">sc-flip-h</span>. Pick one from the list.
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
