/**
 * Scenarios for the fake provider server: how a requested model id selects a scripted behaviour.
 *
 * A scenario is plain data (reasoning deltas, text deltas, pacing, how the response ends, usage).
 * The wire encoders in `server.ts` turn the same scenario into each provider's own format, so a
 * test can ask every provider for `count-40` and compare the transcripts exactly.
 *
 * The model id is matched after dropping any `vendor/` prefix, so OpenRouter-style ids such as
 * `fake/count-40` select the same scenario as `count-40`.
 *
 * | model id            | behaviour                                                                        |
 * |---------------------|----------------------------------------------------------------------------------|
 * | `echo` (or unknown) | text "Hello from the fake provider." in 5 deltas, then a normal finish + usage    |
 * | `count-N`           | text deltas "t1 ", "t2 ", ... "tN ", immediately, then finish + usage             |
 * | `slow-N-MS`         | like `count-N`, but one delta every MS milliseconds (first one after MS too)      |
 * | `reason-N`          | N reasoning deltas "r1 " ... "rN ", then text "Answer after reasoning." (3 deltas) |
 * | `hang`              | text "t1 ", "t2 ", "t3 ", then nothing until the client disconnects (aborted)     |
 * | `error-401`         | HTTP 401 before streaming, in the provider's error JSON shape                    |
 * | `error-429`         | HTTP 429 with `Retry-After: 1`, in the provider's error JSON shape                |
 * | `error-500`         | HTTP 500 before streaming, in the provider's error JSON shape                    |
 * | `midstream-error`   | text "t1 ", "t2 ", "t3 ", then a failure: Responses -> `error` / `response.failed`|
 * |                     | event; OpenRouter -> chunk with `error` + finish_reason "error"; other chat       |
 * |                     | completions -> socket destroyed without `[DONE]`. Non-streaming: socket cut.      |
 * | `unicode`           | multibyte text, emoji, CRLF and text that looks like SSE fields; every event is  |
 * |                     | written in two socket writes split inside a multibyte UTF-8 sequence             |
 *
 * Usage is scripted too: input tokens are fixed per scenario (`INPUT_TOKENS`), output tokens are
 * one per delta (reasoning + text), reasoning tokens one per reasoning delta.
 *
 * To add a scenario, add a rule to `scenarioRules` (or pass extra rules to `startFakeProviders`).
 */

/** Prompt-side token count reported by every scripted scenario. */
export const INPUT_TOKENS = 12;

/** The default answer of the `echo` scenario, as it is split into deltas. */
export const ECHO_DELTAS: readonly string[] = ['Hello', ' from', ' the', ' fake', ' provider.'];

/** The text that follows the reasoning of `reason-N`. */
export const REASON_ANSWER_DELTAS: readonly string[] = ['Answer', ' after', ' reasoning.'];

/** Deltas of the `unicode` scenario: multibyte text, emoji, CRLF and SSE-looking text. */
export const UNICODE_DELTAS: readonly string[] = [
  'Grüße, ',
  '日本語のテキスト ',
  '🦄🚀👩‍👩‍👧 ',
  'line1\r\nline2\rline3\n',
  '\n\nid: 99\nevent: error\ndata: x',
  '\n\ndata: [DONE]\n\n',
  ' ∑≠∞ end',
];

/** An HTTP error answered before any streaming. */
export type ScriptedHttpError = {
  status: 401 | 429 | 500;
  /** Seconds for the `Retry-After` header, when the real API sends one. */
  retryAfterSeconds?: number;
};

/** How a streamed response ends after the scripted deltas. */
export type ScenarioEnding =
  /** A normal finish: finish reason / completed event, usage, terminator. */
  | 'finish'
  /** No more bytes until the client disconnects. */
  | 'hang'
  /** A provider-specific mid-stream failure (see the table above). */
  | 'midstream-error';

/** A scripted behaviour, independent of any provider's wire format. */
export type Scenario = {
  /** Scenario name as matched, e.g. `count-40`. */
  name: string;
  /** Answer with this HTTP error instead of a response. */
  httpError?: ScriptedHttpError;
  /** Reasoning deltas, streamed before the text. */
  reasoning: readonly string[];
  /** Text deltas. */
  text: readonly string[];
  /** Milliseconds to wait before each delta (0: write them back to back). */
  delayMs: number;
  ending: ScenarioEnding;
  /** Write each SSE event in two writes split inside a multibyte character. */
  splitWrites: boolean;
  usage: ScenarioUsage;
};

