/**
 * Does steering work? For each of several SAE features and each of 20 prompts, `local:tiny`
 * writes a default and a steered continuation with the same seed (SIMPLE_ADDITIVE at one
 * strength), and the script compares the two texts on three measures:
 *
 * - activation as generated: the feature's mean SAE activation over the generated tokens, read at
 *   the hook after steering (what the /steer page charts);
 * - activation on re-reading: the same mean when the finished text is fed back through the model
 *   with no steering at all, so it counts only what the words themselves evoke, not the vector
 *   the steering added;
 * - top-token share: the fraction of generated tokens that are among the feature's top
 *   activating tokens (features.json `topTokens`);
 * - promoted-token share: the same for the tokens its decoder direction promotes through the
 *   unembedding (features.json `promotedTokens`), what adding that direction pushes towards.
 *
 * Prints a Markdown table (the README quotes it) and writes bench/results/steer-effect.json.
 *
 *   npm run steer:effect [-- --features 12,57,300 --strength 8 --tokens 48]
 *
 * Features default to, for each of a few words from the corpus's two domains (sea and state), the
 * first live feature whose decoder direction promotes that word (among its top 3 promoted tokens)
 * or whose top activating tokens lead with it; then features whose top tokens are mostly words,
 * to make --count. The rule is fixed before looking at any result.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadTinyEngine, type TinyEngine } from '../lib/local/tiny/engine.ts';
import { generateSync } from '../lib/local/tiny/generate.ts';
import { gitInfo, machineInfo } from '../bench/lib/benchRecord';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    weights: { type: 'string', default: path.join(ROOT, 'lib', 'local', 'tiny', 'weights') },
    features: { type: 'string' },
    count: { type: 'string', default: '4' },
    strength: { type: 'string', default: '8' },
    tokens: { type: 'string', default: '48' },
    temperature: { type: 'string', default: '0.8' },
    out: { type: 'string', default: path.join(ROOT, 'bench', 'results', 'steer-effect.json') },
  },
});

/** Openings that lean to neither domain of the corpus. */
const PROMPTS = [
  'It was late in the evening when',
  'The first thing you should know is that',
  'After a long silence, he said',
  'We have always believed that',
  'In the morning the',
  'There is one question left:',
  'She looked at the map and',
  'For many years the people',
  'Nothing is more important than',
  'When the news came,',
  'I remember the day that',
  'The reason is simple:',
  'At the end of the road there was',
  'They talked for hours about',
  'Let me tell you about the',
  'It is true that',
  'Before the sun rose,',
  'The old man knew',
  'This year, for the first time,',
  'Most of all, we need',
];

/** Words whose features make a readable table: the sea against the state. */
const THEMES = [' whale', ' Congress', ' sea', ' war', ' ship', ' tax', ' boat', ' economy'];

interface FeatureEntry {
  index: number;
  label: string;
  density: number;
  topTokens: string[];
  promotedTokens: string[];
  dead?: boolean;
}

function chooseFeatures(features: FeatureEntry[], explicit: string | undefined, count: number): FeatureEntry[] {
  const byIndex = new Map(features.map((f) => [f.index, f]));
  if (explicit) {
    return explicit.split(',').map((part) => {
      const feature = byIndex.get(Number(part));
      if (!feature) throw new Error(`feature ${part} is not in features.json`);
      return feature;
    });
  }
  const live = features.filter((f) => !f.dead && f.topTokens.length >= 1 && f.density > 0.0005 && f.density < 0.1);
  const chosen: FeatureEntry[] = [];
  for (const theme of THEMES) {
    if (chosen.length >= count) break;
    const match =
      live.find((f) => !chosen.includes(f) && f.promotedTokens.slice(0, 3).includes(theme)) ?? live.find((f) => !chosen.includes(f) && f.topTokens.slice(0, 2).includes(theme));
    if (match) chosen.push(match);
  }
  // Then features whose top tokens are mostly words (not punctuation or word pieces).
  const wordy = (f: FeatureEntry) => f.topTokens.filter((t) => /^ [A-Za-z]{3,}$/.test(t)).length;
  for (const f of [...live].sort((a, b) => wordy(b) - wordy(a) || b.density - a.density)) {
    if (chosen.length >= count) break;
    if (!chosen.includes(f)) chosen.push(f);
  }
  return chosen;
}

interface Generated {
  ids: number[];
  text: string;
  /** The watched feature's activation at each generated token, as generated. */
  activations: number[];
}

function generate(engine: TinyEngine, prompt: string, seed: number, feature: number, strength: number): Generated {
  const ids: number[] = [];
  const activations: number[] = [];
  let text = '';
  const steering = strength === 0 ? undefined : { method: 'SIMPLE_ADDITIVE' as const, strengthMultiplier: 1, features: [{ index: feature, strength }] };
  const run = generateSync(engine, { prompt, maxTokens: Number(values.tokens), temperature: Number(values.temperature), seed, steering, watchFeatures: [feature] });
  for (let step = run.next(); !step.done; step = run.next()) {
    const event = step.value;
    text += event.text;
    if (event.features.length === 0) continue; // the end-of-text token
    ids.push(event.id);
    activations.push(event.features.find((f) => f.index === feature)?.value ?? 0);
  }
  return { ids, text, activations };
}

