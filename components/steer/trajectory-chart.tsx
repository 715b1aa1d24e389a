'use client';

/**
 * The 2-D trajectory: each token's SAE activation vector projected on the plane of the first two
 * principal components of the activations seen so far (`trajectoryOf`, computed in the browser),
 * one path per channel in token order. Drawn as SVG; `data-points` counts the points drawn.
 */
import * as React from 'react';
import { cn } from '@/lib/cn';
import { trajectoryOf, type SteerView } from '@/lib/kinds/steer';

const SIZE = 220;
const PAD = 12;
const STROKES = { default: '#71717a', steered: '#4f46e5' } as const;

export function TrajectoryChart({ view, className }: { view: SteerView | null; className?: string }) {
  const points = React.useMemo(() => (view ? trajectoryOf(view) : []), [view]);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [minX, maxX] = [Math.min(0, ...xs), Math.max(0, ...xs)];
  const [minY, maxY] = [Math.min(0, ...ys), Math.max(0, ...ys)];
  const sx = (x: number) => PAD + ((x - minX) / (maxX - minX || 1)) * (SIZE - 2 * PAD);
  const sy = (y: number) => SIZE - PAD - ((y - minY) / (maxY - minY || 1)) * (SIZE - 2 * PAD);

  return (
    <figure data-testid="trajectory-chart" data-points={points.length} className={cn('grid gap-1', className)}>
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} className="w-full max-w-[260px] rounded-md border" role="img" aria-label="Activation trajectory on the first two principal components">
        {(['default', 'steered'] as const).map((channel) => {
          const own = points.filter((p) => p.channel === channel).sort((a, b) => a.tokenIndex - b.tokenIndex);
          return (
            <g key={channel} stroke={STROKES[channel]} fill={STROKES[channel]}>
              <polyline fill="none" strokeWidth={1} strokeOpacity={0.6} points={own.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} />
              {own.map((p) => (
                <circle key={p.tokenIndex} cx={sx(p.x)} cy={sy(p.y)} r={2.5} />
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="text-muted-foreground text-xs">PC1 × PC2 of the activations · grey: default · indigo: steered</figcaption>
    </figure>
  );
}
