/**
 * Two saved analyses of a puzzle side by side (`?a=<run id>&b=<run id>`): their fields, each
 * prediction against the answer, and how each run went (parse status, duration, tokens).
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeft, SearchX } from 'lucide-react';
import { historyHref, savedAnalysisHref } from '@/components/analysis/analysis-data';
import { analysisSummaryOf } from '@/lib/kinds/analysis-saved';
import { SavedAnalysisHeading, SavedAnalysisReport } from '@/components/analysis/saved-analysis';
import { Button } from '@/components/ui/button';
import { findTaskByParam } from '@/lib/arc/load';
import { findSavedAnalysis } from '../data';

export const dynamic = 'force-dynamic';

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const task = await findTaskByParam((await params).id);
  return { title: task ? `Compare analyses of ${task.id}` : 'Puzzle not found' };
}

export default async function CompareAnalysesPage({ params, searchParams }: Props) {
  const task = await findTaskByParam((await params).id);
  if (!task) notFound();
  const query = await searchParams;
  const ids = [one(query.a), one(query.b)];
  const found = await Promise.all(ids.map((runId) => findSavedAnalysis(task, runId)));

  return (
    <main className="mx-auto max-w-[1500px] px-4 py-8 sm:px-6 sm:py-10">
      <Button asChild variant="ghost" size="sm" className="text-muted-foreground -ml-3 mb-4">
        <Link href={historyHref(task.id)} data-testid="back-to-history">
          <ArrowLeft aria-hidden />
          Analyses of {task.id}
        </Link>
      </Button>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">
        Compare analyses of <span className="font-mono break-all">{task.id}</span>
      </h1>
      <div className="grid items-start gap-6 lg:grid-cols-2">
        {found.map((entry, i) =>
          entry ? (
            <section
              key={entry.saved.runId + i}
              data-testid="compare-column"
              data-run-id={entry.saved.runId}
              aria-label={`Analysis ${i === 0 ? 'A' : 'B'}`}
              className="bg-card grid min-w-0 gap-5 rounded-xl border p-5 shadow-xs"
            >
              <SavedAnalysisHeading saved={entry.saved}>
                <span className="text-muted-foreground ml-auto text-xs font-semibold">{i === 0 ? 'A' : 'B'}</span>
              </SavedAnalysisHeading>
              <SavedAnalysisReport saved={entry.saved} summary={analysisSummaryOf(entry.row)} task={task} compact className="border-t pt-5" />
              <Link href={savedAnalysisHref(task.id, entry.saved.runId)} className="text-muted-foreground text-xs underline-offset-4 hover:underline">
                Open this analysis alone
              </Link>
            </section>
          ) : (
            <section
              key={`missing-${i}`}
              data-testid="compare-missing"
              className="text-muted-foreground grid min-h-40 place-items-center gap-2 rounded-xl border border-dashed p-6 text-center text-sm"
            >
              <SearchX className="size-6 opacity-60" aria-hidden />
              <p>
                {ids[i] ? 'No saved analysis of this puzzle has that id.' : `Pick a second analysis to compare.`}{' '}
                <Link href={historyHref(task.id)} className="text-foreground underline underline-offset-4">
                  Back to the list
                </Link>
              </p>
            </section>
          ),
        )}
      </div>
    </main>
  );
}
