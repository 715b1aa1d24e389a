'use client';

/**
 * A task laid out for reading: each train pair as input -> output, then each test input with its
 * answer hidden until asked for (a test pair may have no published answer).
 */
import * as React from 'react';
import { ArrowDown, ArrowRight, Eye, EyeOff } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ArcTaskData, Grid } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { GridRenderer } from './grid-renderer';
import { fittedCellSize } from './grid-svg';

export type TaskPairsProps = React.ComponentProps<'div'> & {
  task: ArcTaskData;
};

export function TaskPairs({ task, className, ...props }: TaskPairsProps) {
  // One cell size for the whole task, so sizes compare across pairs.
  const cellSize = fittedCellSize(
    [...task.train.flatMap((p) => [p.input, p.output]), ...task.test.flatMap((p) => (p.output ? [p.input, p.output] : [p.input]))],
    220,
  );
  return (
    <div data-slot="task-pairs" className={cn('grid gap-8', className)} {...props}>
      <section aria-labelledby="train-heading" className="grid items-start gap-3 lg:grid-cols-2">
        <SectionHeading id="train-heading" title="Examples" count={task.train.length} />
        {task.train.map((pair, i) => (
          <PairCard key={i} testId={`train-pair-${i}`} title={`Example ${i + 1}`} input={pair.input} cellSize={cellSize}>
            <GridRenderer grid={pair.output} cellSize={cellSize} label={`Example ${i + 1} output`} />
          </PairCard>
        ))}
      </section>
      <section aria-labelledby="test-heading" className="grid items-start gap-3 lg:grid-cols-2">
        <SectionHeading id="test-heading" title="Tests" count={task.test.length} />
        {task.test.map((pair, i) => (
          <PairCard key={i} testId={`test-pair-${i}`} title={`Test ${i + 1}`} input={pair.input} cellSize={cellSize}>
            <HiddenAnswer index={i} input={pair.input} answer={pair.output} cellSize={cellSize} />
          </PairCard>
        ))}
      </section>
    </div>
  );
}

function SectionHeading({ id, title, count }: { id: string; title: string; count: number }) {
  return (
    <h2 id={id} className="flex items-center gap-2 text-lg font-semibold tracking-tight lg:col-span-2">
      {title}
      <Badge variant="secondary" className="tabular-nums">
        {count}
      </Badge>
    </h2>
  );
}

function PairCard({ testId, title, input, cellSize, children }: { testId: string; title: string; input: Grid; cellSize: number; children: React.ReactNode }) {
  return (
    <div data-testid={testId} className="bg-card h-full min-w-0 rounded-xl border p-4 shadow-xs sm:p-5">
      <h3 className="mb-3 text-sm font-medium">{title}</h3>
      <div className="flex flex-col items-start gap-3 md:flex-row md:gap-5">
        <Side label="Input">
          <GridRenderer grid={input} cellSize={cellSize} label={`${title} input`} />
        </Side>
        <span className="text-muted-foreground flex self-center md:mt-6 md:self-start">
          <ArrowRight className="hidden size-5 md:block" aria-hidden />
          <ArrowDown className="size-5 md:hidden" aria-hidden />
        </span>
        <Side label="Output">{children}</Side>
      </div>
    </div>
  );
}

function Side({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid min-w-0 gap-1.5">
      <span className="text-muted-foreground text-xs font-medium tracking-wide uppercase">{label}</span>
      {children}
    </div>
  );
}

function HiddenAnswer({ index, input, answer, cellSize }: { index: number; input: Grid; answer: Grid | undefined; cellSize: number }) {
  const [shown, setShown] = React.useState(false);
  if (!answer) {
    return (
      <p data-testid={`answer-missing-${index}`} className="text-muted-foreground flex h-24 items-center text-sm">
        No answer published for this test.
      </p>
    );
  }
  return (
    <div data-testid={`test-answer-${index}`} data-shown={shown} className="grid justify-items-start gap-2">
      {shown ? (
        <GridRenderer grid={answer} cellSize={cellSize} label={`Test ${index + 1} answer`} />
      ) : (
        // Sized like the input: the answer's own size is part of the puzzle.
        <div
          className="bg-muted/60 text-muted-foreground flex items-center justify-center rounded-md border border-dashed text-xs"
          style={{ width: Math.max(160, input[0]!.length * cellSize), height: Math.max(72, input.length * cellSize) }}
        >
          Answer hidden
        </div>
      )}
      <Button
        type="button"
        variant="outline"
        size="sm"
        data-testid={`reveal-answer-${index}`}
        aria-expanded={shown}
        onClick={() => setShown((s) => !s)}
      >
        {shown ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
        {shown ? 'Hide answer' : 'Reveal answer'}
      </Button>
    </div>
  );
}
