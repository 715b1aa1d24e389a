'use client';

/**
 * The chosen features' activation per token, both channels (default dashed, steered solid), drawn
 * with uPlot as tokens arrive. Like the Grover score chart: uPlot is imported on mount, the chart
 * is created once and fed with `setData` at most once per animation frame. `data-points` on the
 * root holds the number of tokens plotted (the longer channel), written in the same frame.
 */
import 'uplot/dist/uPlot.min.css';
import * as React from 'react';
import type uPlot from 'uplot';
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
  const rootRef = React.useRef<HTMLDivElement>(null);
  const plotRef = React.useRef<uPlot | null>(null);
  const latest = React.useRef({ view, features });
  const frame = React.useRef<number | null>(null);
  const featureKey = features.map((f) => f.index).join(',');

  const draw = React.useCallback(() => {
    frame.current = null;
    const plot = plotRef.current;
    const root = rootRef.current;
    if (!plot || !root) return;
    const data = columns(latest.current.view, latest.current.features);
    plot.setData(data);
    root.dataset.points = String(data[0].length);
  }, []);

  React.useEffect(() => {
    latest.current = { view, features };
    if (frame.current === null) frame.current = requestAnimationFrame(draw);
  }, [view, features, draw]);

  // (Re)create the chart when the chosen features change: its series follow them.
  React.useEffect(() => {
    const root = rootRef.current;
    const mount = root?.querySelector<HTMLDivElement>('[data-slot="activation-chart-canvas"]');
    if (!root || !mount) return;
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void import('uplot').then(({ default: uPlotClass }) => {
      if (cancelled) return;
      const width = Math.max(240, mount.clientWidth);
      const data = columns(latest.current.view, latest.current.features);
      const plot = new uPlotClass(options(width, latest.current.features), data, mount);
      plotRef.current = plot;
      root.dataset.points = String(data[0].length);
      root.dataset.ready = 'true';
      observer = new ResizeObserver(() => {
        const next = Math.max(240, mount.clientWidth);
        if (next !== plot.width) plot.setSize({ width: next, height: HEIGHT });
      });
      observer.observe(mount);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      plotRef.current?.destroy();
      plotRef.current = null;
      delete root.dataset.ready;
    };
  }, [featureKey]);

  return (
    <div ref={rootRef} data-slot="activation-chart" data-testid="activation-chart" data-points="0" className={cn('grid gap-2', className)}>
      <div data-slot="activation-chart-canvas" className="min-h-[200px] w-full min-w-0 overflow-hidden" aria-hidden />
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
