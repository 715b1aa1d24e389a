/** One puzzle: its examples and tests, and the way into the console to solve it. */
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { basename } from 'node:path';
import { ArrowLeft, Sparkles, TriangleAlert } from 'lucide-react';
import { TaskPairs } from '@/components/arc/task-pairs';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { getTaskOrThrow, TaskFileError } from '@/lib/arc/load';
import type { ArcTask } from '@/lib/arc/task';
import { isAppError } from '@/lib/errors';

type Props = { params: Promise<{ id: string }> };

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The task, `undefined` for an unknown or malformed id, or the problem with its file. */
async function findTask(id: string): Promise<ArcTask | TaskFileError | undefined> {
  try {
    return await getTaskOrThrow({ id });
  } catch (error) {
    if (isAppError(error) && (error.code === 'not_found:task' || error.code === 'bad_request:input')) return undefined;
    if (error instanceof TaskFileError) return error;
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const task = await findTask(decodeId(id));
  return { title: task && !(task instanceof Error) ? `Puzzle ${task.id}` : 'Puzzle not found' };
}

export default async function PuzzlePage({ params }: Props) {
  const { id } = await params;
  const task = await findTask(decodeId(id));
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
            <Button asChild size="lg" className="shrink-0">
              <Link href={`/console/${encodeURIComponent(task.id)}`} data-testid="solve-link">
                <Sparkles aria-hidden />
                Solve in StreamConsole
              </Link>
            </Button>
          </div>
          <TaskPairs task={task} />
        </>
      )}
    </main>
  );
}
