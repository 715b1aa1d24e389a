import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTinyEngine } from './engine.ts';
import { parseSafetensors, requireTensor } from './safetensors.ts';
import { mulberry32 } from './sampler.ts';
import { writeRandomTiny } from './testing/randomWeights.ts';

const { sae } = loadTinyEngine(writeRandomTiny({ dModel: 16, dSae: 48, k: 6 }));

function randomVector(seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: 16 }, () => random() * 4 - 2);
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe('tiny SAE', () => {
  test('encode keeps the k largest positive pre-activations, largest first', () => {
    const x = randomVector(3);
    const acts = sae.encode(x);
    expect(acts.length).toBeLessThanOrEqual(6);
    expect(acts.map((a) => a.value)).toEqual([...acts.map((a) => a.value)].sort((a, b) => b - a));
    expect(acts.every((a) => a.value > 0)).toBe(true);
  });

  test('SIMPLE_ADDITIVE adds multiplier x strength x the decoder row', () => {
    const x = randomVector(4);
    const before = Float32Array.from(x);
    sae.steer(x, { method: 'SIMPLE_ADDITIVE', strengthMultiplier: 2, features: [{ index: 5, strength: 3 }] });
    const row = sae.decoderRow(5);
    x.forEach((v, i) => expect(v).toBeCloseTo(before[i]! + 6 * row[i]!, 5));
  });

  test('ORTHOGONAL_DECOMP with coefficient 1 leaves the residual unchanged', () => {
    const x = randomVector(5);
    const before = Float32Array.from(x);
    sae.steer(x, { method: 'ORTHOGONAL_DECOMP', strengthMultiplier: 1, features: [{ index: 2, strength: 1 }] });
    x.forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 5));
  });

  test('ORTHOGONAL_DECOMP scales the component along the feature direction and keeps the rest', () => {
    const x = randomVector(6);
    const before = Float32Array.from(x);
    const row = sae.decoderRow(7);
    sae.steer(x, { method: 'ORTHOGONAL_DECOMP', strengthMultiplier: 0.5, features: [{ index: 7, strength: 4 }] });
    expect(dot(x, row)).toBeCloseTo(2 * dot(before, row), 4);
    const rest = (v: Float32Array) => v.map((value, i) => value - dot(v, row) * row[i]!);
    rest(x).forEach((v, i) => expect(v).toBeCloseTo(rest(before)[i]!, 4));
  });

  test('projects the activations on the fixed plane as components · (dense activations − mean)', () => {
    const dir = writeRandomTiny({ dModel: 16, dSae: 48, k: 6 });
    const plane = parseSafetensors(new Uint8Array(readFileSync(path.join(dir, 'sae', 'projection.safetensors'))));
    const mean = requireTensor(plane, 'mean', [48]);
    const components = requireTensor(plane, 'components', [2, 48]);
    const own = loadTinyEngine(dir).sae;
    const acts = own.encode(randomVector(8));
    const dense = new Float64Array(48);
    for (const a of acts) dense[a.index] = a.value;
    const expected = [0, 1].map((c) => dense.reduce((sum, v, j) => sum + components[c * 48 + j]! * (v - mean[j]!), 0));
    const [x, y] = own.project(acts)!;
    expect(x).toBeCloseTo(expected[0]!, 5);
    expect(y).toBeCloseTo(expected[1]!, 5);
  });

  test('weights without a plane give no point', () => {
    const own = loadTinyEngine(writeRandomTiny({ dModel: 16, dSae: 48, k: 6, projection: false })).sae;
    expect(own.project(own.encode(randomVector(9)))).toBeNull();
  });

  test('steering an unknown feature is refused', () => {
    expect(() => sae.steer(randomVector(1), { method: 'SIMPLE_ADDITIVE', strengthMultiplier: 1, features: [{ index: 48, strength: 1 }] })).toThrow(RangeError);
  });
});
