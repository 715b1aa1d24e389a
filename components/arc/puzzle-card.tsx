/** One task in the puzzle browser: its first input as a thumbnail, its id, source and pair counts. */
import Link from 'next/link';
import type { TaskSummary } from '@/lib/arc/load';
import { cn } from '@/lib/cn';
import { GridThumbnail } from './grid-thumbnail';

export function PuzzleCard({ task, className }: { task: TaskSummary; className?: string }) {
  return (
    <Link
      href={`/puzzles/${encodeURIComponent(task.id)}`}
      data-testid="puzzle-card"
      data-task-id={task.id}
      className={cn(
        'group bg-card focus-visible:ring-ring/50 flex flex-col gap-3 rounded-xl border p-3 shadow-xs transition-[border-color,box-shadow] outline-none hover:border-foreground/20 hover:shadow-sm focus-visible:ring-[3px]',
        className,
      )}
    >
      <GridThumbnail grid={task.thumbnail} size={128} label={`${task.id}, first example input`} className="w-full" style={{ width: '100%' }} />
      <div className="grid min-w-0 gap-1 px-0.5">
        <span title={task.id} className="truncate font-mono text-sm font-medium group-hover:underline group-hover:underline-offset-4">{task.id}</span>
        <span className="text-muted-foreground flex items-center justify-between gap-2 text-xs">
          <span className="truncate">{task.source}</span>
          <span className="shrink-0 tabular-nums">
            {task.trainCount} train · {task.testCount} test
          </span>
        </span>
      </div>
    </Link>
  );
}
