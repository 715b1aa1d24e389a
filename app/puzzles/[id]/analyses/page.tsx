/** A puzzle's saved analyses, newest first, with two to pick for a side-by-side comparison. */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeft, Sparkles } from 'lucide-react';
import { analysisHref } from '@/components/analysis/analysis-data';
import { AnalysisHistory } from '@/components/analysis/analysis-history';
import { Button } from '@/components/ui/button';
import { findTaskByParam } from '@/lib/arc/load';
import { listSavedAnalyses } from './data';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const task = await findTaskByParam((await params).id);
  return { title: task ? `Analyses of ${task.id}` : 'Puzzle not found' };
}

export default async function AnalysesPage({ params }: Props) {
  const task = await findTaskByParam((await params).id);
  if (!task) notFound();
  const analyses = await listSavedAnalyses(task);

  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <Button asChild variant="ghost" size="sm" className="text-muted-foreground -ml-3 mb-4">
        <Link href={`/puzzles/${encodeURIComponent(task.id)}`} data-testid="back-to-puzzle">
          <ArrowLeft aria-hidden />
          Puzzle {task.id}
        </Link>
      </Button>
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <p className="text-muted-foreground mb-1 text-sm font-medium">Saved analyses</p>
          <h1 className="font-mono text-2xl font-semibold tracking-tight break-all">{task.id}</h1>
          <p className="text-muted-foreground mt-2 text-sm tabular-nums" data-testid="analysis-count">
            {analyses.length === 0 ? 'None yet.' : `${analyses.length} ${analyses.length === 1 ? 'analysis' : 'analyses'}, newest first.`}
          </p>
        </div>
        <Button asChild className="shrink-0">
          <Link href={analysisHref(task.id)} data-testid="new-analysis-link">
            <Sparkles aria-hidden />
            Analyse with a model
          </Link>
        </Button>
      </div>
      {analyses.length === 0 ? (
        <p data-testid="analyses-empty" className="text-muted-foreground rounded-xl border border-dashed px-6 py-12 text-center text-sm">
          No model has analysed this puzzle yet. Each analysis is saved here when it ends.
        </p>
      ) : (
        <AnalysisHistory taskId={task.id} analyses={analyses} />
      )}
    </main>
  );
}
