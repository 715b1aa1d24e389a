/**
 * The `analysis` kind: a structured puzzle analysis. Its input, its part of the reducer
 * (`result.analysis`: raw text, reasoning, the fields parsed so far, tool calls, enrichments,
 * the outcome), its summary and the browser's view.
 *
 * The view keeps identities React can use; the store asks the tracker for a new one after each
 * batch, read from the state (already folded with the batch) and the batch's envelopes:
 * - `text` / `reasoning`: one {@link TextSegment} per batch (the batch's deltas joined once);
 * - `fields`: the result fields parsed so far; a field keeps its identity until its value changes,
 *   so a hint list or a predicted grid re-renders only when it grows;
 * - `fieldStates`: per field, `pending` (not begun), `partial` (being written) or `complete`. A
 *   field is complete once the model has gone on to write another field after it (whatever the
 *   order of the keys), or the analysis completed; the field written last in an interrupted
 *   analysis stays partial;
 * - tool calls, enrichments, warnings and artifacts: new arrays when they change, where only the
 *   entries that changed are new objects.
 *
 * A batch with no `analysis.*` envelope leaves the view as it was (same identity).
 * {@link analysisViewOfSummary} builds the same view from a saved run's summary.
 */
import { z } from 'zod';
import type { EventEnvelope, Payload } from '../protocol/envelope';
import { modelIdSchema, paceSchema, taskIdSchema, temperatureSchema } from './fields';
import { defineKind, type AnyEnvelope, type KindView, type TextSegment } from './types';

export const analysisInputSchema = z.object({
  taskId: taskIdSchema,
  model: modelIdSchema,
  temperature: temperatureSchema.optional(),
  /** Pace of the embedded engine's text (tokens per second; 0: instant). Ignored by hosted models. */
  tokensPerSecond: paceSchema.optional(),
  /** Run the enrichment passes after the answer (default yes). */
  enrichments: z.boolean().default(true),
});

export type AnalysisInput = z.infer<typeof analysisInputSchema>;

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

function createAnalysisState(): AnalysisState {
  return { chunks: [], reasoning: [], fields: {}, toolCalls: [], warnings: [], enrichments: [], artifacts: [] };
}

function enrichmentOf(analysis: AnalysisState, key: string): EnrichmentState {
  let enrichment = analysis.enrichments.find((e) => e.key === key);
  if (!enrichment) {
    enrichment = { key, status: 'pending' };
    analysis.enrichments.push(enrichment);
  }
  return enrichment;
}

function applyAnalysis(analysis: AnalysisState, envelope: EventEnvelope): void {
  switch (envelope.type) {
    case 'analysis.start':
      analysis.start = envelope.data;
      break;
    case 'analysis.token':
      analysis.chunks.push(envelope.data.chunk);
      break;
    case 'analysis.reasoning':
      analysis.reasoning.push(envelope.data.text);
      break;
    case 'analysis.partial':
      analysis.fields = envelope.data.fields;
      break;
    case 'analysis.tool':
      for (const call of envelope.data.toolCalls) {
        const index = analysis.toolCalls.findIndex((c) => c.id === call.id);
        if (index === -1) analysis.toolCalls.push(call);
        else analysis.toolCalls[index] = { ...analysis.toolCalls[index], ...call };
      }
      break;
    case 'analysis.warning':
      analysis.warnings.push(envelope.data);
      break;
    case 'analysis.enrichment_start': {
      const enrichment = enrichmentOf(analysis, envelope.data.key);
      enrichment.status = 'pending';
      if (envelope.data.label !== undefined) enrichment.label = envelope.data.label;
      break;
    }
    case 'analysis.enrichment_complete':
      Object.assign(enrichmentOf(analysis, envelope.data.key), { status: 'complete', summary: envelope.data.summary, data: envelope.data.data });
      break;
    case 'analysis.enrichment_error':
      Object.assign(enrichmentOf(analysis, envelope.data.key), { status: 'error', message: envelope.data.message });
      break;
    case 'analysis.artifact':
      analysis.artifacts.push(envelope.data);
      break;
    case 'analysis.complete':
      analysis.complete = envelope.data;
      if (envelope.data.payload.result) analysis.fields = envelope.data.payload.result;
      break;
  }
}

function summarizeAnalysis(analysis: AnalysisState) {
  return {
    text: analysis.chunks.join(''),
    reasoning: analysis.reasoning.join(''),
    fields: analysis.fields,
    toolCalls: analysis.toolCalls,
    warnings: analysis.warnings,
    enrichments: analysis.enrichments,
    artifacts: analysis.artifacts,
    complete: analysis.complete,
  };
}