/** The feature's activation at each of `ids` when prompt + ids are read with no steering. */
function reread(engine: TinyEngine, prompt: string, ids: number[], feature: number): number[] {
  const { model, tokenizer, sae } = engine;
  const context = [tokenizer.eot, ...tokenizer.encode(prompt)];
  const all = [...context, ...ids].slice(0, model.config.n_ctx);
  const values: number[] = [];
  let position = 0;
  const state = model.createState();
  model.forward(state, all, {
    hookLayer: sae.config.hook_layer,
    hook: (x) => {
      // The feature at the position where each generated token is the input.
      if (position++ >= context.length) values.push(sae.encode(x).find((f) => f.index === feature)?.value ?? 0);
    },
  });
  return values;
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function main(): void {
  const engine = loadTinyEngine(values.weights!);
  const featuresJson = JSON.parse(readFileSync(path.join(values.weights!, 'features.json'), 'utf8')) as { features: FeatureEntry[] };
  const chosen = chooseFeatures(featuresJson.features, values.features, Number(values.count));
  const strength = Number(values.strength);
  const rows = [];
  for (const feature of chosen) {
    const top = new Set(feature.topTokens);
    const promoted = new Set(feature.promotedTokens);
    const tally = {
      defaultAct: [] as number[],
      steeredAct: [] as number[],
      defaultReread: [] as number[],
      steeredReread: [] as number[],
      defaultShare: [] as number[],
      steeredShare: [] as number[],
      defaultPromoted: [] as number[],
      steeredPromoted: [] as number[],
    };
    let raisedAct = 0;
    let raisedReread = 0;
    let raisedShare = 0;
    let raisedPromoted = 0;
    const examples: { prompt: string; default: string; steered: string }[] = [];
    for (const [i, prompt] of PROMPTS.entries()) {
      const seed = 1000 + i;
      const plain = generate(engine, prompt, seed, feature.index, 0);
      const steered = generate(engine, prompt, seed, feature.index, strength);
      const shareOf = (g: Generated, tokens: Set<string>) => (g.ids.length === 0 ? 0 : g.ids.filter((id) => tokens.has(new TextDecoder().decode(engine.tokenizer.tokenBytes(id)))).length / g.ids.length);
      const m = {
        defaultAct: mean(plain.activations),
        steeredAct: mean(steered.activations),
        defaultReread: mean(reread(engine, prompt, plain.ids, feature.index)),
        steeredReread: mean(reread(engine, prompt, steered.ids, feature.index)),
        defaultShare: shareOf(plain, top),
        steeredShare: shareOf(steered, top),
        defaultPromoted: shareOf(plain, promoted),
        steeredPromoted: shareOf(steered, promoted),
      };
      for (const key of Object.keys(tally) as (keyof typeof tally)[]) tally[key].push(m[key]);
      if (m.steeredAct > m.defaultAct) raisedAct++;
      if (m.steeredReread > m.defaultReread) raisedReread++;
      if (m.steeredShare > m.defaultShare) raisedShare++;
      if (m.steeredPromoted > m.defaultPromoted) raisedPromoted++;
      if (examples.length < 2) examples.push({ prompt, default: plain.text, steered: steered.text });
    }
    rows.push({
      index: feature.index,
      label: feature.label,
      topTokens: feature.topTokens.slice(0, 5),
      prompts: PROMPTS.length,
      meanActivation: { default: round(mean(tally.defaultAct)), steered: round(mean(tally.steeredAct)), promptsRaised: raisedAct },
      meanActivationReread: { default: round(mean(tally.defaultReread)), steered: round(mean(tally.steeredReread)), promptsRaised: raisedReread },
      topTokenShare: { default: round(mean(tally.defaultShare)), steered: round(mean(tally.steeredShare)), promptsRaised: raisedShare },
      promotedTokenShare: { default: round(mean(tally.defaultPromoted)), steered: round(mean(tally.steeredPromoted)), promptsRaised: raisedPromoted },
      examples,
    });
  }

  const result = {
    benchmark: 'steer-effect',
    date: new Date().toISOString(),
    machine: machineInfo(),
    git: gitInfo(),
    settings: { method: 'SIMPLE_ADDITIVE', strength, strengthMultiplier: 1, maxTokens: Number(values.tokens), temperature: Number(values.temperature), seeds: '1000 + prompt index, the same for default and steered', prompts: PROMPTS },
    features: rows,
  };
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(result, null, 2)}\n`);

  const cell = (pair: { default: number; steered: number; promptsRaised: number }) => `${pair.default.toFixed(3)} → ${pair.steered.toFixed(3)} (${pair.promptsRaised}/${PROMPTS.length})`;
  console.log(`Steering local:tiny, SIMPLE_ADDITIVE strength ${strength}, ${PROMPTS.length} prompts × ${values.tokens} tokens, temperature ${values.temperature}, same seed default → steered (prompts where steered is higher):\n`);
  console.log('| feature | label | mean activation (as generated) | mean activation (text re-read unsteered) | top-token share | promoted-token share |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(`| ${row.index} | ${row.label.replace(/\|/g, '\\|')} | ${cell(row.meanActivation)} | ${cell(row.meanActivationReread)} | ${cell(row.topTokenShare)} | ${cell(row.promotedTokenShare)} |`);
  }
  console.log(`\nwrote ${path.relative(process.cwd(), values.out!)}`);
}

main();
