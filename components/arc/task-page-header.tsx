/**
 * The header of a page about one ARC task (solve, analyse): a link back to the puzzle, the verb
 * and the task id, its source and size, and room for the page's own actions on the right.
 */
import Link from 'next/link';
import { ArrowLeft } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ArcTask } from '@/lib/arc/task';
import { cn } from '@/lib/cn';

export type TaskPageHeaderProps = React.ComponentProps<'div'> & {
  task: ArcTask;
  /** What the page does with the task: "Solve", "Analyse". */
  verb: string;
  /** data-testid of the task id. */
  idTestId: string;
  actions?: React.ReactNode;
};

export function TaskPageHeader({ task, verb, idTestId, actions, className, ...props }: TaskPageHeaderProps) {
  return (
    <div data-slot="task-page-header" className={cn('flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between', className)} {...props}>
      <div className="min-w-0">
        <Button asChild variant="ghost" size="sm" className="text-muted-foreground -ml-3 mb-2">
          <Link href={`/puzzles/${encodeURIComponent(task.id)}`} data-testid="back-to-puzzle">
            <ArrowLeft aria-hidden />
            Puzzle {task.id}
          </Link>
        </Button>
        <h1 className="flex flex-wrap items-center gap-x-3 gap-y-1 text-2xl font-semibold tracking-tight">
          {verb} <span data-testid={idTestId} className="font-mono break-all">{task.id}</span>
        </h1>
        <div className="text-muted-foreground mt-2 flex flex-wrap items-center gap-2 text-sm">
          <Badge variant="outline">{task.source}</Badge>
          <span className="tabular-nums">
            {task.train.length} {task.train.length === 1 ? 'example' : 'examples'} · {task.test.length} {task.test.length === 1 ? 'test' : 'tests'}
          </span>
        </div>
      </div>
      {actions}
    </div>
  );
}
