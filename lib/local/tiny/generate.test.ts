import { describe, expect, test } from 'vitest';
import { loadTinyEngine } from './engine.ts';
import { generateSync, type TinyGenerateOptions, type TinyTokenEvent } from './generate.ts';
import { writeRandomTiny } from './testing/randomWeights.ts';

const engine = loadTinyEngine(writeRandomTiny({ nCtx: 24 }));

function run(options: Partial<TinyGenerateOptions> = {}): { events: TinyTokenEvent[]; text: string; finishReason: string } {
  const gen = generateSync(engine, { prompt: 'the whale', maxTokens: 20, temperature: 1, seed: 42, ...options });
  const events: TinyTokenEvent[] = [];
  for (;;) {
    const next = gen.next();
    if (next.done) return { events, text: events.map((e) => e.text).join(''), finishReason: next.value.finishReason };
    events.push(next.value);
  }
}

describe('tiny generation', () => {
  test('the same seed gives the same tokens', () => {
    expect(run().events.map((e) => e.id)).toEqual(run().events.map((e) => e.id));
  });

  test('a different seed gives different tokens', () => {
    expect(run({ seed: 1 }).events.map((e) => e.id)).not.toEqual(run({ seed: 2 }).events.map((e) => e.id));
  });

  test('steering with zero strength gives exactly the default generation', () => {
    const steered = run({ steering: { method: 'SIMPLE_ADDITIVE', strengthMultiplier: 1, features: [{ index: 3, strength: 0 }] } });
    expect(steered.events).toEqual(run().events);
  });

  test('steering a feature strongly changes the generation', () => {
    const steered = run({ steering: { method: 'SIMPLE_ADDITIVE', strengthMultiplier: 1, features: [{ index: 3, strength: 40 }] } });
    expect(steered.events.map((e) => e.id)).not.toEqual(run().events.map((e) => e.id));
  });

  test('each event reports its log-probability among the top 5 alternatives, and up to 8 features', () => {
    const { events } = run({ temperature: 0 });
    for (const event of events) {
      expect(event.topLogprobs).toHaveLength(5);
      expect(event.logprob).toBeCloseTo(event.topLogprobs[0]!.logprob, 10); // greedy: the chosen token is the most likely
      expect(event.features.length).toBeLessThanOrEqual(8);
    }
  });

  test('watched features are reported even when not among the top activations', () => {
    const { events } = run({ watchFeatures: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    for (const event of events) for (const w of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) expect(event.features.some((f) => f.index === w)).toBe(true);
  });

  test('generation past the context window keeps going (the cache is recomputed over the recent tokens)', () => {
    const { events, finishReason } = run({ maxTokens: 60 });
    expect(finishReason).toBe('max_tokens');
    expect(events).toHaveLength(60);
  });

  test('a frequency penalty changes greedy output that repeats itself', () => {
    const plain = run({ temperature: 0, maxTokens: 30 }).events.map((e) => e.id);
    const penalised = run({ temperature: 0, maxTokens: 30, freqPenalty: 5 }).events.map((e) => e.id);
    expect(penalised).not.toEqual(plain);
  });

  test('generation stops at a stop sequence and does not emit it', () => {
    const full = run({ temperature: 0, maxTokens: 30 }).text;
    const stop = full.slice(6, 8);
    const stopped = run({ temperature: 0, maxTokens: 30, stopSequences: [stop] });
    expect(stopped.finishReason).toBe('stop_sequence');
    expect(stopped.text).toBe(full.slice(0, full.indexOf(stop)));
  });

  test('the emitted deltas add up to the decoded tokens', () => {
    const { events, text } = run({ maxTokens: 40 });
    expect(text).toBe(engine.tokenizer.decode(events.map((e) => e.id).filter((id) => id !== engine.tokenizer.eot)));
  });
});
