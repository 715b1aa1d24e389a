/**
 * The shape of the DSL: an op is a named grid transformation with literal arguments, implemented
 * twice, once in TypeScript (`apply`) and once as a Python helper function (`python`), and the two
 * must agree cell for cell. A program is a list of steps applied in order.
 */
import type { Grid } from '../grid.ts';

/** An argument a step carries: a JSON-like literal that renders as Python source. */
export type Arg = number | Arg[] | { [key: string]: number };

export type ShapeKind = 'same' | 'transpose' | 'other';

/** A shared Python helper function several ops call. */
export interface PyHelper {
  src: string;
  deps: readonly string[];
}

export interface OpDef {
  /** Key of the op; the Python helper is named `_<name>`. */
  name: string;
  /** One phrase of prose describing the step with these arguments. */
  describe(args: readonly Arg[]): string;
  /** The transformation, or null where it does not apply to this grid. */
  apply(g: Grid, args: readonly Arg[]): Grid | null;
  /** Source of `def _<name>(g, ...)`; raises where `apply` returns null. */
  python: string;
  /** Names of shared Python helpers (see `PY_HELPERS`) the source calls. */
  deps?: readonly string[];
  /** How the op changes the grid's shape: kept, transposed, or anything else. */
  shape: ShapeKind | ((args: readonly Arg[]) => ShapeKind);
}

export interface Step {
  op: string;
  args: Arg[];
}

export type Program = Step[];

/** Integer argument at `i` (the DSL only stores integers there). */
export function intArg(args: readonly Arg[], i: number): number {
  const v = args[i];
  if (typeof v !== 'number') throw new Error(`argument ${i} must be a number`);
  return v;
}

/** Integer-keyed table argument at `i` (colour maps, property tables, rule tables). */
export function tableArg(args: readonly Arg[], i: number): { [key: string]: number } {
  const v = args[i];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`argument ${i} must be a table`);
  return v;
}

/** Matrix argument at `i` (tiling layouts). */
export function matrixArg(args: readonly Arg[], i: number): number[][] {
  const v = args[i];
  if (!Array.isArray(v)) throw new Error(`argument ${i} must be a list`);
  return v.map((row) => {
    if (!Array.isArray(row)) throw new Error(`argument ${i} must be a list of lists`);
    return row.map((x) => (typeof x === 'number' ? x : 0));
  });
}
