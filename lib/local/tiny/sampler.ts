/**
 * Token choice: a seeded PRNG (mulberry32), temperature (0 is greedy), a frequency penalty, and
 * the chosen token's log-probability with the top alternatives.
 */

import { mulberry32 } from '../../seededRandom.ts';

export { mulberry32 };

export interface SampleResult {
  id: number;
  logprob: number;
  top: { id: number; logprob: number }[];
}

export interface Sampler {
  /** Chooses the next token from `logits` (not modified) given how often each token was generated so far. */
  sample(logits: Float32Array, counts: Uint32Array): SampleResult;
}

export function createSampler(options: { seed: number; temperature: number; freqPenalty?: number; topN?: number }): Sampler {
  const random = mulberry32(options.seed);
  const penalty = options.freqPenalty ?? 0;
  const topN = options.topN ?? 5;
  let scratch = new Float64Array(0);
  return {
    sample(logits, counts) {
      const n = logits.length;
      if (scratch.length !== n) scratch = new Float64Array(n);
      const z = scratch;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = logits[i]! - penalty * counts[i]!;
        z[i] = v;
        if (v > max) max = v;
      }
      // log-softmax at temperature 1 of the penalised logits: what logprob and topLogprobs report.
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.exp(z[i]! - max);
      const logZ = max + Math.log(sum);
      let id = 0;
      if (options.temperature <= 0) {
        for (let i = 1; i < n; i++) if (z[i]! > z[id]!) id = i;
      } else {
        const t = options.temperature;
        let total = 0;
        for (let i = 0; i < n; i++) total += Math.exp((z[i]! - max) / t);
        let u = random() * total;
        id = n - 1;
        for (let i = 0; i < n; i++) {
          u -= Math.exp((z[i]! - max) / t);
          if (u < 0) {
            id = i;
            break;
          }
        }
      }
      const top: { id: number; logprob: number }[] = [];
      for (let i = 0; i < n; i++) {
        const lp = z[i]! - logZ;
        if (top.length === topN && lp <= top[topN - 1]!.logprob) continue;
        let at = top.length;
        while (at > 0 && top[at - 1]!.logprob < lp) at--;
        top.splice(at, 0, { id: i, logprob: lp });
        if (top.length > topN) top.pop();
      }
      return { id, logprob: z[id]! - logZ, top };
    },
  };
}
