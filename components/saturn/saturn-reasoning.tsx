'use client';

/**
 * The model's text, phase by phase, shown as its reasoning: one collapsible section per phase.
 * The phase being written is open (and kept scrolled to its end unless the reader scrolled up);
 * earlier phases fold away when the next one starts, unless the reader opened or closed them.
 *
 * Frame-batched: the store appends one segment per animation frame to the phase that grew, and a
 * section subscribes to its own phase only, so while one phase streams the others do not render.
 * Folded text stays in the DOM (hidden), so the whole text is there to read or search.
 */
import * as React from 'react';
import { ChevronRight, MessageSquareText } from 'lucide-react';
import { useShallow } from 'zustand/react/shallow';
import { SegmentedText } from '@/components/segmented-text';
import { LiveDot, StreamCaret } from '@/components/stream-marks';
import { useStickToEnd } from '@/components/use-stick-to-end';
import { cn } from '@/lib/cn';
import { formatCount } from '@/lib/format';
import { isSettled } from '@/stores/run-store';
import { useRunStore } from '@/stores/run-store-provider';
import { describePhase } from '@/lib/kinds/saturn';

const PhaseSection = React.memo(function PhaseSection({ index, latest, live }: { index: number; latest: boolean; live: boolean }) {
  const phase = useRunStore((s) => s.saturn?.phases[index]);
  /** The reader's choice; until they make one, the latest phase is open and the others folded. */
  const [choice, setChoice] = React.useState<boolean | null>(null);
  const open = choice ?? latest;
  const boxRef = React.useRef<HTMLDivElement>(null);
  useStickToEnd(boxRef, open);
  if (!phase) return null;
  const { title, purpose } = describePhase(phase.phase);
  const contentId = `saturn-phase-${phase.phase}`;

  return (
    <section data-testid="saturn-phase" data-phase={phase.phase} data-open={open} className={cn('min-w-0 rounded-lg border', open && 'bg-muted/30')}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={contentId}
        onClick={() => setChoice(!open)}
        className="text-muted-foreground hover:text-foreground flex w-full items-center gap-2 px-3 py-2 text-left text-xs font-medium transition-colors"
      >
        <ChevronRight className={cn('size-3.5 shrink-0 transition-transform', open && 'rotate-90')} aria-hidden />
        <span className="text-foreground">{title}</span>
        {purpose && <span>· {purpose}</span>}
        {latest && live && <LiveDot className="bg-emerald-500" label="writing" />}
        <span className="ml-auto font-normal tabular-nums">{formatCount(phase.characters)} characters</span>
      </button>
      <div id={contentId} ref={boxRef} hidden={!open} className="h-40 overflow-y-auto border-t px-3 py-2.5 [contain:strict]">
        <p aria-live="off" className="font-mono text-[12.5px] leading-6 break-words whitespace-pre-wrap">
          <SegmentedText segments={phase.segments} />
          {latest && live && <StreamCaret />}
        </p>
      </div>
    </section>
  );
});

export function SaturnReasoning({ className }: { className?: string }) {
  const phases = useRunStore(useShallow((s) => s.saturn?.phases.map((p) => p.phase) ?? []));
  const characters = useRunStore((s) => s.saturn?.phases.reduce((n, p) => n + p.characters, 0) ?? 0);
  const current = useRunStore((s) => s.saturn?.currentPhase ?? null);
  const status = useRunStore((s) => s.status);
  const live = !isSettled(status);

  if (phases.length === 0) {
    return (
      <div className={cn('text-muted-foreground flex min-h-20 items-center justify-center gap-2 rounded-lg border border-dashed text-sm', className)}>
        <MessageSquareText className="size-4" aria-hidden />
        <p data-testid="saturn-tokens-empty">{status === 'idle' ? 'What the model sees and thinks, phase by phase.' : live ? 'Waiting for the model…' : 'No text.'}</p>
      </div>
    );
  }

  // The phase being written: the current one if it has text yet, else the latest with text.
  const latest = current !== null && phases.includes(current) ? current : phases.at(-1);
  return (
    <div data-testid="saturn-tokens" data-characters={characters} className={cn('grid gap-2', className)}>
      {phases.map((phase, index) => (
        <PhaseSection key={phase} index={index} latest={phase === latest} live={live} />
      ))}
    </div>
  );
}
