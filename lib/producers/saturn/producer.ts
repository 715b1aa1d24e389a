/**
 * The `saturn` producer: a phased visual solver. A Python worker (over the NDJSON bridge) draws
 * each phase's pictures; the model looks at them, phase by phase, in one conversation:
 *
 * 1. the first training pair: describe the transformation;
 * 2. each further training input: predict its output, then see the real one (the first time,
 *    also refine the description);
 * 3. each test input: answer with the output grid as JSON.
 *
 * Hosted models receive the PNGs (vision) and the grids as text; `local:arc` answers each phase
 * from the grids through provider options. The model's text streams as `saturn.token`, the
 * worker's steps and images as `saturn.step` / `saturn.image`, and `saturn.done` carries the
 * predictions and whether each is right where the answer is known.
 */
import { streamText, type ModelMessage, type UserContent } from 'ai';
import { getTaskOrThrow } from '../../arc/load';
import { gridsEqual, gridSchema, gridToText, type Grid, type TaskPair } from '../../arc/task';
import { getConfig } from '../../config';
import { imageDirOf, readImage } from '../../images/store';
import { LOCAL_ARC_OPTIONS_KEY, type LocalArcSaturnOptions } from '../../models/local/arcModel';
import { toProviderError } from '../../models/providerError';
import { isLocalModel, resolveLanguageModel } from '../../models/registry';
import type { Payload, ProducerEvent } from '../../protocol/envelope';
import type { ProducerContext } from '../../runs/hub';
import { SaturnWorkerError, startSaturnWorker, type RenderCommand, type SaturnWorker } from './bridge';
import type { SaturnInput } from '../../kinds/saturn';

const SATURN_SYSTEM = [
  'You solve ARC-AGI puzzles by looking at pictures of grids.',
  'Each example shows an input grid and the output grid a hidden rule makes from it. Colours are the integers 0-9.',
  'When asked for a grid, answer with the grid as JSON (a list of rows of integers) in a ```json fenced block.',
].join('\n');

/** The last grid a model wrote: a ```json block, else the last `[[...]]` in the text. */
function extractGrid(text: string): Grid | null {
  const blocks = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const bare = text.match(/\[\s*\[[\d\s,[\]]*\]\s*\]/g) ?? [];
  for (const candidate of [...blocks.reverse(), ...bare.reverse()]) {
    try {
      const parsed = gridSchema.safeParse(JSON.parse(candidate));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON; try the next candidate
    }
  }
  return null;
}

interface Conversation {
  messages: ModelMessage[];
}

