'use client';

/**
 * The live trajectory of a Grover run, drawn with uPlot: each graded program's score as a point in
 * its iteration's band, and the best score so far as a stepped line.
 *
 * The chart's lifecycle is `useUplot`'s: created once on mount, fed with `setData` at most once per
 * animation frame however often the points change, following its container's width.
 * `data-points` on the root holds the number of program points plotted, written in the same frame.
 */
import 'uplot/dist/uPlot.min.css';
import * as React from 'react';
import type uPlot from 'uplot';
import { useUplot } from '@/components/charts/use-uplot';
import { cn } from '@/lib/cn';
import type { ScorePoint } from '@/lib/kinds/grover';
import { scoreColumns, xRange } from './score-data';

const HEIGHT = 200;

export type ScoreChartProps = Omit<React.ComponentProps<'div'>, 'children'> & {
  /** Graded programs, append-only during a run. */
  points: readonly ScorePoint[];
  /** Iterations planned: the x axis shows them all from the start. */
  iterations: number;
  /** Programs asked for per iteration: how a band is divided. */
  perIteration: number;
};

interface Palette {
  points: string;
  pointsFill: string;
  best: string;
  axis: string;
  grid: string;
  band: string;
}

const LIGHT: Palette = {
  points: '#4f46e5',
  pointsFill: 'rgba(99, 102, 241, 0.45)',
  best: '#059669',
  axis: '#71717a',
  grid: 'rgba(0, 0, 0, 0.07)',
  band: 'rgba(0, 0, 0, 0.025)',
};

const DARK: Palette = {
  points: '#a5b4fc',
  pointsFill: 'rgba(129, 140, 248, 0.45)',
  best: '#34d399',
  axis: '#a1a1aa',
  grid: 'rgba(255, 255, 255, 0.08)',
  band: 'rgba(255, 255, 255, 0.03)',
};

interface Latest {
  points: readonly ScorePoint[];
  iterations: number;
  perIteration: number;
}

function chartOptions(uPlotClass: typeof uPlot, width: number, latest: React.RefObject<Latest>, palette: Palette): uPlot.Options {
  const font = '11px ui-sans-serif, system-ui, sans-serif';
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 9 } },
    scales: {
      x: { time: false, range: () => xRange(latest.current.points, latest.current.iterations) },
      y: { range: [0, 10.4] },
    },
    axes: [
      {
        stroke: palette.axis,
        font,
        labelFont: font,
        label: 'Iteration',
        labelSize: 18,
        size: 28,
        grid: { show: false },
        ticks: { show: false },
        splits: (u) => {
          const min = Math.ceil(u.scales.x!.min ?? 1);
          const max = Math.floor(u.scales.x!.max ?? 1);
          const splits: number[] = [];
          for (let n = Math.max(1, min); n <= max; n++) splits.push(n);
          return splits;
        },
        values: (_u, splits) => splits.map((n) => String(n)),
      },
      {
        stroke: palette.axis,
        font,
        labelFont: font,
        label: 'Score',
        labelSize: 18,
        size: 32,
        grid: { stroke: palette.grid, width: 1 },
        ticks: { show: false },
        splits: () => [0, 2, 4, 6, 8, 10],
      },
    ],
    series: [
      {},
      {
        label: 'Program score',
        stroke: palette.points,
        fill: palette.pointsFill,
        width: 1,
        paths: () => null,
        points: { show: true, size: 7, width: 1, stroke: palette.points, fill: palette.pointsFill },
      },
      {
        label: 'Best so far',
        stroke: palette.best,
        width: 2,
        paths: uPlotClass.paths.stepped!({ align: 1 }),
        points: { show: false },
      },
    ],
    hooks: {
      // Shade every other iteration's band so programs read as grouped.
      drawClear: [
        (u) => {
          const { ctx, bbox } = u;
          const min = u.scales.x!.min ?? 0.5;
          const max = u.scales.x!.max ?? 1.5;
          ctx.save();
          ctx.fillStyle = palette.band;
          for (let n = 2; n - 0.5 < max; n += 2) {
            const left = u.valToPos(Math.max(min, n - 0.5), 'x', true);
            const right = u.valToPos(Math.min(max, n + 0.5), 'x', true);
            ctx.fillRect(left, bbox.top, right - left, bbox.height);
          }
          ctx.restore();
        },
      ],
    },
  };
}

export function ScoreChart({ points, iterations, perIteration, className, ...props }: ScoreChartProps) {
  const input = React.useMemo<Latest>(() => ({ points, iterations, perIteration }), [points, iterations, perIteration]);
  const { rootRef, mountRef } = useUplot({
    input,
    options: (uPlotClass, width, latest) => {
      const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
      return chartOptions(uPlotClass, width, latest, dark ? DARK : LIGHT);
    },
    columns: ({ points: current, perIteration: slots }) => scoreColumns(current, slots),
    count: ({ points: current }) => current.length,
    height: HEIGHT,
  });

  return (
    <div ref={rootRef} data-slot="score-chart" data-testid="score-chart" className={cn('grid gap-2', className)} {...props}>
      <div ref={mountRef} data-slot="score-chart-canvas" className="min-h-[200px] w-full min-w-0 overflow-hidden" aria-hidden />
      <div className="text-muted-foreground flex flex-wrap items-center gap-x-4 gap-y-1 text-xs">
        <span className="flex items-center gap-1.5">
          <span className="size-2 rounded-full border border-indigo-600 bg-indigo-500/45 dark:border-indigo-300" aria-hidden />
          Program score
        </span>
        <span className="flex items-center gap-1.5">
          <span className="h-0.5 w-4 rounded-full bg-emerald-600 dark:bg-emerald-400" aria-hidden />
          Best so far
        </span>
        <span className="ml-auto">10 = every training pair exact</span>
      </div>
    </div>
  );
}
