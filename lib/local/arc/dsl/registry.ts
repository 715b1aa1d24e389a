/**
 * Every op of the DSL by name, and every Python function (op helpers and shared helpers) by
 * Python name, so a program can be run in TypeScript and rendered as Python from one table.
 */
import { colorHelpers, colorOps } from './color';
import { componentHelpers } from './components';
import { cropOps } from './crop';
import { fillOps } from './fill';
import { geometryOps } from './geometry';
import { gravityOps } from './gravity';
import { localRuleOps } from './localRule';
import { objectOps } from './objects';
import { partOps, partsHelpers } from './parts';
import { periodicOps } from './periodic';
import { scaleOps } from './scale';
import { symmetryOps } from './symmetry';
import type { OpDef, PyHelper } from './types';

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
