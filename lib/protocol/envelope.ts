/**
 * EventEnvelope v1: the one wire contract between producers, the server and the browser.
 *
 * The zod schemas here are the single source of truth: TypeScript types are inferred from them
 * and a JSON Schema is exported from them for producers written in other languages (Python).
 *
 * Versioning: new types and optional fields are added in minor revisions; a breaking change
 * bumps `v`. Readers ignore unknown fields (objects are not strict) and unknown types
 * ({@link parseEnvelope} reports them as `unknown_type` rather than failing the stream).
 */
import { z } from 'zod';

/** The envelope version this build writes and reads. */
export const ENVELOPE_VERSION = '1';

// ---------------------------------------------------------------------------------------------
// Payloads, one schema per envelope type.

/** Lifecycle and informational updates; `code` carries machine-readable conditions (e.g. a log gap). */
export const statusPayload = z.object({
  state: z.enum(['queued', 'running', 'waiting', 'info']),
  message: z.string().optional(),
  code: z.string().optional(),
});

/**
 * The `status` code of a gap notice: entries of the run's log were gone when the reader resumed
 * (trimmed or expired), and the stream goes on after them (see `lib/runs/logGap.ts`).
 */
export const LOG_GAP_CODE = 'log_gap';

/**
 * A run that failed or was stopped. Terminal. `code: 'cancelled'` marks a run stopped by a user,
 * an abandoned connection or a time limit (see `reason`); every other code is a failure.
 */
export const errorPayload = z.object({
  code: z.string(),
  message: z.string(),
  reason: z.enum(['user', 'abandoned', 'timeout', 'shutdown']).optional(),
  retryable: z.boolean().optional(),
  details: z.unknown().optional(),
});

/** Timing and throughput measured by the producer. */
export const metricsPayload = z.object({
  ttftMs: z.number().nonnegative().optional(),
  elapsedMs: z.number().nonnegative().optional(),
  tokens: z.number().int().nonnegative().optional(),
  tokensPerSecond: z.number().nonnegative().optional(),
});

/** Which of a producer's parallel generations a `gen.*` event belongs to (steering runs two). */
export const generationChannel = z.string().min(1).max(32);

/** The two channels of a steering run: the same seed with and without the steering. */
export const STEER_CHANNELS = ['default', 'steered'] as const;
export type SteerChannel = (typeof STEER_CHANNELS)[number];

export const genTokenPayload = z.object({
  token: z.string(),
  index: z.number().int().nonnegative(),
  channel: generationChannel.optional(),
  /** Natural log-probability of the chosen token (models that report it: local:tiny, Neuronpedia). */
  logprob: z.number().optional(),
  /** The most likely alternatives at this position, most likely first. */
  topLogprobs: z.array(z.object({ token: z.string(), logprob: z.number() })).max(20).optional(),
});

export const genReasoningPayload = z.object({
  text: z.string(),
  channel: generationChannel.optional(),
});

export const genActivationPayload = z.object({
  tokenIndex: z.number().int().nonnegative(),
  features: z.array(z.object({ index: z.number().int().nonnegative(), label: z.string(), value: z.number() })),
  channel: generationChannel.optional(),
  /** The token's whole activation vector on the model's fixed 2-D plane (local:tiny's PCA plane), where the model has one. */
  xy: z.array(z.number().finite()).length(2).optional(),
});

export const usagePayload = z.object({
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  totalTokens: z.number().int().nonnegative().optional(),
  reasoningTokens: z.number().int().nonnegative().optional(),
});

/**
 * Ends one generation (with a `channel`) or the whole run (without one). Steering uses
 * `'complete' | 'max_tokens' | 'stop_sequence'`; chat passes the AI SDK's reasons through.
 */
export const genDonePayload = z.object({
  finishReason: z.string(),
  usage: usagePayload.optional(),
  channel: generationChannel.optional(),
});

// Grover: iterative program synthesis. Grids are validated by shape only here (rows of 0-9);
// the ARC task model in lib/arc holds the full rules.
const gridPayload = z.array(z.array(z.number().int().min(0).max(9)));

/** The model's text while it writes candidate programs. */
export const groverTokenPayload = z.object({
  token: z.string(),
  iteration: z.number().int().positive(),
  index: z.number().int().nonnegative(),
});

/** A program, sent as soon as its code block closes in the model's partial text. */
export const groverProgramPayload = z.object({
  programId: z.string(),
  iteration: z.number().int().positive(),
  index: z.number().int().nonnegative(),
  code: z.string(),
});

export const groverPairResult = z.object({
  exact: z.boolean(),
  accuracy: z.number().min(0).max(1),
  output: gridPayload.optional(),
  error: z.string().optional(),
});

/** A program's result on every training pair; `score` is 0-10 (10: every pair exact). */
export const groverResultPayload = z.object({
  programId: z.string(),
  iteration: z.number().int().positive(),
  score: z.number().min(0).max(10),
  pairs: z.array(groverPairResult),
  error: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
});

