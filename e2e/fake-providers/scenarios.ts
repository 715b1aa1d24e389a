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
 * | `grover-programs[-MS]` | prose and two Python `transform` programs in fenced blocks (the second solves     |
 * |                     | `sc-flip-h`), in 12-character deltas, one every MS milliseconds (default 0)      |
 * | `grid-answer`       | prose ending in a ```json grid (the test output of `sc-flip-h`), 12-char deltas   |
 * | `unicode`           | multibyte text, emoji, CRLF and text that looks like SSE fields; every event is  |
 * |                     | written in two socket writes split inside a multibyte UTF-8 sequence             |
 * | `flaky-429-then-ok` | the first request per (provider, model id) since the last reset: HTTP 429 with   |
 * |                     | `Retry-After: 1`; every later one: text "t1 ", "t2 ", "t3 " and a normal finish  |
 * | `flaky-500-then-ok` | the same with an HTTP 500 (no Retry-After) first                                 |
 * | `fail-before-first-token` | streaming: fails before the first delta, as `midstream-error` does; non-   |
 * |                     | streaming: text "t1 ", "t2 ", "t3 " and a normal finish                          |
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

/** What a rule may know about the request it answers, besides the model id. */
export type ScenarioContext = {
  /** Whether the request asked for a stream. */
  stream: boolean;
  /** 1 for the first request with this (provider, model id) since the server's last reset, 2 for the next, ... */
  attempt: number;
};

/** One row of the scenario table: a model-id pattern and the scenario it builds. */
export type ScenarioRule = {
  /** Matched against the whole model id (after dropping a `vendor/` prefix). */
  pattern: RegExp;
  build: (match: RegExpMatchArray, context: ScenarioContext) => Scenario;
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

/**
 * An answer to a Grover prompt as an LLM writes one: prose, then Python in fenced blocks. The
 * first program is wrong (identity), the second mirrors each row, which solves `sc-flip-h`.
 */
export const GROVER_PROGRAMS_TEXT = [
  'The output looks like the input mirrored left to right. First a baseline:\n\n',
  '```python\ndef transform(grid):\n    return [row[:] for row in grid]\n```\n\n',
  'Now the mirror:\n\n```python\ndef transform(grid):\n    return [list(reversed(row)) for row in grid]\n```\n',
].join('');

/** Splits text into small deltas (about 12 characters) so code blocks close mid-stream. */
export function chunked(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** An answer that ends with a grid in a ```json block: the test output of `sc-flip-h`. */
export const GRID_ANSWER_TEXT = 'The rule mirrors each row. The output is:\n\n```json\n[[5,4,0,4,5],\n [0,4,5,0,0],\n [9,0,0,0,0]]\n```\n';

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
  {
    pattern: /^grover-programs(?:-(\d+))?$/,
    build: (m) => defineScenario({ name: m[0], text: chunked(GROVER_PROGRAMS_TEXT), delayMs: m[1] ? countFrom(m[1]) : 0 }),
  },
  { pattern: /^grid-answer$/, build: () => defineScenario({ name: 'grid-answer', text: chunked(GRID_ANSWER_TEXT) }) },
  { pattern: /^unicode$/, build: () => defineScenario({ name: 'unicode', text: UNICODE_DELTAS, splitWrites: true }) },
  {
    pattern: /^flaky-(429|500)-then-ok$/,
    build: (m, { attempt }) =>
      attempt === 1
        ? defineScenario({
            name: m[0],
            httpError: m[1] === '429' ? { status: 429, retryAfterSeconds: 1 } : { status: 500 },
          })
        : defineScenario({ name: m[0], text: numberedDeltas('t', 3) }),
  },
  {
    pattern: /^fail-before-first-token$/,
    build: (m, { stream }) =>
      stream
        ? defineScenario({ name: m[0], text: [], ending: 'midstream-error' })
        : defineScenario({ name: m[0], text: numberedDeltas('t', 3) }),
  },
];

/**
 * Resolves the scenario for a requested model id. Extra rules are tried before the built-in table;
 * an id that matches nothing gets `echo`. `context` defaults to the first, non-streaming request.
 */
export function resolveScenario(
  modelId: string,
  extraRules: readonly ScenarioRule[] = [],
  context: ScenarioContext = { stream: false, attempt: 1 },
): Scenario {
  const id = modelId.slice(modelId.lastIndexOf('/') + 1);
  for (const rule of [...extraRules, ...scenarioRules]) {
    const match = id.match(rule.pattern);
    if (match) return rule.build(match, context);
  }
  return defineScenario({ name: 'echo', text: ECHO_DELTAS });
}
