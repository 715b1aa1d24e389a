'use client';

/**
 * The 2-D trajectory: each token's SAE activation vector as a point on a fixed plane (`trajectoryOf`:
 * local:tiny's PCA plane, sent with each token), one path per channel in token order, drawn with
 * uPlot in its x-y mode as tokens arrive. `data-points` counts the points drawn.
 */
import 'uplot/dist/uPlot.min.css';
import * as React from 'react';
import type uPlot from 'uplot';
import { useUplot } from '@/components/charts/use-uplot';
import { cn } from '@/lib/cn';
import { trajectoryOf, type SteerView, type TrajectoryPoint } from '@/lib/kinds/steer';

const HEIGHT = 240;
const STROKES = { default: '#71717a', steered: '#4f46e5' } as const;

function pathOf(points: readonly TrajectoryPoint[], channel: keyof typeof STROKES): [number[], number[]] {
  const own = points.filter((p) => p.channel === channel).sort((a, b) => a.tokenIndex - b.tokenIndex);
  return [own.map((p) => p.x), own.map((p) => p.y)];
}

function columns(points: readonly TrajectoryPoint[]): uPlot.AlignedData {
  // x-y mode: the first entry is unused, then one [xs, ys] pair per series.
  return [null, pathOf(points, 'default'), pathOf(points, 'steered')] as unknown as uPlot.AlignedData;
}

function options(uPlotClass: typeof uPlot, width: number): uPlot.Options {
  const font = '11px ui-sans-serif, system-ui, sans-serif';
  const series = (channel: keyof typeof STROKES): uPlot.Series => ({
    label: channel,
    stroke: STROKES[channel],
    width: 1,
    paths: uPlotClass.paths.linear!(),
    points: { show: true, size: 5, stroke: STROKES[channel], fill: STROKES[channel] },
    facets: [
      { scale: 'x', auto: true },
      { scale: 'y', auto: true },
    ],
  });
  return {
    mode: 2,
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false } },
    scales: { x: { time: false, auto: true }, y: { auto: true } },
    axes: [
      { font, label: 'PC1', labelFont: font, labelSize: 16, size: 26, stroke: '#71717a' },
      { font, label: 'PC2', labelFont: font, labelSize: 16, size: 36, stroke: '#71717a' },
    ],
    series: [{}, series('default'), series('steered')],
  };
}

export function TrajectoryChart({ view, className }: { view: SteerView | null; className?: string }) {
  const points = React.useMemo(() => (view ? trajectoryOf(view) : []), [view]);
  const { rootRef, mountRef } = useUplot({ input: points, options, columns, count: (p) => p.length, height: HEIGHT, minWidth: 200 });
  return (
    <figure ref={rootRef} data-testid="trajectory-chart" data-points="0" className={cn('grid min-w-0 gap-1', className)}>
      <div ref={mountRef} className="min-h-[240px] w-full min-w-0 overflow-hidden rounded-md border" role="img" aria-label="Activation trajectory on the first two principal components" />
      <figcaption className="text-muted-foreground text-xs">PC1 × PC2 of the SAE activations · grey: default · indigo: steered</figcaption>
    </figure>
  );
}
