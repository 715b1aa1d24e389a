/**
 * The StreamConsole for one ARC task: a toolbar that drives both solvers, the puzzle in a strip
 * that folds away, Saturn (the visual solver) on the left and Grover (program synthesis) on the
 * right, both able to stream at once. Stacks on narrow screens.
 */
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { TaskPageHeader } from '@/components/arc/task-page-header';
import { StreamConsole } from '@/components/stream-console/stream-console';
import { findTaskByParam } from '@/lib/arc/load';

type Props = { params: Promise<{ taskId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { taskId } = await params;
  const task = await findTaskByParam(taskId);
  return { title: task ? `Solve ${task.id}` : 'Puzzle not found' };
}

export default async function TaskConsolePage({ params }: Props) {
  const { taskId } = await params;
  const task = await findTaskByParam(taskId);
  if (!task) notFound();

  return (
    <main className="mx-auto max-w-[1600px] px-4 py-8 sm:px-6 sm:py-10">
      <TaskPageHeader task={task} verb="Solve" idTestId="console-task-id" className="mb-6" />

      <StreamConsole task={task} />
    </main>
  );
}
