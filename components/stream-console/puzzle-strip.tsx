'use client';

/**
 * The puzzle above the two panes, as one compact strip: each example as input → output, each
 * test input with its answer held back. Folds away to a single line; open by default.
 */
import * as React from 'react';
import Link from 'next/link';
import { ArrowRight, ChevronRight, ExternalLink } from 'lucide-react';
import { GridThumbnail } from '@/components/arc/grid-thumbnail';
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from '@/components/ui/collapsible';
import type { ArcTaskData, Grid } from '@/lib/arc/task';
import { cn } from '@/lib/cn';

const SIZE = 88;

function Pair({ testId, title, input, output }: { testId: string; title: string; input: Grid; output: Grid | null }) {
  return (
    <figure data-testid={testId} className="bg-card grid shrink-0 gap-2 rounded-lg border p-3">
      <figcaption className="text-muted-foreground text-xs font-medium">{title}</figcaption>
      <div className="flex items-center gap-2">
        <GridThumbnail grid={input} size={SIZE} label={`${title} input`} />
        <ArrowRight className="text-muted-foreground size-4 shrink-0" aria-hidden />
        {output ? (
          <GridThumbnail grid={output} size={SIZE} label={`${title} output`} />
        ) : (
          <div
            className="text-muted-foreground flex shrink-0 items-center justify-center rounded-md border border-dashed text-lg"
            style={{ width: SIZE, height: SIZE }}
            aria-label={`${title} output: to be found`}
          >
            ?
          </div>
        )}
      </div>
    </figure>
  );
}

export function PuzzleStrip({ task, className }: { task: ArcTaskData & { id: string }; className?: string }) {
  const [open, setOpen] = React.useState(true);
  return (
    <Collapsible open={open} onOpenChange={setOpen} data-testid="console-puzzle" className={cn('bg-muted/30 rounded-xl border', className)}>
      <div className="flex items-center gap-3 px-4 py-2.5">
        <CollapsibleTrigger className="hover:text-foreground flex items-center gap-2 text-sm font-medium transition-colors" data-testid="console-puzzle-toggle">
          <ChevronRight className={cn('text-muted-foreground size-4 transition-transform', open && 'rotate-90')} aria-hidden />
          Puzzle
          <span className="text-muted-foreground font-normal tabular-nums">
            · {task.train.length} {task.train.length === 1 ? 'example' : 'examples'}, {task.test.length} {task.test.length === 1 ? 'test' : 'tests'}
          </span>
        </CollapsibleTrigger>
        <Link
          href={`/puzzles/${encodeURIComponent(task.id)}`}
          className="text-muted-foreground hover:text-foreground ml-auto flex items-center gap-1 text-xs transition-colors"
        >
          Full size
          <ExternalLink className="size-3" aria-hidden />
        </Link>
      </div>
      <CollapsibleContent>
        <div className="flex gap-3 overflow-x-auto px-4 pb-4">
          {task.train.map((pair, i) => (
            <Pair key={`train-${i}`} testId={`train-pair-${i}`} title={`Example ${i + 1}`} input={pair.input} output={pair.output} />
          ))}
          {task.test.map((pair, i) => (
            <Pair key={`test-${i}`} testId={`test-pair-${i}`} title={`Test ${i + 1}`} input={pair.input} output={null} />
          ))}
        </div>
      </CollapsibleContent>
    </Collapsible>
  );
}
