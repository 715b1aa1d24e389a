/**
 * The reducer: folds a run's envelopes into its result. The same code runs in the browser for the
 * live view and on the server for blocking answers and for what is saved, so streaming on or off
 * changes how a result travels, never what it is.
 *
 * The fields every run has (generations, metrics, status, error) are folded here; a kind's own
 * envelopes (`grover.*`, ...) are folded by its part in `lib/kinds/<kind>.ts` into `result[kind]`.
 *
 * For speed the fold is an accumulator: {@link applyEnvelope} appends to arrays in place (text is
 * kept as chunk arrays, never re-concatenated per token). Callers that need a new identity per
 * update (React stores) copy what changed after a batch.
 */
import { KIND_PARTS, KINDS, partKindOf, type PartKind, type StateOf, type SummaryOf } from '../kinds';
import type { KindPart } from '../kinds/types';
import { isTerminal, type EventEnvelope, type Payload } from '../protocol/envelope';

export type RunStatus = 'running' | 'done' | 'error' | 'cancelled';

/** One generation's output; a run has one (`main`) unless its producer streams several channels. */
export interface Generation {
  /** Text deltas in arrival order; `chunks.join('')` is the text. */
  chunks: string[];
  /** Reasoning deltas, kept apart from the answer. */
  reasoning: string[];
  tokenCount: number;
  activations: Payload<'gen.activation'>[];
  finishReason?: string;
  usage?: Payload<'gen.done'>['usage'];
}

export interface RunResultBase {
  status: RunStatus;
  /** Highest seq applied; envelopes at or below it are duplicates and ignored. */
  lastSeq: number;
  generations: Record<string, Generation>;
  metrics?: Payload<'metrics'>;
  /** Latest status message (`status` envelopes). */
  statusMessage?: string;
  /** Status codes seen (e.g. a log gap), in order. */
  statusCodes: string[];
  error?: Payload<'error'>;
  startedAt?: number;
  endedAt?: number;
}

/** A result: the fields every run has, and each kind's own part (`result.grover`, ...) once it began. */
export type RunResult = RunResultBase & { [K in PartKind]?: StateOf<K> };

export const MAIN_CHANNEL = 'main';

export function createRunResult(): RunResult {
  return { status: 'running', lastSeq: 0, generations: {}, statusCodes: [] };
}

function createGeneration(): Generation {
  return { chunks: [], reasoning: [], tokenCount: 0, activations: [] };
}

/** A kind's part of the result, created by its first envelope. */
function partOf(result: RunResult, kind: PartKind, part: KindPart<unknown, unknown, unknown>): unknown {
  const parts = result as unknown as Record<string, unknown>;
  parts[kind] ??= part.create();
  return parts[kind];
}

function generationOf(result: RunResult, channel: string | undefined): Generation {
  const key = channel ?? MAIN_CHANNEL;
  let generation = result.generations[key];
  if (!generation) {
    generation = createGeneration();
    result.generations[key] = generation;
  }
  return generation;
}

/**
 * Applies one envelope to `result` in place. Returns false (and changes nothing) for a duplicate
 * or out-of-order envelope, so a reader that reconnects may be handed the same envelope twice.
 */
export function applyEnvelope(result: RunResult, envelope: EventEnvelope): boolean {
  if (envelope.seq <= result.lastSeq) return false;
  result.lastSeq = envelope.seq;
  result.startedAt ??= envelope.ts;

  switch (envelope.type) {
    case 'gen.token': {
      const generation = generationOf(result, envelope.data.channel);
      generation.chunks.push(envelope.data.token);
      generation.tokenCount += 1;
      break;
    }
    case 'gen.reasoning':
      generationOf(result, envelope.data.channel).reasoning.push(envelope.data.text);
      break;
    case 'gen.activation':
      generationOf(result, envelope.data.channel).activations.push(envelope.data);
      break;
    case 'gen.done': {
      const generation = generationOf(result, envelope.data.channel);
      generation.finishReason = envelope.data.finishReason;
      generation.usage = envelope.data.usage;
      break;
    }
    case 'metrics':
      result.metrics = { ...result.metrics, ...envelope.data };
      break;
    case 'status':
      if (envelope.data.message !== undefined) result.statusMessage = envelope.data.message;
      if (envelope.data.code !== undefined) result.statusCodes.push(envelope.data.code);
      break;
    case 'error':
      result.error = envelope.data;
      result.status = envelope.data.code === 'cancelled' ? 'cancelled' : 'error';
      break;
  }
  // A kind's own envelopes, and the gen.* envelopes a kind's part also reads (steering's channels).
  const kind = partKindOf(envelope);
  if (kind) {
    const part = KINDS[kind].part as KindPart<unknown, unknown, unknown>;
    part.apply(partOf(result, kind, part), envelope);
  }

  if (isTerminal(envelope)) {
    if (envelope.type !== 'error') result.status = 'done';
    result.endedAt = envelope.ts;
  }
  return true;
}

/** Folds a whole log into a result. */
export function reduceEnvelopes(envelopes: Iterable<EventEnvelope>): RunResult {
  const result = createRunResult();
  for (const envelope of envelopes) applyEnvelope(result, envelope);
  return result;
}

/** The text of a generation. */
export function generationText(generation: Generation | undefined): string {
  return generation ? generation.chunks.join('') : '';
}

/** Each kind's summary of its part (`summary.grover`, ...), present for the parts the run has. */
function summarizeParts(result: RunResult): { [K in PartKind]?: SummaryOf<K> } {
  const summaries: Record<string, unknown> = {};
  for (const [kind, part] of KIND_PARTS) {
    const state = result[kind];
    if (state) summaries[kind] = part.summarize(state);
  }
  return summaries;
}

/** A JSON-friendly summary of a result: text joined, for storage and blocking answers. */
export function summarizeResult(result: RunResult) {
  return {
    status: result.status,
    lastSeq: result.lastSeq,
    generations: Object.fromEntries(
      Object.entries(result.generations).map(([channel, g]) => [
        channel,
        {
          text: generationText(g),
          reasoning: g.reasoning.join(''),
          tokenCount: g.tokenCount,
          finishReason: g.finishReason,
          usage: g.usage,
          activations: g.activations.length > 0 ? g.activations : undefined,
        },
      ]),
    ),
    metrics: result.metrics,
    statusCodes: result.statusCodes.length > 0 ? result.statusCodes : undefined,
    error: result.error,
    ...summarizeParts(result),
  };
}

export type RunSummary = ReturnType<typeof summarizeResult>;