/** The result's fields, in the order the model is asked to write them. */
const ANALYSIS_FIELDS = ['patternDescription', 'solvingStrategy', 'hints', 'predictedOutput', 'confidence'] as const;

export type AnalysisField = (typeof ANALYSIS_FIELDS)[number];
export type FieldState = 'pending' | 'partial' | 'complete';
export type AnalysisFields = Payload<'analysis.partial'>['fields'];
export type AnalysisToolCall = Payload<'analysis.tool'>['toolCalls'][number];
export type AnalysisWarning = Payload<'analysis.warning'>;
export type AnalysisArtifact = Payload<'analysis.artifact'>;
export type AnalysisComplete = Payload<'analysis.complete'>;

export interface AnalysisView {
  start: Payload<'analysis.start'> | null;
  /** The model's raw text, one segment per batch. */
  text: TextSegment[];
  reasoning: TextSegment[];
  fields: AnalysisFields;
  fieldStates: Record<AnalysisField, FieldState>;
  toolCalls: AnalysisToolCall[];
  warnings: AnalysisWarning[];
  enrichments: EnrichmentState[];
  artifacts: AnalysisArtifact[];
  complete: AnalysisComplete | null;
  /** Text deltas received. */
  tokenCount: number;
}

const PENDING_STATES: Record<AnalysisField, FieldState> = {
  patternDescription: 'pending',
  solvingStrategy: 'pending',
  hints: 'pending',
  predictedOutput: 'pending',
  confidence: 'pending',
};

function createAnalysisView(): AnalysisView {
  return {
    start: null,
    text: [],
    reasoning: [],
    fields: {},
    fieldStates: PENDING_STATES,
    toolCalls: [],
    warnings: [],
    enrichments: [],
    artifacts: [],
    complete: null,
    tokenCount: 0,
  };
}

interface AnalysisViewTracker {
  /**
   * The view after a batch: `previous` (null before the first) with the batch's changes applied,
   * read from `state` (the reducer's accumulator, already folded with `batch`).
   */
  update(previous: AnalysisView | null, state: AnalysisState, batch: readonly AnyEnvelope[], nextId: () => number): AnalysisView;
}

function sameStates(a: Record<AnalysisField, FieldState>, b: Record<AnalysisField, FieldState>): boolean {
  return ANALYSIS_FIELDS.every((field) => a[field] === b[field]);
}

/** Each field's state from when it last changed (a logical clock) and whether the analysis is over. */
function statesOf(
  fields: AnalysisFields,
  changedAt: ReadonlyMap<AnalysisField, number>,
  complete: AnalysisComplete | null,
): Record<AnalysisField, FieldState> {
  const latest = Math.max(0, ...ANALYSIS_FIELDS.filter((f) => fields[f] !== undefined).map((f) => changedAt.get(f) ?? 0));
  const states = { ...PENDING_STATES };
  for (const field of ANALYSIS_FIELDS) {
    if (fields[field] === undefined) continue;
    const at = changedAt.get(field) ?? 0;
    if (complete) states[field] = complete.status === 'interrupted' && at === latest ? 'partial' : 'complete';
    else states[field] = at < latest ? 'complete' : 'partial';
  }
  return states;
}

