/** One saved analysis of a puzzle, as it was when its run ended. */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeft, Sparkles } from 'lucide-react';
import { analysisHref, historyHref } from '@/components/analysis/analysis-data';
import { analysisSummaryOf } from '@/lib/kinds/analysis-saved';
import { SavedAnalysisHeading, SavedAnalysisReport } from '@/components/analysis/saved-analysis';
import { Button } from '@/components/ui/button';
import { findTaskByParam } from '@/lib/arc/load';
import { ShareRunButton } from '@/components/share-run-button';
import { countLiveShares, findSavedAnalysis } from '../data';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string; runId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const task = await findTaskByParam((await params).id);
  return { title: task ? `Analysis of ${task.id}` : 'Puzzle not found' };
}

export default async function SavedAnalysisPage({ params }: Props) {
  const { id, runId } = await params;
  const task = await findTaskByParam(id);
  if (!task) notFound();
  const found = await findSavedAnalysis(task, runId);
  if (!found) notFound();
  const { row, saved } = found;
  const liveShares = await countLiveShares(row.id);

  return (
    <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6 sm:py-10">
      <Button asChild variant="ghost" size="sm" className="text-muted-foreground -ml-3 mb-4">
        <Link href={historyHref(task.id)} data-testid="back-to-history">
          <ArrowLeft aria-hidden />
          Analyses of {task.id}
        </Link>
      </Button>
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid min-w-0 gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">
            Analysis of <span className="font-mono break-all">{task.id}</span>
          </h1>
          <SavedAnalysisHeading saved={saved} />
        </div>
        <div className="grid shrink-0 justify-items-end gap-2">
          <Button asChild variant="outline">
            <Link href={analysisHref(task.id)}>
              <Sparkles aria-hidden />
              New analysis
            </Link>
          </Button>
          <ShareRunButton runId={row.id} liveShares={liveShares} className="justify-items-end" />
        </div>
      </div>
      <div data-testid="saved-analysis" data-run-id={saved.runId} className="bg-card rounded-xl border p-5 shadow-xs sm:p-6">
        <SavedAnalysisReport saved={saved} summary={analysisSummaryOf(row)} task={task} />
      </div>
    </main>
  );
}
