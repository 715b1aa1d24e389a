/** One puzzle: its examples and tests, and the way into the console to solve it. */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { basename } from 'node:path';
import { ArrowLeft, ArrowRight, History, ScanSearch, Sparkles, TriangleAlert } from 'lucide-react';
import { analysisHref, formatWhen, historyHref, savedAnalysisHref } from '@/components/analysis/analysis-data';
import { ParseBadge, VerdictBadge } from '@/components/analysis/saved-analysis';
import { TaskPairs } from '@/components/arc/task-pairs';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { findTaskByParam, TaskFileError } from '@/lib/arc/load';
import type { ArcTask } from '@/lib/arc/task';
import { listSavedAnalyses } from './analyses/data';

// The Analyses section reads the database on every request.
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };


/** The task, `undefined` for an unknown or malformed id, or the problem with its file. */
async function findTask(param: string): Promise<ArcTask | TaskFileError | undefined> {
  try {
    return await findTaskByParam(param);
  } catch (error) {
    if (error instanceof TaskFileError) return error;
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const task = await findTask(id);
  return { title: task && !(task instanceof Error) ? `Puzzle ${task.id}` : 'Puzzle not found' };
}

export default async function PuzzlePage({ params }: Props) {
  const { id } = await params;
  const task = await findTask(id);
  if (!task) notFound();

  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <Button asChild variant="ghost" size="sm" className="text-muted-foreground -ml-3 mb-4">
        <Link href="/puzzles" data-testid="back-to-puzzles">
          <ArrowLeft aria-hidden />
          All puzzles
        </Link>
      </Button>
      {task instanceof TaskFileError ? (
        <Alert variant="destructive" data-testid="task-file-error">
          <TriangleAlert aria-hidden />
          <AlertTitle>This puzzle’s file is not a valid ARC task</AlertTitle>
          <AlertDescription className="font-mono text-xs break-all">{task.message.replace(task.file, basename(task.file))}</AlertDescription>
        </Alert>
      ) : (
        <>
          <div className="mb-8 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
            <div>
              <p className="text-muted-foreground mb-1 text-sm font-medium">Puzzle</p>
              <h1 data-testid="puzzle-id" className="font-mono text-2xl font-semibold tracking-tight break-all">
                {task.id}
              </h1>
              <div className="text-muted-foreground mt-2 flex flex-wrap items-center gap-2 text-sm">
                <Badge variant="outline" data-testid="puzzle-source">
                  {task.source}
                </Badge>
                <span className="tabular-nums">
                  {task.train.length} {task.train.length === 1 ? 'example' : 'examples'} · {task.test.length} {task.test.length === 1 ? 'test' : 'tests'}
                </span>
              </div>
            </div>
            <div className="flex shrink-0 flex-wrap gap-2">
              <Button asChild size="lg" variant="outline">
                <Link href={analysisHref(task.id)} data-testid="analyse-link">
                  <ScanSearch aria-hidden />
                  Analyse with a model
                </Link>
              </Button>
              <Button asChild size="lg">
                <Link href={`/console/${encodeURIComponent(task.id)}`} data-testid="solve-link">
                  <Sparkles aria-hidden />
                  Solve in StreamConsole
                </Link>
              </Button>
            </div>
          </div>
          <TaskPairs task={task} />
          <AnalysesSection task={task} />
        </>
      )}
    </main>
  );
}

/** The latest saved analyses of the puzzle, and the way to all of them. */
async function AnalysesSection({ task }: { task: ArcTask }) {
  // The puzzle is worth showing even when the database is not.
  const analyses = await listSavedAnalyses(task).catch((error: unknown) => {
    console.error(`[puzzle ${task.id}] could not list analyses:`, error);
    return null;
  });
  if (!analyses) return null;
  const latest = analyses.slice(0, 3);
  return (
    <section aria-labelledby="analyses-heading" data-testid="puzzle-analyses" className="mt-10 grid gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="analyses-heading" className="text-lg font-semibold tracking-tight">
          Analyses <span className="text-muted-foreground text-sm font-normal tabular-nums">{analyses.length}</span>
        </h2>
        <Link href={historyHref(task.id)} data-testid="analyses-link" className="text-muted-foreground hover:text-foreground inline-flex items-center gap-1 text-sm">
          <History className="size-3.5" aria-hidden />
          All saved analyses
          <ArrowRight className="size-3.5" aria-hidden />
        </Link>
      </div>
      {latest.length === 0 ? (
        <p className="text-muted-foreground rounded-lg border border-dashed px-4 py-6 text-center text-sm">
          No analysis yet.{' '}
          <Link href={analysisHref(task.id)} className="text-foreground underline underline-offset-4">
            Ask a model to explain this puzzle
          </Link>
          .
        </p>
      ) : (
        <ul className="bg-card divide-y rounded-xl border shadow-xs">
          {latest.map((analysis) => (
            <li key={analysis.runId} className="flex flex-wrap items-center gap-x-4 gap-y-1.5 px-4 py-3 text-sm">
              <Link href={savedAnalysisHref(task.id, analysis.runId)} className="font-mono text-xs font-medium underline-offset-4 hover:underline">
                {analysis.model ?? 'unknown model'}
              </Link>
              <time dateTime={analysis.createdAt} className="text-muted-foreground text-xs tabular-nums">
                {formatWhen(analysis.createdAt)}
              </time>
              <span className="text-muted-foreground min-w-0 flex-1 truncate text-xs">{analysis.patternDescription}</span>
              <span className="flex items-center gap-1.5">
                <VerdictBadge saved={analysis} />
                <ParseBadge saved={analysis} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
