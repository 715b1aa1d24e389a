/**
 * Every op of the DSL by name, and every Python function (op helpers and shared helpers) by
 * Python name, so a program can be run in TypeScript and rendered as Python from one table.
 */
import { colorHelpers, colorOps } from './color.ts';
import { componentHelpers } from './components.ts';
import { cropOps } from './crop.ts';
import { fillOps } from './fill.ts';
import { geometryOps } from './geometry.ts';
import { gravityOps } from './gravity.ts';
import { localRuleOps } from './localRule.ts';
import { objectOps } from './objects.ts';
import { partOps, partsHelpers } from './parts.ts';
import { periodicOps } from './periodic.ts';
import { scaleOps } from './scale.ts';
import { symmetryOps } from './symmetry.ts';
import type { OpDef, PyHelper } from './types.ts';

export const ALL_OPS: readonly OpDef[] = [
  ...geometryOps,
  ...colorOps,
  ...scaleOps,
  ...cropOps,
  ...objectOps,
  ...gravityOps,
  ...fillOps,
  ...symmetryOps,
  ...periodicOps,
  ...partOps,
  ...localRuleOps,
];

export const OPS: ReadonlyMap<string, OpDef> = new Map(ALL_OPS.map((op) => [op.name, op]));

/** Python functions by name: `_<op>` for each op, plus the shared helpers. */
export const PY_FUNCTIONS: ReadonlyMap<string, PyHelper> = new Map<string, PyHelper>([
  ...ALL_OPS.map((op): [string, PyHelper] => [`_${op.name}`, { src: op.python, deps: op.deps ?? [] }]),
  ...Object.entries({ ...colorHelpers, ...componentHelpers, ...partsHelpers }),
]);

export function getOp(name: string): OpDef {
  const op = OPS.get(name);
  if (!op) throw new Error(`unknown DSL op: ${name}`);
  return op;
}
