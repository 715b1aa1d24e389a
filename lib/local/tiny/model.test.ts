import { describe, expect, test } from 'vitest';
import { loadTinyEngine } from './engine.ts';
import { writeRandomTiny } from './testing/randomWeights.ts';

const { model } = loadTinyEngine(writeRandomTiny({ nCtx: 16 }));

describe('tiny model forward pass', () => {
  test('a prompt fed in one batch gives the same logits as feeding it token by token', () => {
    const ids = [3, 100, 257, 42, 9, 200, 7];
    const batched = model.forward(model.createState(), ids, { wantLogits: true })!;
    const state = model.createState();
    let stepped: Float32Array | null = null;
    for (const id of ids) stepped = model.step(state, id, { wantLogits: true });
    for (let i = 0; i < batched.length; i++) expect(stepped![i]).toBeCloseTo(batched[i]!, 5);
  });

  test('the cache gives the next token the same logits as a fresh pass over the whole sequence', () => {
    const state = model.createState();
    model.forward(state, [5, 6, 7], {});
    const cached = model.step(state, 8, { wantLogits: true })!;
    const fresh = model.forward(model.createState(), [5, 6, 7, 8], { wantLogits: true })!;
    for (let i = 0; i < fresh.length; i++) expect(cached[i]).toBeCloseTo(fresh[i]!, 5);
  });

  test('the hook sees each position after its block and can change what follows', () => {
    const seen: number[] = [];
    const plain = model.forward(model.createState(), [1, 2, 3], { wantLogits: true })!;
    const changed = model.forward(model.createState(), [1, 2, 3], {
      wantLogits: true,
      hookLayer: 1,
      hook: (x) => {
        seen.push(x.length);
        x[0] = x[0]! + 5;
      },
    })!;
    expect(seen).toEqual([32, 32, 32]);
    expect(changed).not.toEqual(plain);
  });

  test('feeding past the context window is refused', () => {
    expect(() => model.forward(model.createState(), new Array(17).fill(1), {})).toThrow(/past the context/);
  });
});
