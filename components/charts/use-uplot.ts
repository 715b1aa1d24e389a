'use client';

/**
 * The lifecycle every live uPlot chart here shares: uPlot is imported on mount (so it never runs
 * on the server), the chart is created once (again when `rebuildKey` changes: its series follow
 * it), fed with `setData` at most once per animation frame however often its input changes, sized
 * to its container's width through a ResizeObserver, and destroyed on unmount. The root element
 * carries `data-points` (what `count` says is plotted, written in the same frame as the data) and
 * `data-ready` once the chart exists.
 */
import * as React from 'react';
import type uPlot from 'uplot';

export interface UplotSpec<T> {
  /** The chart's input; a new value is drawn on the next frame. */
  input: T;
  /** uPlot's options at this width; `latest` reads the input at draw time (for ranges and hooks). */
  options(uPlotClass: typeof uPlot, width: number, latest: React.RefObject<T>): uPlot.Options;
  columns(input: T): uPlot.AlignedData;
  /** What `data-points` reports for this input. */
  count(input: T): number;
  height: number;
  minWidth?: number;
  rebuildKey?: string;
}

export function useUplot<T>({ input, options, columns, count, height, minWidth = 240, rebuildKey = '' }: UplotSpec<T>) {
  const rootRef = React.useRef<HTMLDivElement>(null);
  const mountRef = React.useRef<HTMLDivElement>(null);
  const plotRef = React.useRef<uPlot | null>(null);
  const latest = React.useRef<T>(input);
  const frame = React.useRef<number | null>(null);
  // The spec's functions are usually module-level, but a caller may pass closures: read the latest.
  const spec = React.useRef({ options, columns, count });
  spec.current = { options, columns, count };

  const draw = React.useCallback(() => {
    frame.current = null;
    const plot = plotRef.current;
    const root = rootRef.current;
    if (!plot || !root) return;
    plot.setData(spec.current.columns(latest.current));
    root.dataset.points = String(spec.current.count(latest.current));
  }, []);

  React.useEffect(() => {
    latest.current = input;
    if (frame.current === null) frame.current = requestAnimationFrame(draw);
  }, [input, draw]);

  React.useEffect(() => {
    const root = rootRef.current;
    const mount = mountRef.current;
    if (!root || !mount) return;
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void import('uplot').then(({ default: uPlotClass }) => {
      if (cancelled) return;
      const width = Math.max(minWidth, mount.clientWidth);
      const plot = new uPlotClass(spec.current.options(uPlotClass, width, latest), spec.current.columns(latest.current), mount);
      plotRef.current = plot;
      root.dataset.points = String(spec.current.count(latest.current));
      root.dataset.ready = 'true';
      observer = new ResizeObserver(() => {
        const next = Math.max(minWidth, mount.clientWidth);
        if (next !== plot.width) plot.setSize({ width: next, height });
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
  }, [rebuildKey, height, minWidth]);

  return { rootRef, mountRef };
}
