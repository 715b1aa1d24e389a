// Parity with the Python reference model (training/tiny): logits, the hook residual, the SAE's
// top-k activations and greedy tokens on fixed prompts, tolerance 1e-4. Runs on the random-weight
// fixture always, and on the trained weights when they are present.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadTinyEngine } from './engine.ts';

interface GoldenPrompt {
  text: string;
  ids: number[];
  positions: number[];
  logits: number[][];
  resid: number[][];
  saeTop: { index: number; value: number }[][];
  greedy: number[];
}

const TOLERANCE = 1e-4;
const dirs = [path.join(import.meta.dirname, 'fixtures'), path.join(import.meta.dirname, 'weights')].filter((dir) => existsSync(path.join(dir, 'golden.json')));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

test('the random-weight fixture is present', () => {
  expect(dirs.map((d) => path.basename(d))).toContain('fixtures');
});

describe.each(dirs)('parity with the Python model (%s)', (dir) => {
  const engine = loadTinyEngine(dir);
  const golden = JSON.parse(readFileSync(path.join(dir, 'golden.json'), 'utf8')) as { hook_layer: number; prompts: GoldenPrompt[] };

  /** Runs the prompt through the model in one batch, keeping each position's residual at the hook. */
  function run(ids: number[]) {
    const resid: Float32Array[] = [];
    const state = engine.model.createState();
    const logitsAt: Float32Array[] = [];
    // One position at a time, so every position's logits can be compared.
    for (const id of ids) {
      logitsAt.push(engine.model.step(state, id, { wantLogits: true, hookLayer: golden.hook_layer, hook: (x) => void resid.push(Float32Array.from(x)) })!);
    }
    return { resid, logitsAt };
  }

  test('the hook in golden.json is the SAE hook', () => {
    expect(golden.hook_layer).toBe(engine.sae.config.hook_layer);
  });

  test.each(golden.prompts.map((p) => [p.text, p] as const))('the tokenizer encodes %j to the same ids', (_text, prompt) => {
    expect(engine.tokenizer.encode(prompt.text)).toEqual(prompt.ids);
  });

  test.each(golden.prompts.map((p) => [p.text, p] as const))('logits for %j match within 1e-4', (_text, prompt) => {
    const { logitsAt } = run(prompt.ids);
    prompt.positions.forEach((p, i) => expect(maxAbsDiff(logitsAt[p]!, prompt.logits[i]!)).toBeLessThan(TOLERANCE));
  });

  test.each(golden.prompts.map((p) => [p.text, p] as const))('a batched prefill of %j gives the same last logits', (_text, prompt) => {
    const logits = engine.model.forward(engine.model.createState(), prompt.ids, { wantLogits: true })!;
    const last = prompt.positions.indexOf(prompt.ids.length - 1);
    expect(maxAbsDiff(logits, prompt.logits[last]!)).toBeLessThan(TOLERANCE);
  });

  test.each(golden.prompts.map((p) => [p.text, p] as const))('the hook residual and SAE activations for %j match', (_text, prompt) => {
    const { resid } = run(prompt.ids);
    prompt.positions.forEach((p, i) => {
      expect(maxAbsDiff(resid[p]!, prompt.resid[i]!)).toBeLessThan(TOLERANCE);
      const acts = engine.sae.encode(resid[p]!);
      const expected = prompt.saeTop[i]!;
      expect(acts.map((a) => a.index)).toEqual(expected.map((a) => a.index));
      expect(maxAbsDiff(acts.map((a) => a.value), expected.map((a) => a.value))).toBeLessThan(TOLERANCE);
    });
  });

  test.each(golden.prompts.map((p) => [p.text, p] as const))('greedy tokens after %j match', (_text, prompt) => {
    // As the reference does: the last n_ctx tokens, recomputed for each new token.
    const ids = [...prompt.ids];
    const out: number[] = [];
    for (let n = 0; n < prompt.greedy.length; n++) {
      const logits = engine.model.forward(engine.model.createState(), ids.slice(-engine.model.config.n_ctx), { wantLogits: true })!;
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
      out.push(best);
      ids.push(best);
    }
    expect(out).toEqual(prompt.greedy);
  });
});
