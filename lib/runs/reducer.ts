/**
 * The reducer: folds a run's envelopes into its result. The same code runs in the browser for the
 * live view and on the server for blocking answers and for what is saved, so streaming on or off
 * changes how a result travels, never what it is.
 *
 * For speed the fold is an accumulator: {@link applyEnvelope} appends to arrays in place (text is
 * kept as chunk arrays, never re-concatenated per token). Callers that need a new identity per
 * update (React stores) copy what changed after a batch.
 */
import { applySteerEnvelope, createSteerState, steerViewOf, type SteerState } from '../kinds/steer';
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

/** A Grover program with its result once graded. */
export interface GroverProgram extends Payload<'grover.program'> {
  result?: Payload<'grover.result'>;
}

/** Grover's state: the model's text per iteration, programs in arrival order, iteration summaries. */
export interface GroverState {
  /** Token chunks per iteration (index 0 is iteration 1). */
  tokens: string[][];
  programs: GroverProgram[];
  iterations: Payload<'grover.iteration'>[];
  bestProgramId: string | null;
  bestScore: number;
  done?: Payload<'grover.done'>;
}

/** Saturn's state: steps and images in arrival order, the model's text per phase, the outcome. */
export interface SaturnState {
  steps: Payload<'saturn.step'>[];
  images: Payload<'saturn.image'>[];
  /** Phases in the order they started, and their token chunks. */
  phases: { phase: string; chunks: string[] }[];
  done?: Payload<'saturn.done'>;
}

export type EnrichmentState = { key: string; label?: string; status: 'pending' | 'complete' | 'error'; summary?: string; data?: unknown; message?: string };

/** The analysis: raw text, reasoning, the fields parsed so far, tool calls, enrichments, the outcome. */
export interface AnalysisState {
  start?: Payload<'analysis.start'>;
  chunks: string[];
  reasoning: string[];
  fields: Payload<'analysis.partial'>['fields'];
  toolCalls: Payload<'analysis.tool'>['toolCalls'];
  warnings: Payload<'analysis.warning'>[];
  enrichments: EnrichmentState[];
  artifacts: Payload<'analysis.artifact'>[];
  complete?: Payload<'analysis.complete'>;
}

export interface RunResult {
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
  grover?: GroverState;
  saturn?: SaturnState;
  analysis?: AnalysisState;
  /** A steering run's two channels (`default`, `steered`), with each token's logprobs. */
  steer?: SteerState;
  startedAt?: number;
  endedAt?: number;
}

export const MAIN_CHANNEL = 'main';

export function createRunResult(): RunResult {
  return { status: 'running', lastSeq: 0, generations: {}, statusCodes: [] };
}

export function createGeneration(): Generation {
  return { chunks: [], reasoning: [], tokenCount: 0, activations: [] };
}

function groverOf(result: RunResult): GroverState {
  result.grover ??= { tokens: [], programs: [], iterations: [], bestProgramId: null, bestScore: 0 };
  return result.grover;
}

function saturnOf(result: RunResult): SaturnState {
  result.saturn ??= { steps: [], images: [], phases: [] };
  return result.saturn;
}

function analysisOf(result: RunResult): AnalysisState {
  result.analysis ??= { chunks: [], reasoning: [], fields: {}, toolCalls: [], warnings: [], enrichments: [], artifacts: [] };
  return result.analysis;
}

