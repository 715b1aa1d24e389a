'use client';

/**
 * The model's reasoning and its raw text, each in a panel that folds away. Text arrives as one
 * segment per animation frame; each segment is a memoised span, so a frame mounts one span.
 */
import * as React from 'react';
import { Brain, ChevronRight, FileText } from 'lucide-react';
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from '@/components/ui/collapsible';
import { cn } from '@/lib/cn';
import type { TextSegment } from '@/lib/kinds/types';

const Segment = React.memo(function Segment({ text }: { text: string }) {
  return <span data-slot="analysis-segment">{text}</span>;
});

function characters(segments: readonly TextSegment[]): number {
  let n = 0;
  for (const s of segments) n += s.text.length;
  return n;
}

export type TextPanelProps = {
  kind: 'reasoning' | 'raw';
  segments: readonly TextSegment[];
  defaultOpen?: boolean;
  live?: boolean;
  className?: string;
};

/** A folding panel of streamed text: the reasoning (`reasoning`) or the model's raw answer (`raw`). */
export function TextPanel({ kind, segments, defaultOpen = true, live = false, className }: TextPanelProps) {
  const [open, setOpen] = React.useState(defaultOpen);
  const scroller = React.useRef<HTMLDivElement>(null);
  // Follow the text while it streams, unless the reader scrolled up.
  React.useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !live) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 48) el.scrollTop = el.scrollHeight;
  }, [segments, live]);
  if (segments.length === 0) return null;
  const Icon = kind === 'reasoning' ? Brain : FileText;
  const testId = kind === 'reasoning' ? 'analysis-reasoning' : 'analysis-raw-text';
  return (
    <Collapsible open={open} onOpenChange={setOpen} className={cn('bg-muted/30 min-w-0 rounded-lg border', className)}>
      <CollapsibleTrigger
        data-testid={`${testId}-toggle`}
        className="text-muted-foreground hover:text-foreground flex w-full items-center gap-2 px-3 py-2 text-left text-xs font-medium transition-colors"
      >
        <ChevronRight className={cn('size-3.5 transition-transform', open && 'rotate-90')} aria-hidden />
        <Icon className="size-3.5" aria-hidden />
        {kind === 'reasoning' ? 'Reasoning' : 'Model output'}
        <span className="ml-auto font-normal tabular-nums opacity-70">{characters(segments).toLocaleString('en-US')} chars</span>
      </CollapsibleTrigger>
      <CollapsibleContent>
        <div
          ref={scroller}
          data-testid={testId}
          className={cn(
            'text-muted-foreground max-h-64 overflow-y-auto border-t px-3 py-2.5 break-words whitespace-pre-wrap',
            kind === 'raw' ? 'font-mono text-xs leading-5' : 'text-sm leading-6',
          )}
        >
          {segments.map((segment) => (
            <Segment key={segment.id} text={segment.text} />
          ))}
        </div>
      </CollapsibleContent>
    </Collapsible>
  );
}
