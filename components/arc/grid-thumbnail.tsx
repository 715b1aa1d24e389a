/**
 * A small, non-interactive picture of a grid, fitted and centred in a square box. Renders on the
 * server; no JavaScript.
 */
import * as React from 'react';
import type { Grid } from '@/lib/arc/task';
import { cn } from '@/lib/cn';
import { GridSvg } from './grid-svg';

export type GridThumbnailProps = React.ComponentProps<'div'> & {
  grid: Grid;
  /** Side of the square box in pixels. */
  size?: number;
  label?: string;
};

export function GridThumbnail({ grid, size = 96, label = 'Thumbnail', className, style, ...props }: GridThumbnailProps) {
  const longest = Math.max(grid.length, grid[0]?.length ?? 0, 1);
  const cellSize = Math.max(1, Math.floor(size / longest));
  return (
    <div
      data-slot="grid-thumbnail"
      data-testid="grid-thumbnail"
      className={cn('bg-muted flex shrink-0 items-center justify-center rounded-md', className)}
      style={{ width: size, height: size, ...style }}
      {...props}
    >
      <GridSvg grid={grid} cellSize={cellSize} gridLines={cellSize >= 8} label={label} className="rounded-[2px]" />
    </div>
  );
}