function enrichmentOf(analysis: AnalysisState, key: string): EnrichmentState {
  let enrichment = analysis.enrichments.find((e) => e.key === key);
  if (!enrichment) {
    enrichment = { key, status: 'pending' };
    analysis.enrichments.push(enrichment);
  }
  return enrichment;
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

  if (envelope.type.startsWith('gen.') && 'channel' in envelope.data && (envelope.data.channel === 'default' || envelope.data.channel === 'steered')) {
    result.steer ??= createSteerState();
    applySteerEnvelope(result.steer, envelope);
  }

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
    case 'grover.token': {
      const grover = groverOf(result);
      (grover.tokens[envelope.data.iteration - 1] ??= []).push(envelope.data.token);
      break;
    }
    case 'grover.program':
      groverOf(result).programs.push({ ...envelope.data });
      break;
    case 'grover.result': {
      const grover = groverOf(result);
      const program = grover.programs.find((p) => p.programId === envelope.data.programId);
      if (program) program.result = envelope.data;
      break;
    }
    case 'grover.iteration': {
      const grover = groverOf(result);
      grover.iterations.push(envelope.data);
      grover.bestProgramId = envelope.data.bestProgramId;
      grover.bestScore = envelope.data.bestScore;
      break;
    }
    case 'grover.done':
      groverOf(result).done = envelope.data;
      break;
    case 'saturn.step':
      saturnOf(result).steps.push(envelope.data);
      break;
    case 'saturn.image':
      saturnOf(result).images.push(envelope.data);
      break;
    case 'saturn.token': {
      const saturn = saturnOf(result);
      let phase = saturn.phases.at(-1);
      if (phase?.phase !== envelope.data.phase) {
        phase = saturn.phases.find((p) => p.phase === envelope.data.phase);
        if (!phase) {
          phase = { phase: envelope.data.phase, chunks: [] };
          saturn.phases.push(phase);
        }
      }
      phase.chunks.push(envelope.data.token);
      break;
    }
    case 'saturn.done':
      saturnOf(result).done = envelope.data;
      break;
    case 'analysis.start':
      analysisOf(result).start = envelope.data;
      break;
    case 'analysis.token':
      analysisOf(result).chunks.push(envelope.data.chunk);
      break;
    case 'analysis.reasoning':
      analysisOf(result).reasoning.push(envelope.data.text);
      break;
    case 'analysis.partial':
      analysisOf(result).fields = envelope.data.fields;
      break;
    case 'analysis.tool': {
      const analysis = analysisOf(result);
      for (const call of envelope.data.toolCalls) {
        const index = analysis.toolCalls.findIndex((c) => c.id === call.id);
        if (index === -1) analysis.toolCalls.push(call);
        else analysis.toolCalls[index] = { ...analysis.toolCalls[index], ...call };
      }
      break;
    }
    case 'analysis.warning':
      analysisOf(result).warnings.push(envelope.data);
      break;
    case 'analysis.enrichment_start': {
      const enrichment = enrichmentOf(analysisOf(result), envelope.data.key);
      enrichment.status = 'pending';
      if (envelope.data.label !== undefined) enrichment.label = envelope.data.label;
      break;
    }
    case 'analysis.enrichment_complete':
      Object.assign(enrichmentOf(analysisOf(result), envelope.data.key), { status: 'complete', summary: envelope.data.summary, data: envelope.data.data });
      break;
    case 'analysis.enrichment_error':
      Object.assign(enrichmentOf(analysisOf(result), envelope.data.key), { status: 'error', message: envelope.data.message });
      break;
    case 'analysis.artifact':
      analysisOf(result).artifacts.push(envelope.data);
      break;
    case 'analysis.complete': {
      const analysis = analysisOf(result);
      analysis.complete = envelope.data;
      if (envelope.data.payload.result) analysis.fields = envelope.data.payload.result;
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
    grover: result.grover
      ? {
          text: result.grover.tokens.map((chunks) => chunks.join('')),
          programs: result.grover.programs,
          iterations: result.grover.iterations,
          bestProgramId: result.grover.bestProgramId,
          bestScore: result.grover.bestScore,
          done: result.grover.done,
        }
      : undefined,
    analysis: result.analysis
      ? {
          text: result.analysis.chunks.join(''),
          reasoning: result.analysis.reasoning.join(''),
          fields: result.analysis.fields,
          toolCalls: result.analysis.toolCalls,
          warnings: result.analysis.warnings,
          enrichments: result.analysis.enrichments,
          artifacts: result.analysis.artifacts,
          complete: result.analysis.complete,
        }
      : undefined,
    steer: result.steer ? steerViewOf(result.steer) : undefined,
    saturn: result.saturn
      ? {
          steps: result.saturn.steps,
          images: result.saturn.images,
          phases: result.saturn.phases.map(({ phase, chunks }) => ({ phase, text: chunks.join('') })),
          done: result.saturn.done,
        }
      : undefined,
  };
}

export type RunSummary = ReturnType<typeof summarizeResult>;
