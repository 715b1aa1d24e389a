'use client';

/**
 * An ARC grid to look at closely: the official palette, thin grid lines, the hovered cell's row,
 * column and value under the grid, and zoom buttons. The arrow keys move the pointer cell when the
 * grid has focus, so the read-out works without a mouse.
 */
import * as React from 'react';
import { Minus, Plus } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { colourNameOf, colourOf } from '@/lib/arc/palette';
import type { Grid } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { fittedCellSize, GridSvg } from './grid-svg';

const ZOOM_STEPS = [0.5, 0.75, 1, 1.5, 2, 3] as const;
const DEFAULT_ZOOM = ZOOM_STEPS.indexOf(1);

export type GridRendererProps = Omit<React.ComponentProps<'figure'>, 'children'> & {
  grid: Grid;
  /** Pixels per cell at zoom 1 (default: fitted to about 240 px). */
  cellSize?: number;
  /** What the grid is (`Test 1 input`): the accessible name starts with it. */
  label?: string;
  /** Show the zoom buttons (default true). */
  zoomable?: boolean;
  /** Cells to cross out, as `[row, column]`. */
  marks?: ReadonlyArray<readonly [number, number]>;
};

export function GridRenderer({ grid, cellSize, label, zoomable = true, marks, className, ...props }: GridRendererProps) {
  const rows = grid.length;
  const cols = grid[0]?.length ?? 0;
  const [zoom, setZoom] = React.useState<number>(DEFAULT_ZOOM);
  const [hover, setHover] = React.useState<readonly [number, number] | null>(null);
  const base = cellSize ?? fittedCellSize([grid]);
  const size = Math.max(2, Math.round(base * (ZOOM_STEPS[zoom] ?? 1)));

  const cellAt = (event: React.PointerEvent<SVGSVGElement>): [number, number] | null => {
    const box = event.currentTarget.getBoundingClientRect();
    const r = Math.floor(((event.clientY - box.top) / box.height) * rows);
    const c = Math.floor(((event.clientX - box.left) / box.width) * cols);
    return r >= 0 && c >= 0 && r < rows && c < cols ? [r, c] : null;
  };

  const onKeyDown = (event: React.KeyboardEvent<SVGSVGElement>) => {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (event.key === 'Escape') return setHover(null);
    if (!move) return;
    event.preventDefault();
    const [r, c] = hover ?? [0, 0];
    setHover(hover ? [clamp(r + move[0], rows), clamp(c + move[1], cols)] : [0, 0]);
  };

  const value = hover ? grid[hover[0]]?.[hover[1]] : undefined;

  return (
    <figure
      data-slot="grid-renderer"
      data-testid="grid"
      data-rows={rows}
      data-cols={cols}
      className={cn('inline-flex max-w-full min-w-40 flex-col gap-1.5', className)}
      {...props}
    >
      <div className="border-border/80 max-w-full self-start overflow-auto rounded-sm border">
        <GridSvg
          grid={grid}
          cellSize={size}
          label={label}
          marks={marks}
          highlight={hover}
          data-testid="grid-svg"
          tabIndex={0}
          className="focus-visible:ring-ring/50 cursor-crosshair outline-none focus-visible:ring-[3px]"
          onPointerMove={(event) => setHover(cellAt(event))}
          onPointerLeave={() => setHover(null)}
          onKeyDown={onKeyDown}
          onBlur={() => setHover(null)}
        />
      </div>
      <figcaption className="text-muted-foreground flex h-7 items-center gap-2 text-xs">
        <span data-testid="grid-hover" aria-live="polite" className="flex min-w-0 items-center gap-1.5 font-mono tabular-nums">
          {hover && value !== undefined ? (
            <>
              <span className="size-2.5 shrink-0 rounded-[2px] border border-black/20" style={{ backgroundColor: colourOf(value) }} aria-hidden />
              <span className="truncate" title={colourNameOf(value)}>
                row {hover[0]}, col {hover[1]}: {value}
              </span>
            </>
          ) : (
            <span>
              {rows}×{cols}
            </span>
          )}
        </span>
        {zoomable && (
          <span className="ml-auto flex shrink-0 items-center">
            <Button
              type="button"
              variant="ghost"
              size="icon-sm"
              className="size-6"
              data-testid="zoom-out"
              aria-label="Zoom out"
              disabled={zoom === 0}
              onClick={() => setZoom((z) => Math.max(0, z - 1))}
            >
              <Minus className="size-3.5" aria-hidden />
            </Button>
            <Button
              type="button"
              variant="ghost"
              size="icon-sm"
              className="size-6"
              data-testid="zoom-in"
              aria-label="Zoom in"
              disabled={zoom === ZOOM_STEPS.length - 1}
              onClick={() => setZoom((z) => Math.min(ZOOM_STEPS.length - 1, z + 1))}
            >
              <Plus className="size-3.5" aria-hidden />
            </Button>
          </span>
        )}
      </figcaption>
    </figure>
  );
}

function clamp(n: number, length: number): number {
  return Math.max(0, Math.min(length - 1, n));
}