/** The end of an iteration: every program's score and the best so far. */
export const groverIterationPayload = z.object({
  iteration: z.number().int().positive(),
  scores: z.array(z.object({ programId: z.string(), score: z.number() })),
  bestScore: z.number(),
  bestProgramId: z.string().nullable(),
});

export const groverDonePayload = z.object({
  solved: z.boolean(),
  iterations: z.number().int().nonnegative(),
  best: z.object({ programId: z.string(), code: z.string(), score: z.number() }).nullable(),
  /** The best program's output per test input (null where it failed). */
  predictions: z.array(gridPayload.nullable()),
  /** Per test input: whether the prediction is right, or null where the answer is unknown. */
  correct: z.array(z.boolean().nullable()),
});

// Saturn: the phased visual solver. Steps and images come from its Python worker; tokens from the model.

export const saturnStepPayload = z.object({
  message: z.string(),
  step: z.number().int().nonnegative(),
  total: z.number().int().positive().optional(),
  phase: z.string().optional(),
});

export const saturnImagePayload = z.object({
  label: z.string(),
  /** A server URL (`/api/images/<sha256>.png`) or a `data:image/png;base64,` URL. */
  url: z.string().max(2_000_000),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  phase: z.string().optional(),
});

/** The model's text while it looks at a phase's images; shown as reasoning. */
export const saturnTokenPayload = z.object({
  token: z.string(),
  phase: z.string(),
  index: z.number().int().nonnegative(),
});

export const saturnDonePayload = z.object({
  /** The predicted output per test input (null where the model gave no usable grid). */
  predictions: z.array(gridPayload.nullable()),
  /** Per test input: whether the prediction is right, or null where the answer is unknown. */
  correct: z.array(z.boolean().nullable()),
  solved: z.boolean(),
});

// Analysis: a model explains a puzzle as a structured object (the seeds' "interpret" events).

/** The analysis result; every field optional while it is being written. */
export const analysisResultSchema = z.object({
  patternDescription: z.string(),
  solvingStrategy: z.string(),
  hints: z.array(z.string()),
  /** One grid per test input. */
  predictedOutput: z.array(gridPayload),
  /** 0-100 (a model answering on a 0-1 scale is normalised). */
  confidence: z.number().min(0).max(100),
});

export const analysisStartPayload = z.object({
  requestId: z.string(),
  status: z.literal('started'),
  mode: z.enum(['stream', 'blocking']),
  model: z.string().optional(),
});
export const analysisTokenPayload = z.object({ chunk: z.string() });
export const analysisReasoningPayload = z.object({ text: z.string() });
/** The fields completed so far, from incremental parsing of the partial text. */
export const analysisPartialPayload = z.object({ fields: analysisResultSchema.partial().loose() });
export const analysisToolCall = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['started', 'done', 'error']),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  error: z.string().optional(),
});
export const analysisToolPayload = z.object({ toolCalls: z.array(analysisToolCall) });
export const analysisWarningPayload = z.object({ type: z.string(), message: z.string() });
export const analysisEnrichmentStartPayload = z.object({ key: z.string(), label: z.string().optional() });
export const analysisEnrichmentCompletePayload = z.object({ key: z.string(), summary: z.string().optional(), data: z.unknown().optional() });
export const analysisEnrichmentErrorPayload = z.object({ key: z.string(), message: z.string() });
export const analysisArtifactPayload = z.object({ kind: z.enum(['image']), label: z.string(), url: z.string() });
export const analysisCompletePayload = z.object({
  requestId: z.string(),
  status: z.enum(['complete', 'interrupted']),
  payload: z.object({
    result: analysisResultSchema.partial().loose().nullable(),
    metadata: z.object({
      parseStatus: z.enum(['ok', 'repaired', 'fallback']),
      /** The model's raw text, kept when the result had to be repaired or fell back. */
      rawText: z.string().optional(),
      fallback: z.enum(['non-streaming']).optional(),
      usage: z.object({ inputTokens: z.number().optional(), outputTokens: z.number().optional(), totalTokens: z.number().optional() }).optional(),
      durationMs: z.number().nonnegative().optional(),
      interrupted: z.boolean().optional(),
    }),
  }),
});

