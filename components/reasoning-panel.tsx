'use client';

/** The model's reasoning, kept apart from the answer in a panel that folds away. */
import { useState } from 'react';
import { Brain, ChevronRight } from 'lucide-react';
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from '@/components/ui/collapsible';
import { cn } from '@/lib/cn';
import { useRunStore } from '@/stores/run-store-provider';
import { SegmentText } from './answer-view';

export function ReasoningPanel({ className }: { className?: string }) {
  const reasoning = useRunStore((s) => s.reasoning);
  const [open, setOpen] = useState(true);
  if (reasoning.length === 0) return null;

  return (
    <Collapsible open={open} onOpenChange={setOpen} className={cn('bg-muted/40 rounded-lg border', className)}>
      <CollapsibleTrigger
        data-testid="reasoning-toggle"
        className="text-muted-foreground hover:text-foreground flex w-full items-center gap-2 px-3 py-2 text-left text-xs font-medium transition-colors"
      >
        <ChevronRight className={cn('size-3.5 transition-transform', open && 'rotate-90')} aria-hidden />
        <Brain className="size-3.5" aria-hidden />
        Reasoning
      </CollapsibleTrigger>
      <CollapsibleContent>
        <p
          data-testid="reasoning"
          className="text-muted-foreground max-h-72 overflow-y-auto border-t px-3 py-2.5 text-sm leading-6 break-words whitespace-pre-wrap"
        >
          <SegmentText segments={reasoning} />
        </p>
      </CollapsibleContent>
    </Collapsible>
  );
}