/** Token usage reported for a scenario. */
export type ScenarioUsage = {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
};

/** One row of the scenario table: a model-id pattern and the scenario it builds. */
export type ScenarioRule = {
  /** Matched against the whole model id (after dropping a `vendor/` prefix). */
  pattern: RegExp;
  build: (match: RegExpMatchArray) => Scenario;
};

/** Builds a scenario with defaults filled in and usage derived from the deltas. */
export function defineScenario(
  init: Pick<Scenario, 'name'> & Partial<Omit<Scenario, 'name' | 'usage'>> & { usage?: Partial<ScenarioUsage> },
): Scenario {
  const reasoning = init.reasoning ?? [];
  const text = init.text ?? [];
  return {
    name: init.name,
    ...(init.httpError !== undefined && { httpError: init.httpError }),
    reasoning,
    text,
    delayMs: init.delayMs ?? 0,
    ending: init.ending ?? 'finish',
    splitWrites: init.splitWrites ?? false,
    usage: {
      inputTokens: init.usage?.inputTokens ?? INPUT_TOKENS,
      outputTokens: init.usage?.outputTokens ?? reasoning.length + text.length,
      reasoningTokens: init.usage?.reasoningTokens ?? reasoning.length,
    },
  };
}

/** `prefix1 `, `prefix2 `, ... `prefixN `. */
export function numberedDeltas(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1} `);
}

const MAX_COUNT = 100_000;

function countFrom(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_COUNT) throw new RangeError(`bad count in model id: ${value}`);
  return n;
}

/** The scenario table, first match wins. `echo` is the fallback for ids that match nothing. */
export const scenarioRules: readonly ScenarioRule[] = [
  { pattern: /^echo$/, build: () => defineScenario({ name: 'echo', text: ECHO_DELTAS }) },
  {
    pattern: /^count-(\d+)$/,
    build: (m) => defineScenario({ name: m[0], text: numberedDeltas('t', countFrom(m[1])) }),
  },
  {
    pattern: /^slow-(\d+)-(\d+)$/,
    build: (m) => defineScenario({ name: m[0], text: numberedDeltas('t', countFrom(m[1])), delayMs: countFrom(m[2]) }),
  },
  {
    pattern: /^reason-(\d+)$/,
    build: (m) =>
      defineScenario({ name: m[0], reasoning: numberedDeltas('r', countFrom(m[1])), text: REASON_ANSWER_DELTAS }),
  },
  { pattern: /^hang$/, build: () => defineScenario({ name: 'hang', text: numberedDeltas('t', 3), ending: 'hang' }) },
  { pattern: /^error-401$/, build: () => defineScenario({ name: 'error-401', httpError: { status: 401 } }) },
  {
    pattern: /^error-429$/,
    build: () => defineScenario({ name: 'error-429', httpError: { status: 429, retryAfterSeconds: 1 } }),
  },
  { pattern: /^error-500$/, build: () => defineScenario({ name: 'error-500', httpError: { status: 500 } }) },
  {
    pattern: /^midstream-error$/,
    build: () => defineScenario({ name: 'midstream-error', text: numberedDeltas('t', 3), ending: 'midstream-error' }),
  },
  { pattern: /^unicode$/, build: () => defineScenario({ name: 'unicode', text: UNICODE_DELTAS, splitWrites: true }) },
];

/**
 * Resolves the scenario for a requested model id. Extra rules are tried before the built-in table;
 * an id that matches nothing gets `echo`.
 */
export function resolveScenario(modelId: string, extraRules: readonly ScenarioRule[] = []): Scenario {
  const id = modelId.slice(modelId.lastIndexOf('/') + 1);
  for (const rule of [...extraRules, ...scenarioRules]) {
    const match = id.match(rule.pattern);
    if (match) return rule.build(match);
  }
  return defineScenario({ name: 'echo', text: ECHO_DELTAS });
}
