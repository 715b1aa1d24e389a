/**
 * Analyse one ARC task with a model: the puzzle on the left, the live analysis on the right (its
 * fields fill in as the model writes them). Stacks on narrow screens.
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ArrowLeft, History } from 'lucide-react';
import { TaskPairs } from '@/components/arc/task-pairs';
import { historyHref } from '@/components/analysis/analysis-data';
import { AnalysisPane } from '@/components/analysis/analysis-pane';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { getTaskOrThrow } from '@/lib/arc/load';
import type { ArcTask } from '@/lib/arc/task';
import { isAppError } from '@/lib/errors';

type Props = { params: Promise<{ taskId: string }> };

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The task, or undefined for an unknown or malformed id. */
async function findTask(id: string): Promise<ArcTask | undefined> {
  try {
    return await getTaskOrThrow({ id });
  } catch (error) {
    if (isAppError(error) && (error.code === 'not_found:task' || error.code === 'bad_request:input')) return undefined;
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { taskId } = await params;
  const task = await findTask(decodeId(taskId));
  return { title: task ? `Analyse ${task.id}` : 'Puzzle not found' };
}

export default async function AnalysisPage({ params }: Props) {
  const { taskId } = await params;
  const task = await findTask(decodeId(taskId));
  if (!task) notFound();

  return (
    <main className="mx-auto max-w-[1600px] px-4 py-8 sm:px-6 sm:py-10">
      <div className="mb-8 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          <Button asChild variant="ghost" size="sm" className="text-muted-foreground -ml-3 mb-2">
            <Link href={`/puzzles/${encodeURIComponent(task.id)}`} data-testid="back-to-puzzle">
              <ArrowLeft aria-hidden />
              Puzzle {task.id}
            </Link>
          </Button>
          <h1 className="flex flex-wrap items-center gap-x-3 gap-y-1 text-2xl font-semibold tracking-tight">
            Analyse <span data-testid="analysis-task-id" className="font-mono break-all">{task.id}</span>
          </h1>
          <div className="text-muted-foreground mt-2 flex flex-wrap items-center gap-2 text-sm">
            <Badge variant="outline">{task.source}</Badge>
            <span className="tabular-nums">
              {task.train.length} {task.train.length === 1 ? 'example' : 'examples'} · {task.test.length} {task.test.length === 1 ? 'test' : 'tests'}
            </span>
          </div>
        </div>
        <Button asChild variant="outline" size="sm" className="shrink-0">
          <Link href={historyHref(task.id)} data-testid="history-link">
            <History aria-hidden />
            Saved analyses
          </Link>
        </Button>
      </div>

      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
        <section aria-labelledby="puzzle-heading" className="grid min-w-0 gap-4">
          <h2 id="puzzle-heading" className="text-lg font-semibold tracking-tight">
            Puzzle
          </h2>
          {/* One pair per row: this column is narrower than the puzzle page TaskPairs lays out for. */}
          <TaskPairs task={task} className="[&_h2]:col-span-1 [&>section]:grid-cols-1" />
        </section>
        <AnalysisPane task={task} />
      </div>
    </main>
  );
}
