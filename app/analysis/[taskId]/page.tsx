/**
 * Analyse one ARC task with a model: the puzzle on the left, the live analysis on the right (its
 * fields fill in as the model writes them). Stacks on narrow screens.
 */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { History } from 'lucide-react';
import { TaskPageHeader } from '@/components/arc/task-page-header';
import { TaskPairs } from '@/components/arc/task-pairs';
import { historyHref } from '@/components/analysis/analysis-data';
import { AnalysisPane } from '@/components/analysis/analysis-pane';
import { Button } from '@/components/ui/button';
import { findTaskByParam } from '@/lib/arc/load';

type Props = { params: Promise<{ taskId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { taskId } = await params;
  const task = await findTaskByParam(taskId);
  return { title: task ? `Analyse ${task.id}` : 'Puzzle not found' };
}

export default async function AnalysisPage({ params }: Props) {
  const { taskId } = await params;
  const task = await findTaskByParam(taskId);
  if (!task) notFound();

  return (
    <main className="mx-auto max-w-[1600px] px-4 py-8 sm:px-6 sm:py-10">
      <TaskPageHeader
        task={task}
        verb="Analyse"
        idTestId="analysis-task-id"
        className="mb-8"
        actions={
          <Button asChild variant="outline" size="sm" className="shrink-0">
            <Link href={historyHref(task.id)} data-testid="history-link">
              <History aria-hidden />
              Saved analyses
            </Link>
          </Button>
        }
      />

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
