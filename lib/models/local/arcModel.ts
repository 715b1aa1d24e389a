/**
 * `local:arc`: the embedded ARC engine as an AI SDK language model (LanguageModelV4), so Grover
 * calls it exactly as it calls a hosted LLM and grades its answers the same way. It needs no key
 * and no network.
 *
 * Asked through Grover, it receives the task through provider options (`local-arc.task`) rather
 * than by parsing the prompt, searches the DSL, and answers as an LLM would: a few lines of
 * prose, then candidate programs as real Python in fenced code blocks. Later iterations skip the
 * programs already tried (`local-arc.exclude`, their source). Its text streams word by word at
 * `tokensPerSecond` (0: as fast as the event loop allows).
 *
 * The search runs in a pool of worker threads (lib/local/arc/searchPool.ts), never on the
 * server's event loop; the call's abortSignal stops it within one step of the search. Only the
 * pacing of the text happens here.
 */
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import { setTimeout as sleep, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { z } from 'zod';
import { gridSchema, taskSchema, type Grid } from '../../arc/task';
import { searchProgramsOffThread } from '../../local/arc/searchPool';
import type { ArcCandidate, SearchableTask, SearchOptions } from '../../local/arc/solve';

export const LOCAL_ARC_OPTIONS_KEY = 'local-arc';

/** What Grover passes in `providerOptions['local-arc']`: write candidate programs. */
export const localArcGroverOptionsSchema = z.object({
  mode: z.literal('grover').default('grover'),
  task: taskSchema,
  /** How many candidate programs to write. */
  count: z.number().int().min(1).max(16).default(4),
  /** Programs (Python source) already tried in earlier iterations: not offered again. */
  exclude: z.array(z.string().max(100_000)).max(200).default([]),
  searchBudgetMs: z.number().int().min(10).max(60_000).optional(),
  /** Overrides the model's pace for this call (0: instant). */
  tokensPerSecond: z.number().min(0).max(10_000).optional(),
});

/**
 * What Saturn passes: the training pairs the model has been shown so far, and either a request
 * to describe the transformation or a grid to predict the output of (answered as a JSON block).
 */
export const localArcSaturnOptionsSchema = z.object({
  mode: z.literal('saturn'),
  pairs: taskSchema.shape.train,
  ask: z.discriminatedUnion('kind', [z.object({ kind: z.literal('describe') }), z.object({ kind: z.literal('predict'), input: gridSchema })]),
  searchBudgetMs: z.number().int().min(10).max(60_000).optional(),
  tokensPerSecond: z.number().min(0).max(10_000).optional(),
});

/** What the analysis producer passes: write the analysis as JSON. */
export const localArcAnalysisOptionsSchema = z.object({
  mode: z.literal('analysis'),
  task: taskSchema,
  searchBudgetMs: z.number().int().min(10).max(60_000).optional(),
  tokensPerSecond: z.number().min(0).max(10_000).optional(),
});

export const localArcOptionsSchema = z.union([localArcSaturnOptionsSchema, localArcAnalysisOptionsSchema, localArcGroverOptionsSchema]);

export type LocalArcOptions = z.input<typeof localArcGroverOptionsSchema>;
export type LocalArcSaturnOptions = z.input<typeof localArcSaturnOptionsSchema>;

export interface LocalArcModelSettings {
  tokensPerSecond: number;
  searchBudgetMs: number;
  /** Runs a search; default the process's worker pool (tests pass their own pool's). */
  search?: (task: SearchableTask, options: SearchOptions) => Promise<ArcCandidate[]>;
}

/** Splits text into word-sized deltas (a word with the whitespace before it), as LLM tokens roughly are. */
export function toDeltas(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function answerText(candidates: ArcCandidate[], trainCount: number): string {
  if (candidates.length === 0) {
    return `I searched my grid-transformation DSL for a program consistent with the ${trainCount} training pairs and found no new candidate to offer.\n`;
  }
  const exact = candidates.filter((c) => c.exactPairs === trainCount).length;
  const intro =
    exact > 0
      ? `I compared the ${trainCount} training pairs against my grid-transformation DSL. ${exact === 1 ? 'One program reproduces' : `${exact} programs reproduce`} every training output.`
      : `I compared the ${trainCount} training pairs against my grid-transformation DSL. No program I found reproduces every output yet; here are the closest.`;
  const blocks = candidates.map(
    (c, i) => `Candidate ${i + 1} (${c.name}): ${c.description}\n\n\`\`\`python\n${c.python.trimEnd()}\n\`\`\``,
  );
  return `${intro}\n\n${blocks.join('\n\n')}\n`;
}

const CHAT_ANSWER =
  "I am StreamConsole's embedded ARC engine (local:arc). I do not hold conversations: I solve ARC puzzles by searching a DSL of grid transformations and answer Grover with Python programs. Open a puzzle and start Grover to see me work.\n";

/** The settings' search, or the process's worker pool. */
function searchWith(settings: LocalArcModelSettings): NonNullable<LocalArcModelSettings['search']> {
  return settings.search ?? searchProgramsOffThread;
}

function gridBlock(grid: Grid): string {
  return '```json\n[' + grid.map((row) => JSON.stringify(row)).join(',\n ') + ']\n```';
}

async function saturnAnswer(
  options: z.infer<typeof localArcSaturnOptionsSchema>,
  settings: LocalArcModelSettings,
  signal: AbortSignal | undefined,
): Promise<string> {
  const input = options.ask.kind === 'predict' ? options.ask.input : options.pairs[0]!.input;
  const [best] = await searchWith(settings)(
    { train: options.pairs, test: [{ input }] },
    { timeBudgetMs: options.searchBudgetMs ?? settings.searchBudgetMs, maxCandidates: 1, signal },
  );
  const seen = options.pairs.length === 1 ? 'the first example' : `the ${options.pairs.length} examples so far`;
  if (options.ask.kind === 'describe') {
    if (!best) return `Looking at ${seen}, I cannot yet name the rule that turns the input into the output.\n`;
    const fit = best.exactPairs === options.pairs.length ? 'It fits exactly' : `It fits ${best.exactPairs} of ${options.pairs.length} examples exactly`;
    return `Looking at ${seen}: ${best.description} ${fit}.\n`;
  }
  const prediction = best?.testOutputs[0];
  if (!best || !prediction) return `From ${seen} I cannot predict this output: no rule I know applies to the input.\n`;
  return `Applying the rule I see in ${seen} (${best.description.replace(/\.$/, '')}), the output should be:\n\n${gridBlock(prediction)}\n`;
}

/** An analysis as JSON, `patternDescription` first so it completes early in the stream. */
async function analysisAnswer(
  options: z.infer<typeof localArcAnalysisOptionsSchema>,
  settings: LocalArcModelSettings,
  signal: AbortSignal | undefined,
): Promise<string> {
  const candidates = await searchWith(settings)(options.task, { timeBudgetMs: options.searchBudgetMs ?? settings.searchBudgetMs, maxCandidates: 3, signal });
  const best = candidates[0];
  const trainCount = options.task.train.length;
  const exact = best ? best.exactPairs === trainCount : false;
  const analysis = best
    ? {
        patternDescription: best.description,
        solvingStrategy: exact
          ? `Apply "${best.name}" to each test input: it reproduces all ${trainCount} training outputs exactly.`
          : `The closest rule found ("${best.name}") reproduces ${best.exactPairs} of ${trainCount} training outputs; apply it and check the differences.`,
        hints: [
          `Compare the sizes of input and output in each example.`,
          ...candidates.slice(1).map((c) => `Another reading: ${c.description}`),
        ],
        predictedOutput: best.testOutputs.map((grid, i) => grid ?? options.task.test[i]!.input),
        confidence: exact ? 90 : Math.round(best.score0to10 * 6),
      }
    : {
        patternDescription: 'No rule in the embedded DSL explains the examples.',
        solvingStrategy: 'Look for the rule by hand; the embedded engine found no candidate.',
        hints: ['Compare the sizes of input and output in each example.'],
        predictedOutput: options.task.test.map((pair) => pair.input),
        confidence: 5,
      };
  const grids = (gridsList: Grid[]) => '[' + gridsList.map((g) => '[' + g.map((row) => JSON.stringify(row)).join(', ') + ']').join(',\n    ') + ']';
  const body = [
    `  "patternDescription": ${JSON.stringify(analysis.patternDescription)}`,
    `  "solvingStrategy": ${JSON.stringify(analysis.solvingStrategy)}`,
    `  "hints": ${JSON.stringify(analysis.hints)}`,
    `  "predictedOutput": ${grids(analysis.predictedOutput)}`,
    `  "confidence": ${analysis.confidence}`,
  ].join(',\n');
  return `Here is my analysis of the ${trainCount} examples.\n\n\`\`\`json\n{\n${body}\n}\n\`\`\`\n`;
}

function usageOf(outputTokens: number): LanguageModelV4Usage {
  return {
    inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  };
}

async function compose(options: LanguageModelV4CallOptions, settings: LocalArcModelSettings): Promise<{ text: string; tokensPerSecond: number }> {
  const raw = options.providerOptions?.[LOCAL_ARC_OPTIONS_KEY];
  if (raw === undefined) return { text: CHAT_ANSWER, tokensPerSecond: settings.tokensPerSecond };
  const options_ = localArcOptionsSchema.parse(raw);
  if (options_.mode === 'analysis') {
    return { text: await analysisAnswer(options_, settings, options.abortSignal), tokensPerSecond: options_.tokensPerSecond ?? settings.tokensPerSecond };
  }
  if (options_.mode === 'saturn') {
    return { text: await saturnAnswer(options_, settings, options.abortSignal), tokensPerSecond: options_.tokensPerSecond ?? settings.tokensPerSecond };
  }
  const parsed = options_;
  const exclude = new Set(parsed.exclude.map((code) => code.trim()));
  const candidates = await searchWith(settings)(parsed.task, {
    timeBudgetMs: parsed.searchBudgetMs ?? settings.searchBudgetMs,
    maxCandidates: parsed.count + exclude.size,
    signal: options.abortSignal,
  });
  const fresh = candidates.filter((c) => !exclude.has(c.python.trim())).slice(0, parsed.count);
  return { text: answerText(fresh, parsed.task.train.length), tokensPerSecond: parsed.tokensPerSecond ?? settings.tokensPerSecond };
}

export function createLocalArcModel(settings: LocalArcModelSettings): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'local',
    modelId: 'arc',
    supportedUrls: {},

    async doGenerate(options) {
      const { text } = await compose(options, settings);
      return {
        content: [{ type: 'text', text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usageOf(toDeltas(text).length),
        warnings: [],
      };
    },

    async doStream(options) {
      const { text, tokensPerSecond } = await compose(options, settings);
      const deltas = toDeltas(text);
      const interval = tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0;
      const signal = options.abortSignal;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 'text' });
          const started = performance.now();
          try {
            for (let i = 0; i < deltas.length; i++) {
              if (signal?.aborted) throw signal.reason;
              if (interval > 0) {
                const wait = started + i * interval - performance.now();
                if (wait >= 1) await sleep(wait, undefined, { signal });
              } else {
                // Every word, not every few dozen: each word costs its reader a partial parse
                // and an event or two on this loop, and four answers written at once in batches
                // of 32 held the loop for tens of ms a turn, every other stream waiting.
                await yieldToEventLoop();
              }
              controller.enqueue({ type: 'text-delta', id: 'text', delta: deltas[i]! });
            }
            controller.enqueue({ type: 'text-end', id: 'text' });
            controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usageOf(deltas.length) });
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
      return { stream };
    },
  };
}
