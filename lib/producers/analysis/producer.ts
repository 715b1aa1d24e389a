/**
 * The `analysis` producer: a model explains a puzzle as a structured object, and the user sees
 * its fields fill in while it writes (the seeds' "interpret" contract under `analysis.*`).
 *
 * `analysis.start`, then the raw text as `analysis.token` and, whenever incremental parsing of
 * the partial text completes more fields, `analysis.partial`; reasoning apart as
 * `analysis.reasoning`; tool calls as they start and finish as `analysis.tool`. After the answer:
 * strict parsing with repair (`ok` / `repaired` / `fallback`, a `parse_error` warning before a
 * fallback), the enrichment passes, and `analysis.complete` with the result and its metadata.
 * A stream that dies after text has arrived completes as `interrupted`, keeping what was parsed.
 */
import { isStepCount, streamText } from 'ai';
import { getTaskOrThrow } from '../../arc/load';
import { gridToText, type ArcTask } from '../../arc/task';
import { getConfig } from '../../config';
import { isAppError } from '../../errors';
import { imageDirOf } from '../../images/store';
import { LOCAL_ARC_OPTIONS_KEY } from '../../models/local/arcModel';
import { toProviderError } from '../../models/providerError';
import { isLocalModel, resolveLanguageModel } from '../../models/registry';
import { usedNonStreamingFallback } from '../../models/resilience';
import type { Payload, ProducerEvent } from '../../protocol/envelope';
import type { ProducerContext } from '../../runs/hub';
import { startSaturnWorker, type SaturnWorker } from '../saturn/bridge';
import { ENRICHMENTS } from './enrichments';
import { parseFinalAnalysis, parsePartialAnalysis, type PartialAnalysis } from './parse';
import { analysisTools } from './tools';
import type { AnalysisInput } from '../../kinds/analysis';

const ANALYSIS_SYSTEM = [
  'You analyse ARC-AGI puzzles. Explain the rule that turns each training input into its output.',
  'You may call run_program to test a Python `def transform(grid):` on the training pairs, and render_grid to draw a grid.',
  'Answer with one JSON object in a ```json fenced block, with the fields in this order:',
  '{"patternDescription": string, "solvingStrategy": string, "hints": string[], "predictedOutput": [grid per test input], "confidence": 0-100}',
].join('\n');

function analysisPrompt(task: ArcTask): string {
  const train = task.train.map((pair, i) => `Example ${i + 1}\nInput:\n${gridToText(pair.input)}\nOutput:\n${gridToText(pair.output)}`).join('\n\n');
  const test = task.test.map((pair, i) => `Test input ${i + 1}:\n${gridToText(pair.input)}`).join('\n\n');
  return `${train}\n\n${test}\n\nAnalyse the puzzle and predict the output of every test input.`;
}

function usageOf(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined; totalTokens?: number | undefined } | undefined) {
  if (!usage) return undefined;
  return {
    ...(usage.inputTokens !== undefined ? { inputTokens: usage.inputTokens } : {}),
    ...(usage.outputTokens !== undefined ? { outputTokens: usage.outputTokens } : {}),
    ...(usage.totalTokens !== undefined ? { totalTokens: usage.totalTokens } : {}),
  };
}

