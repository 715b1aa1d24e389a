/**
 * What the solver knows about a task before searching: the background colour, the colours of
 * inputs and outputs, and how output shapes relate to input shapes. Step enumeration reads it.
 */
import type { Grid } from './grid.ts';
import { colorCounts } from './grid.ts';

export interface TaskContext {
  trainInputs: Grid[];
  trainOutputs: Grid[];
  testInputs: Grid[];
  /** Commonest colour over all training inputs (almost always 0). */
  bg: number;
  /** Colours other than `bg` in any input (train or test), ascending. */
  inputColors: number[];
  /** Colours other than `bg` in any training output, ascending. */
  outputColors: number[];
  /** Every output has its input's shape. */
  sameShape: boolean;
}

function colorSet(grids: Grid[]): number[] {
  const total = new Array<number>(10).fill(0);
  for (const g of grids) colorCounts(g).forEach((n, c) => (total[c] = total[c]! + n));
  return total.flatMap((n, c) => (n > 0 ? [c] : []));
}

export function taskContext(train: { input: Grid; output: Grid }[], testInputs: Grid[]): TaskContext {
  const trainInputs = train.map((p) => p.input);
  const trainOutputs = train.map((p) => p.output);
  const counts = new Array<number>(10).fill(0);
  for (const g of trainInputs) colorCounts(g).forEach((n, c) => (counts[c] = counts[c]! + n));
  let bg = 0;
  for (let c = 1; c < 10; c++) if (counts[c]! > counts[bg]!) bg = c;
  return {
    trainInputs,
    trainOutputs,
    testInputs,
    bg,
    inputColors: colorSet([...trainInputs, ...testInputs]).filter((c) => c !== bg),
    outputColors: colorSet(trainOutputs).filter((c) => c !== bg),
    sameShape: train.every((p) => p.input.length === p.output.length && p.input[0]!.length === p.output[0]!.length),
  };
}