/** The payload schema of every envelope type this revision knows. */
export const payloadSchemas = {
  status: statusPayload,
  error: errorPayload,
  metrics: metricsPayload,
  'gen.token': genTokenPayload,
  'gen.reasoning': genReasoningPayload,
  'gen.activation': genActivationPayload,
  'gen.done': genDonePayload,
  'grover.token': groverTokenPayload,
  'grover.program': groverProgramPayload,
  'grover.result': groverResultPayload,
  'grover.iteration': groverIterationPayload,
  'grover.done': groverDonePayload,
  'saturn.step': saturnStepPayload,
  'saturn.image': saturnImagePayload,
  'saturn.token': saturnTokenPayload,
  'saturn.done': saturnDonePayload,
  'analysis.start': analysisStartPayload,
  'analysis.token': analysisTokenPayload,
  'analysis.reasoning': analysisReasoningPayload,
  'analysis.partial': analysisPartialPayload,
  'analysis.tool': analysisToolPayload,
  'analysis.warning': analysisWarningPayload,
  'analysis.enrichment_start': analysisEnrichmentStartPayload,
  'analysis.enrichment_complete': analysisEnrichmentCompletePayload,
  'analysis.enrichment_error': analysisEnrichmentErrorPayload,
  'analysis.artifact': analysisArtifactPayload,
  'analysis.complete': analysisCompletePayload,
} as const;

export type EnvelopeType = keyof typeof payloadSchemas;
export const ENVELOPE_TYPES = Object.keys(payloadSchemas) as EnvelopeType[];

/** Payload of envelope type `T`. */
export type Payload<T extends EnvelopeType = EnvelopeType> = z.infer<(typeof payloadSchemas)[T]>;

/** Terminal types not named `.done`: the seeds' interpret contract ends with `complete`. */
const TERMINAL_TYPES = new Set(['error', 'analysis.complete']);

/**
 * Whether an envelope ends its run's stream: an `error`, `analysis.complete`, or a
 * `<producer>.done` that closes the whole run. A `.done` carrying a `channel` closes one of
 * several parallel generations (steering streams a default and a steered one) and the run goes on.
 */
export function isTerminal(envelope: { type: string; data: unknown }): boolean {
  if (TERMINAL_TYPES.has(envelope.type)) return true;
  if (!envelope.type.endsWith('.done')) return false;
  const data = envelope.data as { channel?: unknown } | null;
  return data?.channel === undefined;
}

// ---------------------------------------------------------------------------------------------
// The envelope.

const envelopeHeader = {
  v: z.literal(ENVELOPE_VERSION),
  id: z.string().min(1).max(64),
  seq: z.number().int().positive(),
  ts: z.number().int().nonnegative(),
  corrId: z.string().min(1).max(128),
};

function envelopeOf<T extends EnvelopeType>(type: T) {
  return z.object({ ...envelopeHeader, type: z.literal(type), data: payloadSchemas[type] });
}

/** One discriminated union over `type`, a member per envelope type. */
export const envelopeSchema = z.discriminatedUnion('type', [
  envelopeOf('status'),
  envelopeOf('error'),
  envelopeOf('metrics'),
  envelopeOf('gen.token'),
  envelopeOf('gen.reasoning'),
  envelopeOf('gen.activation'),
  envelopeOf('gen.done'),
  envelopeOf('grover.token'),
  envelopeOf('grover.program'),
  envelopeOf('grover.result'),
  envelopeOf('grover.iteration'),
  envelopeOf('grover.done'),
  envelopeOf('saturn.step'),
  envelopeOf('saturn.image'),
  envelopeOf('saturn.token'),
  envelopeOf('saturn.done'),
  envelopeOf('analysis.start'),
  envelopeOf('analysis.token'),
  envelopeOf('analysis.reasoning'),
  envelopeOf('analysis.partial'),
  envelopeOf('analysis.tool'),
  envelopeOf('analysis.warning'),
  envelopeOf('analysis.enrichment_start'),
  envelopeOf('analysis.enrichment_complete'),
  envelopeOf('analysis.enrichment_error'),
  envelopeOf('analysis.artifact'),
  envelopeOf('analysis.complete'),
]);

export type EventEnvelope = z.infer<typeof envelopeSchema>;
/** The envelope of one type, narrowed. */
export type EnvelopeOf<T extends EnvelopeType> = Extract<EventEnvelope, { type: T }>;

/** What a producer yields: a type and its payload; the hub adds the header. */
export type ProducerEvent = { [T in EnvelopeType]: { type: T; data: Payload<T> } }[EnvelopeType];

/** Result of {@link parseEnvelope}. */
export type ParsedEnvelope =
  | { ok: true; envelope: EventEnvelope }
  | { ok: false; kind: 'unknown_type'; type: string; seq?: number }
  | { ok: false; kind: 'invalid'; issues: z.core.$ZodIssue[] };

const looseHeader = z.object({ ...envelopeHeader, type: z.string() }).loose();

/**
 * Validates untrusted input (JSON from the wire, a worker's NDJSON line) as an envelope.
 * An envelope of a type this build does not know is not an error of the sender: readers skip it.
 */
export function parseEnvelope(value: unknown): ParsedEnvelope {
  const parsed = envelopeSchema.safeParse(value);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  const header = looseHeader.safeParse(value);
  if (header.success && !(header.data.type in payloadSchemas)) {
    return { ok: false, kind: 'unknown_type', type: header.data.type, seq: header.data.seq };
  }
  return { ok: false, kind: 'invalid', issues: parsed.error.issues };
}