export async function* saturnProducer(input: SaturnInput, { signal, runId }: ProducerContext): AsyncGenerator<ProducerEvent> {
  const task = await getTaskOrThrow({ id: input.taskId });
  const config = getConfig();
  const model = resolveLanguageModel(input.model);
  const local = isLocalModel(input.model);
  const providerLabel = input.model.slice(0, input.model.indexOf(':'));
  const train = task.train;
  const total = 1 + (train.length - 1) + task.test.length;
  const conversation: Conversation = { messages: [] };
  let tokenIndex = 0;

  let worker: SaturnWorker;
  try {
    worker = await startSaturnWorker({
      runId,
      imageDir: imageDirOf(config),
      signal,
      wallTimeMs: config.SATURN_WALL_TIME_MS,
      onLog: (entry) => console[entry.level === 'info' ? 'log' : entry.level](`[saturn ${runId}] ${entry.source}: ${entry.message}`),
    });
  } catch (error) {
    if (error instanceof SaturnWorkerError) {
      yield { type: 'error', data: error.payload };
      return;
    }
    throw error;
  }

  /** Renders a step; passes the worker's events on and returns the image URLs it drew. */
  async function* render(command: RenderCommand): AsyncGenerator<ProducerEvent, string[]> {
    const urls: string[] = [];
    for await (const event of worker.request(command)) {
      if (event.type === 'saturn.image') urls.push(event.data.url);
      yield event;
    }
    return urls;
  }

  /** Asks the model; streams its text as `saturn.token` and returns it. */
  async function* ask(phase: string, text: string, imageUrls: string[], saturnOptions: LocalArcSaturnOptions): AsyncGenerator<ProducerEvent, string> {
    const content: Exclude<UserContent, string> = [{ type: 'text', text }];
    if (!local) {
      for (const url of imageUrls) {
        const bytes = await readImage(url.slice(url.lastIndexOf('/') + 1));
        if (bytes) content.push({ type: 'image', image: new Uint8Array(bytes), mediaType: 'image/png' });
      }
    }
    conversation.messages.push({ role: 'user', content });
    const result = streamText({
      model,
      system: SATURN_SYSTEM,
      messages: conversation.messages,
      abortSignal: signal,
      // Retries happen in lib/models/resilience, before any output; never twice.
    maxRetries: 0,
      onError: () => undefined,
      ...(local
        ? { providerOptions: { [LOCAL_ARC_OPTIONS_KEY]: { ...saturnOptions, ...(input.tokensPerSecond !== undefined ? { tokensPerSecond: input.tokensPerSecond } : {}) } } }
        : {}),
    });
    let answer = '';
    for await (const part of result.fullStream) {
      if (part.type === 'error') throw toProviderError(part.error, providerLabel);
      if ((part.type === 'text-delta' || part.type === 'reasoning-delta') && part.text !== '') {
        if (part.type === 'text-delta') answer += part.text;
        yield { type: 'saturn.token', data: { token: part.text, phase, index: tokenIndex++ } };
      }
    }
    conversation.messages.push({ role: 'assistant', content: answer });
    return answer;
  }

  try {
    const first = train[0]!;
    let urls = yield* render({
      phase: 'pair-1',
      step: 1,
      total,
      message: 'Phase 1: the first training pair',
      images: [
        { kind: 'pair', label: 'Pair 1: input → output', input: first.input, output: first.output },
        { kind: 'diff', label: 'Pair 1: what changed', a: first.input, b: first.output },
      ],
    });
    yield* ask(
      'pair-1',
      `Here is the first example.\nInput:\n${gridToText(first.input)}\nOutput:\n${gridToText(first.output)}\n\nDescribe the transformation from input to output.`,
      urls,
      { mode: 'saturn', pairs: [first], ask: { kind: 'describe' } },
    );

    for (let k = 1; k < train.length; k++) {
      const pair: TaskPair = train[k]!;
      const phase = `pair-${k + 1}`;
      urls = yield* render({
        phase,
        step: k + 1,
        total,
        message: `Phase 2: predict training output ${k + 1}`,
        images: [{ kind: 'grid', label: `Pair ${k + 1}: input`, grid: pair.input }],
      });
      const answer = yield* ask(
        phase,
        `Here is the input of example ${k + 1}:\n${gridToText(pair.input)}\n\nPredict its output grid.`,
        urls,
        { mode: 'saturn', pairs: train.slice(0, k), ask: { kind: 'predict', input: pair.input } },
      );
      const predicted = extractGrid(answer);
      const right = predicted !== null && gridsEqual(predicted, pair.output);
      urls = yield* render({
        phase,
        step: k + 1,
        total,
        message: predicted === null ? `No grid in the answer for pair ${k + 1}; here is the real output` : right ? `Pair ${k + 1} predicted correctly` : `Pair ${k + 1}: the prediction beside the real output`,
        images: [
          ...(predicted ? [{ kind: 'compare' as const, label: `Pair ${k + 1}: prediction beside the real output`, predicted, expected: pair.output }] : []),
          { kind: 'pair', label: `Pair ${k + 1}: input → real output`, input: pair.input, output: pair.output },
        ],
      });
      if (k === 1 && !right) {
        yield* ask(
          phase,
          `The real output was:\n${gridToText(pair.output)}\n\nRefine your description of the transformation in one or two sentences.`,
          urls,
          { mode: 'saturn', pairs: train.slice(0, k + 1), ask: { kind: 'describe' } },
        );
      }
    }

    const predictions: (Grid | null)[] = [];
    for (let t = 0; t < task.test.length; t++) {
      const test = task.test[t]!;
      const phase = `test-${t + 1}`;
      urls = yield* render({
        phase,
        step: train.length + t + 1,
        total,
        message: `Phase 3: test input ${t + 1}`,
        images: [{ kind: 'grid', label: `Test ${t + 1}: input`, grid: test.input }],
      });
      const answer = yield* ask(
        phase,
        `Here is the test input:\n${gridToText(test.input)}\n\nAnswer with its output grid as JSON.`,
        urls,
        { mode: 'saturn', pairs: train, ask: { kind: 'predict', input: test.input } },
      );
      const predicted = extractGrid(answer);
      predictions.push(predicted);
      if (predicted) {
        yield* render({
          phase,
          step: train.length + t + 1,
          total,
          message: `Test ${t + 1}: the prediction${test.output ? ' beside the answer' : ''}`,
          images: [{ kind: 'compare', label: `Test ${t + 1}: prediction beside the answer`, predicted, expected: test.output ?? null }],
        });
      }
    }

    const correct = task.test.map((test, i) => (test.output ? predictions[i] !== null && gridsEqual(predictions[i]!, test.output) : null));
    const done: Payload<'saturn.done'> = await worker.done({ predictions, correct, solved: correct.length > 0 && correct.every((c) => c === true) });
    yield { type: 'saturn.done', data: done };
  } catch (error) {
    if (error instanceof SaturnWorkerError) {
      yield { type: 'error', data: error.payload };
      return;
    }
    throw error;
  } finally {
    await worker.close();
  }
}
