'use client';

/**
 * The chosen features' activation per token, both channels (default dashed, steered solid), drawn
 * with uPlot as tokens arrive (`useUplot`: created once per set of features, fed at most once per
 * animation frame). `data-points` on the root holds the number of tokens plotted (the longer
 * channel), written in the same frame.
 */
import 'uplot/dist/uPlot.min.css';
import * as React from 'react';
import type uPlot from 'uplot';
import { useUplot } from '@/components/charts/use-uplot';
import { cn } from '@/lib/cn';
import { featureSeries, type SteerView } from '@/lib/kinds/steer';

const HEIGHT = 200;
const COLORS = ['#4f46e5', '#059669', '#d97706', '#db2777', '#0891b2', '#7c3aed', '#65a30d', '#dc2626'];

export type ActivationChartProps = {
  view: SteerView | null;
  features: readonly { index: number; label: string }[];
  className?: string;
};

function columns(view: SteerView | null, features: readonly { index: number }[]): uPlot.AlignedData {
  const length = Math.max(view?.default.tokens.length ?? 0, view?.steered.tokens.length ?? 0);
  const x = Array.from({ length }, (_, i) => i);
  const series: (number | null)[][] = [];
  for (const feature of features) {
    for (const channel of ['default', 'steered'] as const) {
      const values = view ? featureSeries(view[channel], feature.index) : [];
      series.push(x.map((i) => values[i] ?? null));
    }
  }
  return [x, ...series];
}

function options(width: number, features: readonly { index: number; label: string }[]): uPlot.Options {
  const font = '11px ui-sans-serif, system-ui, sans-serif';
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    scales: { x: { time: false } },
    axes: [
      { font, label: 'Token', labelFont: font, labelSize: 18, size: 28, stroke: '#71717a' },
      { font, label: 'Activation', labelFont: font, labelSize: 18, size: 40, stroke: '#71717a' },
    ],
    series: [
      {},
      ...features.flatMap((feature, i) => {
        const stroke = COLORS[i % COLORS.length]!;
        return [
          { label: `#${feature.index} default`, stroke, width: 1.5, dash: [4, 4], points: { show: false } },
          { label: `#${feature.index} steered`, stroke, width: 2, points: { show: false } },
        ];
      }),
    ],
  };
}

export function ActivationChart({ view, features, className }: ActivationChartProps) {
  const input = React.useMemo(() => ({ view, features }), [view, features]);
  const { rootRef, mountRef } = useUplot({
    input,
    options: (_uPlot, width, latest) => options(width, latest.current.features),
    columns: ({ view: v, features: f }) => columns(v, f),
    count: ({ view: v }) => Math.max(v?.default.tokens.length ?? 0, v?.steered.tokens.length ?? 0),
    height: HEIGHT,
    // The series follow the chosen features: a new set makes a new chart.
    rebuildKey: features.map((f) => f.index).join(','),
  });

  return (
    <div ref={rootRef} data-slot="activation-chart" data-testid="activation-chart" data-points="0" className={cn('grid gap-2', className)}>
      <div ref={mountRef} data-slot="activation-chart-canvas" className="min-h-[200px] w-full min-w-0 overflow-hidden" aria-hidden />
      <div className="text-muted-foreground flex flex-wrap gap-x-4 gap-y-1 text-xs">
        {features.map((f, i) => (
          <span key={f.index} className="flex items-center gap-1.5">
            <span className="h-0.5 w-4 rounded-full" style={{ background: COLORS[i % COLORS.length] }} aria-hidden />#{f.index} {f.label}
          </span>
        ))}
        <span className="ml-auto">dashed: default · solid: steered</span>
      </div>
    </div>
  );
}
