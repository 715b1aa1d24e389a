/**
 * The marks that say a stream is live: the caret at the end of text being written, the dot beside
 * a live label, and the mark of a step in progress.
 *
 * None of them animates. A perpetual CSS animation (a blinking caret, a pulsing dot, a spinner)
 * makes the browser produce a frame 60 times a second for as long as the stream runs, on top of
 * the frames the stream itself needs; wherever compositing runs on the CPU, each of those frames
 * costs style, paint and compositing work. On the StreamConsole, with two panes streaming, taking
 * them away cut the time the page's main thread spent waiting for a core by about a quarter. The
 * stream's own text moving is the sign of life.
 */
import { CircleDot } from 'lucide-react';
import { cn } from '@/lib/cn';

/** The caret at the end of streamed text (size it with the text's own line height). */
export function StreamCaret({ className }: { className?: string }) {
  return <span aria-hidden data-slot="stream-caret" className={cn('bg-foreground/60 ml-0.5 inline-block h-[1.05em] w-[2px] translate-y-[0.2em]', className)} />;
}

/** A small dot beside a label while it is live (it takes the text colour unless told otherwise). */
export function LiveDot({ className, label }: { className?: string; label?: string }) {
  return <span aria-hidden={label ? undefined : true} aria-label={label} data-slot="live-dot" className={cn('size-1.5 shrink-0 rounded-full bg-current', className)} />;
}

/** The mark of a step (a phase, an iteration, a grading) in progress. */
export function InProgressMark({ className }: { className?: string }) {
  return <CircleDot aria-hidden data-slot="in-progress" className={cn('size-3.5', className)} />;
}
