/**
 * Object ops: keep only one selected object, remove small specks (denoising), and recolour every
 * object by a property (size, size rank, touching the border, ...) through a learned table.
 */
import { cloneGrid, type Grid } from '../grid.ts';
import { OBJECT_PROPS, SELECTORS, components, objectProps, selectObject } from './components.ts';
import { intArg, tableArg, type OpDef } from './types.ts';

const connectivity = (diag: number, multi: number): string =>
  `${diag ? '8' : '4'}-connected${multi ? ', any colours' : ''}`;

export const objectOps: OpDef[] = [
  {
    name: 'keep_object',
    describe: (a) => `keep only ${SELECTORS[intArg(a, 1)] ?? 'one object'} (${connectivity(intArg(a, 2), intArg(a, 3))})`,
    apply: (g, a) => {
      const bg = intArg(a, 0);
      const objs = components(g, bg, intArg(a, 2) === 1, intArg(a, 3) === 1);
      const i = selectObject(g, objs, intArg(a, 1));
      if (i < 0) return null;
      const out = g.map((row) => row.map(() => bg));
      for (const [r, c] of objs[i]!) out[r]![c] = g[r]![c]!;
      return out;
    },
    python: `def _keep_object(g, bg, sel, diag, multi):
    objs = _components(g, bg, diag, multi)
    i = _select(g, objs, sel)
    if i < 0:
        raise ValueError('no object')
    out = [[bg for v in row] for row in g]
    for r, c in objs[i]:
        out[r][c] = g[r][c]
    return out`,
    deps: ['_components', '_select'],
    shape: 'same',
  },
  {
    name: 'remove_small',
    describe: (a) => `remove specks of at most ${intArg(a, 1)} cells (${connectivity(intArg(a, 2), 0)})`,
    apply: (g, a) => {
      const bg = intArg(a, 0);
      const out = cloneGrid(g);
      for (const o of components(g, bg, intArg(a, 2) === 1, false)) {
        if (o.length <= intArg(a, 1)) for (const [r, c] of o) out[r]![c] = bg;
      }
      return out;
    },
    python: `def _remove_small(g, bg, k, diag):
    out = [row[:] for row in g]
    for o in _components(g, bg, diag, False):
        if len(o) <= k:
            for r, c in o:
                out[r][c] = bg
    return out`,
    deps: ['_components'],
    shape: 'same',
  },
  {
    name: 'recolor_objects',
    describe: (a) => {
      const table = Object.entries(tableArg(a, 2))
        .map(([k, v]) => `${k}->${v}`)
        .join(', ');
      return `recolour each object by its ${OBJECT_PROPS[intArg(a, 1)] ?? 'property'} (${table})`;
    },
    apply: (g, a) => {
      const table = tableArg(a, 2);
      const objs = components(g, intArg(a, 0), intArg(a, 3) === 1, intArg(a, 4) === 1);
      const props = objectProps(g, objs, intArg(a, 1));
      const out = cloneGrid(g);
      objs.forEach((o, i) => {
        const color = table[props[i]!];
        if (color !== undefined) for (const [r, c] of o) out[r]![c] = color;
      });
      return out;
    },
    python: `def _recolor_objects(g, bg, prop, table, diag, multi):
    objs = _components(g, bg, diag, multi)
    props = _objprops(g, objs, prop)
    out = [row[:] for row in g]
    for o, p in zip(objs, props):
        if p in table:
            for r, c in o:
                out[r][c] = table[p]
    return out`,
    deps: ['_components', '_objprops'],
    shape: 'same',
  },
];
