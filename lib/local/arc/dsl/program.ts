/**
 * Programs of the DSL: run one on a grid, describe it in a line of prose, measure its size (the
 * solver prefers shorter programs), and render it as a self-contained Python `transform(grid)`.
 */
import { isValidGrid, type Grid } from '../grid.ts';
import { getOp, PY_FUNCTIONS } from './registry.ts';
import type { Arg, Program, ShapeKind, Step } from './types.ts';

/** Run one step; null where the op does not apply or the result is not a valid ARC grid. */
export function runStep(step: Step, g: Grid): Grid | null {
  let out: Grid | null;
  try {
    out = getOp(step.op).apply(g, step.args);
  } catch {
    return null;
  }
  return isValidGrid(out) ? out : null;
}

export function runProgram(program: Program, g: Grid): Grid | null {
  let cur: Grid | null = g;
  for (const step of program) {
    if (!cur) return null;
    cur = runStep(step, cur);
  }
  return cur;
}

export function stepShape(step: Step): ShapeKind {
  const { shape } = getOp(step.op);
  return typeof shape === 'function' ? shape(step.args) : shape;
}

export function describeProgram(program: Program): string {
  if (program.length === 0) return 'Return the grid unchanged.';
  const text = program.map((s) => getOp(s.op).describe(s.args)).join(', then ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A short name such as `geom(1)+recolor`, for lists and logs. */
export function programName(program: Program): string {
  if (program.length === 0) return 'identity';
  return program.map((s) => (s.args.every((a) => typeof a === 'number') ? `${s.op}(${s.args.join(',')})` : s.op)).join('+');
}

/** Python literal for an argument; table keys that look like integers become int keys. */
export function pyLiteral(arg: Arg): string {
  if (typeof arg === 'number') {
    if (!Number.isInteger(arg)) throw new Error('DSL arguments are integers');
    return String(arg);
  }
  if (Array.isArray(arg)) return `[${arg.map(pyLiteral).join(', ')}]`;
  const entries = Object.entries(arg).map(([k, v]) => `${/^-?\d+$/.test(k) ? k : JSON.stringify(k)}: ${pyLiteral(v)}`);
  return `{${entries.join(', ')}}`;
}

/** Python helper sources the program needs, dependencies first, each once. */
function pythonFunctions(program: Program): string[] {
  const order: string[] = [];
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    const fn = PY_FUNCTIONS.get(name);
    if (!fn) throw new Error(`no Python for ${name}`);
    for (const dep of fn.deps) visit(dep);
    order.push(name);
  };
  for (const step of program) visit(`_${step.op}`);
  return order.map((name) => PY_FUNCTIONS.get(name)!.src);
}

/** The program as a self-contained Python module defining `transform(grid)` (lists only, no imports). */
export function programToPython(program: Program): string {
  const header = `# ${describeProgram(program)}`;
  const body = [
    'def transform(grid):',
    '    g = [list(row) for row in grid]',
    ...program.map((s) => `    g = _${s.op}(g${s.args.map((a) => `, ${pyLiteral(a)}`).join('')})`),
    '    return g',
  ];
  return [header, ...pythonFunctions(program), body.join('\n')].join('\n\n') + '\n';
}
