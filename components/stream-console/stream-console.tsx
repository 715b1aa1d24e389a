'use client';

/**
 * The StreamConsole: one ARC task, two solvers streaming side by side. The toolbar drives both
 * panes; the puzzle sits above them in a strip that folds away; Saturn (the visual solver) on the
 * left, Grover (program synthesis) on the right, stacked on narrow screens. Each pane owns its run
 * store and renders at most once per animation frame, so both can stream at once.
 */
import * as React from 'react';
import { GroverPane } from '@/components/grover/grover-pane';
import { SaturnPane } from '@/components/saturn/saturn-pane';
import type { ArcTask } from '@/lib/arc/task';
import { ConsolePanesProvider } from './console-panes';
import { ConsoleToolbar } from './console-toolbar';
import { PuzzleStrip } from './puzzle-strip';

export function StreamConsole({ task }: { task: ArcTask }) {
  return (
    <ConsolePanesProvider>
      <div className="grid gap-4">
        {/* Sticks under the site header (h-14) while the panes scroll. */}
        <ConsoleToolbar taskId={task.id} className="sticky top-16 z-30" />
        <PuzzleStrip task={task} className="relative [contain:layout_style]" />
        <div className="grid items-start gap-6 xl:grid-cols-2">
          {/* Each pane is laid out and painted on its own: a frame of one pane's stream leaves the other (and the page) alone. */}
          <section aria-label="Saturn" data-testid="saturn-column" className="relative grid min-w-0 [contain:layout_style]">
            <SaturnPane task={task} />
          </section>
          <section aria-label="Grover" data-testid="grover-column" className="relative grid min-w-0 [contain:layout_style]">
            <GroverPane task={task} />
          </section>
        </div>
      </div>
    </ConsolePanesProvider>
  );
}
