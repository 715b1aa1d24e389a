'use client';

/**
 * The model's text: the current iteration live (one span per animation frame, memoised, kept
 * scrolled to the end unless the reader scrolled up), earlier iterations folded away.
 */
import * as React from 'react';
import { ChevronRight, MessageSquareText } from 'lucide-react';
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from '@/components/ui/collapsible';
import { SegmentedText } from '@/components/segmented-text';
import { LiveDot, StreamCaret } from '@/components/stream-marks';
import { useStickToEnd } from '@/components/use-stick-to-end';
import { cn } from '@/lib/cn';
import { useRunStore } from '@/stores/run-store-provider';
import { isSettled } from '@/stores/run-store';
import type { TextSegment } from '@/lib/kinds/types';

const EMPTY: TextSegment[][] = [];

const TEXT_CLASS = 'font-mono text-[12.5px] leading-6 break-words whitespace-pre-wrap';

export function GroverTokens({ className }: { className?: string }) {
  const text = useRunStore((s) => s.grover?.text ?? EMPTY);
  const current = useRunStore((s) => s.grover?.currentIteration ?? 0);
  const status = useRunStore((s) => s.status);
  const live = !isSettled(status);
  const boxRef = React.useRef<HTMLDivElement>(null);
  const latest = Math.max(current, text.length);
  const segments = text[latest - 1] ?? [];
  useStickToEnd(boxRef, latest > 0);

  if (latest === 0) {
    return (
      <div className={cn('text-muted-foreground flex min-h-24 items-center justify-center rounded-lg border border-dashed text-sm', className)}>
        <p data-testid="grover-tokens-empty">{status === 'idle' ? 'The model’s text will stream here.' : live ? 'Waiting for the model…' : 'No text.'}</p>
      </div>
    );
  }

  return (
    <div className={cn('grid gap-2', className)}>
      {text.slice(0, latest - 1).map((earlier, i) => (
        <EarlierIteration key={i} iteration={i + 1} segments={earlier} />
      ))}
      <section className="bg-muted/30 grid rounded-lg border">
        <h4 className="text-muted-foreground flex items-center gap-2 border-b px-3 py-2 text-xs font-medium">
          <MessageSquareText className="size-3.5" aria-hidden />
          Iteration {latest}
          {live && <LiveDot className="bg-emerald-500" />}
        </h4>
        <div ref={boxRef} className="h-80 overflow-y-auto px-3 py-2.5 [contain:strict]">
          <p data-testid="grover-tokens" data-iteration={latest} aria-live="off" className={TEXT_CLASS}>
            <SegmentedText segments={segments} />
            {live && <StreamCaret />}
          </p>
        </div>
      </section>
    </div>
  );
}

function EarlierIteration({ iteration, segments }: { iteration: number; segments: TextSegment[] }) {
  const [open, setOpen] = React.useState(false);
  const characters = React.useMemo(() => segments.reduce((n, s) => n + s.text.length, 0), [segments]);
  return (
    <Collapsible open={open} onOpenChange={setOpen} className="rounded-lg border" data-testid="grover-tokens-earlier" data-iteration={iteration}>
      <CollapsibleTrigger className="text-muted-foreground hover:text-foreground flex w-full items-center gap-2 px-3 py-2 text-left text-xs font-medium transition-colors">
        <ChevronRight className={cn('size-3.5 transition-transform', open && 'rotate-90')} aria-hidden />
        Iteration {iteration}
        <span className="ml-auto font-normal tabular-nums">{characters.toLocaleString('en-US')} characters</span>
      </CollapsibleTrigger>
      <CollapsibleContent>
        <p className={cn(TEXT_CLASS, 'text-muted-foreground max-h-72 overflow-y-auto border-t px-3 py-2.5')}>
          <SegmentedText segments={segments} />
        </p>
      </CollapsibleContent>
    </Collapsible>
  );
}