/** A tracker for one run (it remembers when each field last changed). */
function createAnalysisViewTracker(): AnalysisViewTracker {
  const changedAt = new Map<AnalysisField, number>();
  const serialized = new Map<AnalysisField, string>();
  let clock = 0;

  /** The next fields: unchanged values keep their identity; stamps the ones that changed. */
  function mergeFields(previous: AnalysisFields, next: AnalysisFields): AnalysisFields {
    let changed = false;
    const merged: AnalysisFields = { ...next };
    for (const field of ANALYSIS_FIELDS) {
      const value = next[field];
      if (value === undefined) {
        if (previous[field] !== undefined) changed = true;
        serialized.delete(field);
        continue;
      }
      const text = JSON.stringify(value);
      if (serialized.get(field) === text && previous[field] !== undefined) {
        (merged as Record<string, unknown>)[field] = previous[field];
        continue;
      }
      serialized.set(field, text);
      changedAt.set(field, ++clock);
      changed = true;
    }
    return changed ? merged : previous;
  }

  return {
    update(previous, state, batch, nextId) {
      const view = previous ?? createAnalysisView();
      const textParts: string[] = [];
      const reasoningParts: string[] = [];
      let fields = view.fields;
      let tools = false;
      let warnings = false;
      let artifacts = false;
      const touchedEnrichments = new Set<string>();
      let touched = previous === null;

      for (const envelope of batch) {
        if (!envelope.type.startsWith('analysis.')) continue;
        touched = true;
        switch (envelope.type) {
          case 'analysis.token':
            textParts.push((envelope.data as Payload<'analysis.token'>).chunk);
            break;
          case 'analysis.reasoning':
            reasoningParts.push((envelope.data as Payload<'analysis.reasoning'>).text);
            break;
          case 'analysis.partial':
            fields = mergeFields(fields, (envelope.data as Payload<'analysis.partial'>).fields);
            break;
          case 'analysis.complete': {
            const result = (envelope.data as AnalysisComplete).payload.result;
            if (result) fields = mergeFields(fields, result);
            break;
          }
          case 'analysis.tool':
            tools = true;
            break;
          case 'analysis.warning':
            warnings = true;
            break;
          case 'analysis.artifact':
            artifacts = true;
            break;
          case 'analysis.enrichment_start':
          case 'analysis.enrichment_complete':
          case 'analysis.enrichment_error':
            touchedEnrichments.add((envelope.data as { key: string }).key);
            break;
        }
      }
      if (!touched) return view;

      const complete = state.complete ?? null;
      const fieldStates = statesOf(fields, changedAt, complete);
      let enrichments = view.enrichments;
      if (touchedEnrichments.size > 0) {
        const before = new Map(view.enrichments.map((e) => [e.key, e]));
        enrichments = state.enrichments.map((e) => (touchedEnrichments.has(e.key) || !before.has(e.key) ? { ...e } : before.get(e.key)!));
      }

      return {
        start: state.start ?? null,
        text: textParts.length > 0 ? [...view.text, { id: nextId(), text: textParts.join('') }] : view.text,
        reasoning: reasoningParts.length > 0 ? [...view.reasoning, { id: nextId(), text: reasoningParts.join('') }] : view.reasoning,
        fields,
        fieldStates: sameStates(fieldStates, view.fieldStates) ? view.fieldStates : fieldStates,
        // The reducer replaces a call's object when it updates, so a copy of the array is enough.
        toolCalls: tools ? [...state.toolCalls] : view.toolCalls,
        warnings: warnings ? [...state.warnings] : view.warnings,
        enrichments,
        artifacts: artifacts ? [...state.artifacts] : view.artifacts,
        complete,
        tokenCount: view.tokenCount + textParts.length,
      };
    },
  };
}

/** The `analysis` part of a saved run's summary (`summarizeResult(...).analysis`), as stored. */
export interface AnalysisSummary {
  text?: string;
  reasoning?: string;
  fields?: AnalysisFields;
  toolCalls?: AnalysisToolCall[];
  warnings?: AnalysisWarning[];
  enrichments?: EnrichmentState[];
  artifacts?: AnalysisArtifact[];
  complete?: AnalysisComplete;
}

/**
 * The view of a saved analysis. Without the order the fields were written in, every field read
 * is `complete` when the analysis completed, and `partial` when it did not (it was cut short).
 */
export function analysisViewOfSummary(summary: AnalysisSummary | null | undefined): AnalysisView {
  const view = createAnalysisView();
  if (!summary) return view;
  const complete = summary.complete ?? null;
  const fields = summary.fields ?? {};
  const fieldStates = { ...PENDING_STATES };
  for (const field of ANALYSIS_FIELDS) {
    if (fields[field] !== undefined) fieldStates[field] = complete && complete.status === 'complete' ? 'complete' : 'partial';
  }
  return {
    ...view,
    text: summary.text ? [{ id: 1, text: summary.text }] : [],
    reasoning: summary.reasoning ? [{ id: 2, text: summary.reasoning }] : [],
    fields,
    fieldStates,
    toolCalls: summary.toolCalls ?? [],
    warnings: summary.warnings ?? [],
    enrichments: summary.enrichments ?? [],
    artifacts: summary.artifacts ?? [],
    complete,
  };
}

/** The view of a whole state at once (blocking delivery): the saved-summary view, with its start and token count. */
function analysisViewOfState(state: AnalysisState): AnalysisView {
  const view = { ...analysisViewOfSummary(summarizeAnalysis(state)), tokenCount: state.chunks.length };
  if (view.start === null && state.start) view.start = state.start;
  return view;
}

const analysisView: KindView<AnalysisState, AnalysisView> = {
  tracker: createAnalysisViewTracker,
  ofState: analysisViewOfState,
};

export const analysisKind = defineKind({
  input: analysisInputSchema,
  part: {
    prefix: 'analysis.',
    tokenType: 'analysis.token',
    reasoningType: 'analysis.reasoning',
    create: createAnalysisState,
    tokenCount: (state: AnalysisState) => state.chunks.length,
    apply: applyAnalysis,
    summarize: summarizeAnalysis,
    view: analysisView,
  },
});
