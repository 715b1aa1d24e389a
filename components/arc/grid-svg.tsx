/**
 * The one drawing of an ARC grid, shared by the renderer, the thumbnail and the diff: a single SVG
 * whose viewBox is one unit per cell, with one `<path>` per colour (cells merged into horizontal
 * runs) and one for the grid lines. A 30x30 grid is a dozen elements rather than 900, so dozens of
 * grids on a page stay cheap, and it renders on the server without JavaScript.
 */
import * as React from 'react';
import type { Grid } from '@/lib/arc/task';
import { ARC_PALETTE } from '@/lib/arc/palette';
import { cn } from '@/lib/cn';

/** Path data of each colour's cells (colour 0 is the background and has none). */
function colourPaths(grid: Grid): { colour: number; d: string }[] {
  const parts: string[][] = Array.from({ length: ARC_PALETTE.length }, () => []);
  grid.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      const colour = row[c]!;
      let end = c + 1;
      while (end < row.length && row[end] === colour) end += 1;
      if (colour !== 0) parts[colour]?.push(`M${c} ${r}h${end - c}v1h${c - end}z`);
      c = end;
    }
  });
  return parts.flatMap((list, colour) => (list.length ? [{ colour, d: list.join('') }] : []));
}

/** Path data of the inner grid lines of a `rows` x `cols` grid. */
function gridLinePath(rows: number, cols: number): string {
  let d = '';
  for (let r = 1; r < rows; r += 1) d += `M0 ${r}H${cols}`;
  for (let c = 1; c < cols; c += 1) d += `M${c} 0V${rows}`;
  return d;
}

/** Pixels per cell that fit the longest side of the largest grid into `fit` pixels, between 6 and 28. */
export function fittedCellSize(grids: Grid[], fit = 240): number {
  const longest = Math.max(1, ...grids.map((g) => Math.max(g.length, g[0]?.length ?? 0)));
  return Math.max(6, Math.min(28, Math.floor(fit / longest)));
}

/** A short description of a grid for screen readers: `Grid, 3 rows by 4 columns`. */
function describeGrid(grid: Grid, label = 'Grid'): string {
  const rows = grid.length;
  const cols = grid[0]?.length ?? 0;
  return `${label}, ${rows} ${rows === 1 ? 'row' : 'rows'} by ${cols} ${cols === 1 ? 'column' : 'columns'}`;
}

export type GridSvgProps = Omit<React.ComponentProps<'svg'>, 'children'> & {
  grid: Grid;
  /** Pixels per cell. */
  cellSize: number;
  /** Thin lines between cells (default: on when cells are 6 px or more). */
  gridLines?: boolean;
  /** Cells to cross out, as `[row, column]` (the diff's wrong cells). */
  marks?: ReadonlyArray<readonly [number, number]>;
  /** A cell to outline (the hovered one). */
  highlight?: readonly [number, number] | null;
  /** What the image is, for the accessible name. */
  label?: string;
};

const NON_SCALING = { vectorEffect: 'non-scaling-stroke' } as const;

export function GridSvg({ grid, cellSize, gridLines, marks, highlight, label, className, ...props }: GridSvgProps) {
  const rows = grid.length;
  const cols = grid[0]?.length ?? 0;
  const paths = colourPaths(grid);
  const lines = gridLines ?? cellSize >= 6;
  const markPath = marks?.map(([r, c]) => `M${c + 0.22} ${r + 0.22}L${c + 0.78} ${r + 0.78}M${c + 0.78} ${r + 0.22}L${c + 0.22} ${r + 0.78}`).join('');
  return (
    <svg
      data-slot="grid-svg"
      role="img"
      aria-label={describeGrid(grid, label)}
      viewBox={`0 0 ${cols} ${rows}`}
      width={cols * cellSize}
      height={rows * cellSize}
      shapeRendering="crispEdges"
      className={cn('block shrink-0', className)}
      {...props}
    >
      <rect width={cols} height={rows} fill={ARC_PALETTE[0]} />
      {paths.map(({ colour, d }) => (
        <path key={colour} d={d} fill={ARC_PALETTE[colour]} />
      ))}
      {lines && <path d={gridLinePath(rows, cols)} stroke="rgb(136 136 136 / 0.45)" strokeWidth={1} fill="none" {...NON_SCALING} />}
      {markPath && (
        <g data-slot="grid-marks" fill="none" shapeRendering="geometricPrecision" strokeLinecap="round">
          <path d={markPath} stroke="#000" strokeWidth={Math.max(3, cellSize / 5)} {...NON_SCALING} />
          <path d={markPath} stroke="#fff" strokeWidth={Math.max(1.5, cellSize / 10)} {...NON_SCALING} />
        </g>
      )}
      {highlight && (
        <g data-slot="grid-highlight" fill="none" pointerEvents="none">
          <rect x={highlight[1]} y={highlight[0]} width={1} height={1} stroke="#000" strokeWidth={3} {...NON_SCALING} />
          <rect x={highlight[1]} y={highlight[0]} width={1} height={1} stroke="#fff" strokeWidth={1.5} {...NON_SCALING} />
        </g>
      )}
    </svg>
  );
}