export async function* analysisProducer(input: AnalysisInput, { signal, runId }: ProducerContext): AsyncGenerator<ProducerEvent> {
  const startedAt = performance.now();
  yield { type: 'analysis.start', data: { requestId: runId, status: 'started', mode: 'stream', model: input.model } };
  const task = await getTaskOrThrow({ id: input.taskId });
  const config = getConfig();
  const model = resolveLanguageModel(input.model);
  const local = isLocalModel(input.model);
  const providerLabel = input.model.slice(0, input.model.indexOf(':'));

  let worker: Promise<SaturnWorker> | undefined;
  const getWorker = () => (worker ??= startSaturnWorker({ runId, imageDir: imageDirOf(config), signal, wallTimeMs: config.SATURN_WALL_TIME_MS }));

  let text = '';
  let fields: PartialAnalysis = {};
  let fieldsKey = '{}';
  let fallback = false;
  let interrupted: string | undefined;
  let usage: Payload<'analysis.complete'>['payload']['metadata']['usage'];
  const toolNames = new Map<string, string>();

  try {
    const result = streamText({
      model,
      system: ANALYSIS_SYSTEM,
      prompt: analysisPrompt(task),
      temperature: input.temperature,
      abortSignal: signal,
      // Retries happen in lib/models/resilience, before any output; never twice.
      maxRetries: 0,
      onError: () => undefined,
      ...(local
        ? {
            providerOptions: {
              [LOCAL_ARC_OPTIONS_KEY]: {
                mode: 'analysis',
                task: { train: task.train, test: task.test.map(({ input: grid }) => ({ input: grid })) },
                ...(input.tokensPerSecond !== undefined ? { tokensPerSecond: input.tokensPerSecond } : {}),
              },
            },
          }
        : { tools: analysisTools({ task, signal, worker: getWorker }), stopWhen: isStepCount(4) }),
    });

    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'reasoning-delta':
          if (part.text !== '') yield { type: 'analysis.reasoning', data: { text: part.text } };
          break;
        case 'text-delta': {
          if (part.text === '') break;
          text += part.text;
          yield { type: 'analysis.token', data: { chunk: part.text } };
          const next = await parsePartialAnalysis(text);
          const key = JSON.stringify(next);
          if (key !== fieldsKey && Object.keys(next).length > 0) {
            fields = next;
            fieldsKey = key;
            yield { type: 'analysis.partial', data: { fields } };
          }
          break;
        }
        case 'tool-call':
          toolNames.set(part.toolCallId, part.toolName);
          yield { type: 'analysis.tool', data: { toolCalls: [{ id: part.toolCallId, name: part.toolName, status: 'started', input: part.input }] } };
          break;
        case 'tool-result':
          yield { type: 'analysis.tool', data: { toolCalls: [{ id: part.toolCallId, name: part.toolName, status: 'done', output: part.output }] } };
          break;
        case 'tool-error':
          yield {
            type: 'analysis.tool',
            data: { toolCalls: [{ id: part.toolCallId, name: toolNames.get(part.toolCallId) ?? part.toolName, status: 'error', error: part.error instanceof Error ? part.error.message : String(part.error) }] },
          };
          break;
        case 'finish-step':
          if (usedNonStreamingFallback(part.providerMetadata) && !fallback) {
            fallback = true;
            yield { type: 'analysis.warning', data: { type: 'fallback', message: 'The stream failed before its first token; the answer came from a non-streaming call.' } };
          }
          break;
        case 'finish':
          usage = usageOf(part.totalUsage);
          break;
        case 'error':
          throw toProviderError(part.error, providerLabel);
        case 'abort':
          return;
      }
    }
  } catch (error) {
    // A stream that dies after the answer began is an interrupted analysis, not a lost one.
    if (text === '' || signal.aborted) throw error;
    interrupted = isAppError(error) ? error.message : 'The stream ended before the answer was complete.';
    yield { type: 'analysis.warning', data: { type: 'interrupted', message: interrupted } };
  }

  const final = interrupted ? { ...parseFinalAnalysis(text), result: Object.keys(fields).length > 0 ? fields : null } : parseFinalAnalysis(text);
  if (final.parseStatus === 'fallback' && !interrupted) {
    yield { type: 'analysis.warning', data: { type: 'parse_error', message: final.problem ?? 'The answer could not be parsed.' } };
  }
  const resultFields = final.result ?? (interrupted ? fields : null);

  try {
    if (input.enrichments && !interrupted) {
      for (const enrichment of ENRICHMENTS) {
        yield { type: 'analysis.enrichment_start', data: { key: enrichment.key, label: enrichment.label } };
        try {
          const outcome = yield* enrichment.run({ runId, task, result: resultFields, worker: getWorker });
          yield { type: 'analysis.enrichment_complete', data: { key: enrichment.key, summary: outcome.summary, ...(outcome.data !== undefined ? { data: outcome.data } : {}) } };
        } catch (error) {
          if (signal.aborted) throw error;
          console.error(`[analysis ${runId}] enrichment ${enrichment.key} failed:`, error);
          yield { type: 'analysis.enrichment_error', data: { key: enrichment.key, message: isAppError(error) ? error.message : `The ${enrichment.key} pass failed.` } };
        }
      }
    }
  } finally {
    if (worker) await (await worker.catch(() => undefined))?.close();
  }

  yield {
    type: 'analysis.complete',
    data: {
      requestId: runId,
      status: interrupted ? 'interrupted' : 'complete',
      payload: {
        result: resultFields,
        metadata: {
          parseStatus: final.parseStatus,
          ...(final.rawText !== undefined || interrupted ? { rawText: text } : {}),
          ...(fallback ? { fallback: 'non-streaming' as const } : {}),
          ...(usage ? { usage } : {}),
          durationMs: Math.round(performance.now() - startedAt),
          ...(interrupted ? { interrupted: true } : {}),
        },
      },
    },
  };
}
