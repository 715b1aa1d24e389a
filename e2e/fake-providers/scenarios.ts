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
 * Puzzle analysis of the shipped task `sc-flip-h` (answers as `ANALYSIS_ANSWER` and friends below):
 *
 * | model id            | behaviour                                                                        |
 * |---------------------|----------------------------------------------------------------------------------|
 * | `analysis-json[-MS]` | `ANALYSIS_JSON_TEXT`: one sentence, then the answer in a ```json fence, compact, |
 * |                     | `patternDescription` first; 8-character deltas, one every MS ms (default 0)       |
 * | `analysis-reasoning-tool[-MS]` | request without a tool result: reasoning `ANALYSIS_REASONING_DELTAS`, |
 * |                     | then a `run_program` tool call (`ANALYSIS_TOOL_INPUT`), finish reason tool calls; |
 * |                     | request carrying a tool result: `ANALYSIS_JSON_TEXT` as `analysis-json` does      |
 * | `analysis-broken-json` | `ANALYSIS_BROKEN_JSON_TEXT` alone: single quotes, trailing commas, no closing |
 * |                     | brace; `JSON.parse` throws, `jsonrepair` yields `ANALYSIS_ANSWER`                 |
 * | `analysis-garbage`  | `ANALYSIS_GARBAGE_TEXT`: prose without any `{`, nothing to repair                 |
 * | `analysis-midstream` | `ANALYSIS_MIDSTREAM_TEXT` (the first half of `ANALYSIS_JSON_TEXT`, which holds   |
 * |                     | the whole `patternDescription`), then the provider's `midstream-error` failure    |
 * | `analysis-429-then-json` | attempt 1: HTTP 429 with `Retry-After: 1`; later: as `analysis-json`        |
 * | `analysis-fail-before-first-token` | streaming: fails before the first delta; non-streaming: as     |
 * |                     | `analysis-json`                                                                  |
 *
 * Tool calls: a scenario may end its response with one tool call (`toolCall`), after its reasoning
 * and text and only when it finishes normally; the finish reason is then the provider's tool-call
 * reason. Rules tell the two requests of a tool loop apart by `context.toolResult`, which the
 * server sets when the request already carries a tool result (a Responses `function_call_output`
 * input item, a chat `role: "tool"` message). The fake never checks the request's `tools`: a
 * caller that did not declare `run_program` still gets the call (the AI SDK reports it as an
 * unknown tool).
 *
 * Usage is scripted too: input tokens are fixed per scenario (`INPUT_TOKENS`), output tokens are
 * one per delta (reasoning + text + tool-call arguments), reasoning tokens one per reasoning delta.
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

/** A function tool call the model makes at the end of its response. */
export type ScriptedToolCall = {
  /** The tool's name, e.g. `run_program`. */
  name: string;
  /** The arguments as JSON text, split into the deltas they are streamed in. */
  argumentDeltas: readonly string[];
};

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
  /** A tool call after the text (sent only when the response finishes normally). */
  toolCall?: ScriptedToolCall;
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
  /** Whether the request already carries a tool result, i.e. is a later step of a tool loop (absent: no). */
  toolResult?: boolean;
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
  const toolDeltas = init.toolCall?.argumentDeltas.length ?? 0;
  return {
    name: init.name,
    ...(init.httpError !== undefined && { httpError: init.httpError }),
    reasoning,
    text,
    ...(init.toolCall !== undefined && { toolCall: init.toolCall }),
    delayMs: init.delayMs ?? 0,
    ending: init.ending ?? 'finish',
    splitWrites: init.splitWrites ?? false,
    usage: {
      inputTokens: init.usage?.inputTokens ?? INPUT_TOKENS,
      outputTokens: init.usage?.outputTokens ?? reasoning.length + text.length + toolDeltas,
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

// ---------------------------------------------------------------------------------------------
// Puzzle analysis of `sc-flip-h`
// ---------------------------------------------------------------------------------------------

/** A grid of ARC colours, row by row. */
export type ScenarioGrid = readonly (readonly number[])[];

/** The analysis object a model is asked for, as the `analysis-*` scenarios answer it. */
export type ScriptedAnalysis = {
  patternDescription: string;
  solvingStrategy: string;
  hints: readonly string[];
  /** One grid per test input. */
  predictedOutput: readonly ScenarioGrid[];
  /** On the 0-100 scale. */
  confidence: number;
};

/** The test output of the shipped task `sc-flip-h`. */
export const SC_FLIP_H_TEST_OUTPUT: ScenarioGrid = [
  [5, 4, 0, 4, 5],
  [0, 4, 5, 0, 0],
  [9, 0, 0, 0, 0],
];

/** The right analysis of `sc-flip-h`; keys in this order, so `patternDescription` is written first. */
export const ANALYSIS_ANSWER: ScriptedAnalysis = {
  patternDescription: 'Each row of the grid is mirrored left to right; rows keep their order.',
  solvingStrategy: 'Reverse every row of the test input.',
  hints: ['Compare the first and the last cell of each row.', 'The grid keeps its size and colours.'],
  predictedOutput: [SC_FLIP_H_TEST_OUTPUT],
  confidence: 85,
};

/**
 * The clean answer as a model writes it: one sentence, then compact JSON in a ```json fence. A
 * fence rather than a bare object, because models do that and the app's parser must cope with it.
 */
export const ANALYSIS_JSON_TEXT = `I compared each training input with its output.\n\n\`\`\`json\n${JSON.stringify(ANALYSIS_ANSWER)}\n\`\`\`\n`;

/** Delta size of the analysis texts: small, so the app sees `patternDescription` complete early. */
export const ANALYSIS_DELTA_SIZE = 8;

/**
 * `ANALYSIS_ANSWER` written sloppily: single-quoted strings, trailing commas, no closing brace.
 * `JSON.parse` throws on it; `jsonrepair` turns it into `ANALYSIS_ANSWER`. No prose around it.
 */
export const ANALYSIS_BROKEN_JSON_TEXT = [
  `{'patternDescription': '${ANALYSIS_ANSWER.patternDescription}',`,
  ` 'solvingStrategy': '${ANALYSIS_ANSWER.solvingStrategy}',`,
  ` 'hints': [${ANALYSIS_ANSWER.hints.map((hint) => `'${hint}',`).join(' ')}],`,
  ` 'predictedOutput': ${JSON.stringify(ANALYSIS_ANSWER.predictedOutput)},`,
  ` 'confidence': ${ANALYSIS_ANSWER.confidence},`,
].join('\n');

/** Prose with no JSON object in it (not even a `{`): beyond repair. */
export const ANALYSIS_GARBAGE_TEXT =
  'I am not sure what the rule is. The colours seem to move around, but I cannot tell where they go. ' +
  'Maybe the grid is rotated, or maybe not.';

/** The first half (in whole deltas) of `ANALYSIS_JSON_TEXT`, after which `analysis-midstream` fails. */
export const ANALYSIS_MIDSTREAM_TEXT = (() => {
  const deltas = chunked(ANALYSIS_JSON_TEXT, ANALYSIS_DELTA_SIZE);
  return deltas.slice(0, Math.ceil(deltas.length / 2)).join('');
})();

/** The reasoning of `analysis-reasoning-tool`, streamed before its tool call. */
export const ANALYSIS_REASONING_DELTAS: readonly string[] = chunked(
  'The outputs look like the inputs mirrored left to right. I will check that with a program first.',
);

/** The tool `analysis-reasoning-tool` calls. */
export const ANALYSIS_TOOL_NAME = 'run_program';

/** The input of its `run_program` call. */
export const ANALYSIS_TOOL_INPUT = {
  code: 'def transform(grid):\n    return [list(reversed(r)) for r in grid]',
} as const;

/** Builds a tool call whose JSON arguments are streamed in deltas of `size` characters. */
export function scriptToolCall(name: string, input: unknown, size = 10): ScriptedToolCall {
  return { name, argumentDeltas: chunked(JSON.stringify(input), size) };
}

function analysisJson(name: string, delayMs = 0): Scenario {
  return defineScenario({ name, text: chunked(ANALYSIS_JSON_TEXT, ANALYSIS_DELTA_SIZE), delayMs });
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
  {
    pattern: /^analysis-json(?:-(\d+))?$/,
    build: (m) => analysisJson(m[0], m[1] ? countFrom(m[1]) : 0),
  },
  {
    pattern: /^analysis-reasoning-tool(?:-(\d+))?$/,
    build: (m, { toolResult }) => {
      const delayMs = m[1] ? countFrom(m[1]) : 0;
      if (toolResult === true) return analysisJson(m[0], delayMs);
      return defineScenario({
        name: m[0],
        reasoning: ANALYSIS_REASONING_DELTAS,
        toolCall: scriptToolCall(ANALYSIS_TOOL_NAME, ANALYSIS_TOOL_INPUT),
        delayMs,
      });
    },
  },
  {
    pattern: /^analysis-broken-json$/,
    build: (m) => defineScenario({ name: m[0], text: chunked(ANALYSIS_BROKEN_JSON_TEXT, ANALYSIS_DELTA_SIZE) }),
  },
  {
    pattern: /^analysis-garbage$/,
    build: (m) => defineScenario({ name: m[0], text: chunked(ANALYSIS_GARBAGE_TEXT, ANALYSIS_DELTA_SIZE) }),
  },
  {
    pattern: /^analysis-midstream$/,
    build: (m) =>
      defineScenario({
        name: m[0],
        text: chunked(ANALYSIS_MIDSTREAM_TEXT, ANALYSIS_DELTA_SIZE),
        ending: 'midstream-error',
      }),
  },
  {
    pattern: /^analysis-429-then-json$/,
    build: (m, { attempt }) =>
      attempt === 1
        ? defineScenario({ name: m[0], httpError: { status: 429, retryAfterSeconds: 1 } })
        : analysisJson(m[0]),
  },
  {
    pattern: /^analysis-fail-before-first-token$/,
    build: (m, { stream }) =>
      stream ? defineScenario({ name: m[0], text: [], ending: 'midstream-error' }) : analysisJson(m[0]),
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
