/**
 * The `grover` producer: iterative program synthesis on an ARC task, streamed.
 *
 * Each iteration asks the model for several candidate `transform(grid)` programs. Its tokens
 * stream as `grover.token`; each program goes out as `grover.program` the moment its code block
 * closes in the partial text, and starts running in the sandbox while the model keeps writing;
 * its grade on every training pair follows as `grover.result`. `grover.iteration` closes each
 * iteration with every score and the best so far. The run stops when a program solves every
 * training pair or after the last iteration; the best program then runs on the test inputs and
 * `grover.done` carries its predictions and, where the answer is known, whether each is right.
 *
 * Hosted models and the embedded `local:arc` take the same path; the local engine also receives
 * the task (without test answers) and the programs already tried through provider options.
 */
import { streamText } from 'ai';
import { getTaskOrThrow } from '../../arc/load';
import { gridsEqual, type ArcTaskData, type Grid } from '../../arc/task';
import { LOCAL_ARC_OPTIONS_KEY, type LocalArcOptions } from '../../models/local/arcModel';
import { toProviderError } from '../../models/providerError';
import { isLocalModel, resolveLanguageModel } from '../../models/registry';
import type { Payload, ProducerEvent } from '../../protocol/envelope';
import type { ProducerContext } from '../../runs/hub';
import { createCodeBlockScanner, isTransformProgram } from './codeBlocks';
import { createEventQueue } from './eventQueue';
import { gradeRun } from './grade';
import { buildGroverPrompt, GROVER_SYSTEM, type PriorProgram } from './prompt';
import { runProgram } from './sandbox';
import type { GroverInput } from '../../kinds/grover';

interface GradedProgram extends PriorProgram {
  programId: string;
}

/** Programs run at most this many at a time: one per core of a small machine. */
const SANDBOX_CONCURRENCY = 2;

function withoutTestAnswers(task: ArcTaskData): ArcTaskData {
  return { train: task.train, test: task.test.map(({ input }) => ({ input })) };
}

function createLimiter(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function limit<T>(work: () => Promise<T>): Promise<T> {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await work();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

export async function* groverProducer(input: GroverInput, { signal }: ProducerContext): AsyncGenerator<ProducerEvent> {
  const task = await getTaskOrThrow({ id: input.taskId });
  const model = resolveLanguageModel(input.model);
  const local = isLocalModel(input.model);
  const providerLabel = input.model.slice(0, input.model.indexOf(':'));
  const limit = createLimiter(SANDBOX_CONCURRENCY);
  const trainInputs = task.train.map((pair) => pair.input);
  const graded: GradedProgram[] = [];
  const startedAt = performance.now();
  let best: GradedProgram | null = null;
  let tokens = 0;
  let iterationsRun = 0;

  for (let iteration = 1; iteration <= input.iterations; iteration++) {
    iterationsRun = iteration;
    yield { type: 'status', data: { state: 'running', message: `Iteration ${iteration} of ${input.iterations}: asking ${input.model}` } };
    const prior = [...graded].sort((a, b) => b.score - a.score).slice(0, 3);
    const localOptions: LocalArcOptions = {
      task: withoutTestAnswers(task),
      count: input.programsPerIteration,
      exclude: graded.map((p) => p.code),
      ...(input.tokensPerSecond !== undefined ? { tokensPerSecond: input.tokensPerSecond } : {}),
    };

    const queue = createEventQueue<ProducerEvent>();
    const thisIteration: GradedProgram[] = [];

    // Read the model's stream and grade programs concurrently; the queue interleaves their events.
    void (async () => {
      const result = streamText({
        model,
        system: GROVER_SYSTEM,
        prompt: buildGroverPrompt({ task, count: input.programsPerIteration, iteration, prior }),
        temperature: input.temperature,
        abortSignal: signal,
        // Retries happen in lib/models/resilience, before any output; never twice.
    maxRetries: 0,
        onError: () => undefined,
        ...(local ? { providerOptions: { [LOCAL_ARC_OPTIONS_KEY]: localOptions } } : {}),
      });
      const scanner = createCodeBlockScanner();
      const runs: Promise<void>[] = [];
      let index = 0;
      let programIndex = 0;
      for await (const part of result.fullStream) {
        if (part.type === 'error') throw toProviderError(part.error, providerLabel);
        if (part.type !== 'text-delta' || part.text === '') continue;
        tokens += 1;
        queue.push({ type: 'grover.token', data: { token: part.text, iteration, index: index++ } });
        for (const block of scanner.push(part.text)) {
          if (!isTransformProgram(block)) continue;
          const programId = `${iteration}.${programIndex + 1}`;
          queue.push({ type: 'grover.program', data: { programId, iteration, index: programIndex++, code: block.code } });
          runs.push(
            limit(async () => {
              const run = await runProgram({ code: block.code, inputs: trainInputs, signal });
              const grade = gradeRun(run, task.train);
              const program = { programId, code: block.code, score: grade.score, ...(grade.error ? { error: grade.error } : {}) };
              thisIteration.push(program);
              queue.push({
                type: 'grover.result',
                data: { programId, iteration, score: grade.score, pairs: grade.pairs, durationMs: Math.round(run.durationMs), ...(grade.error ? { error: grade.error } : {}) },
              });
            }),
          );
        }
      }
      await Promise.all(runs);
    })().then(
      () => queue.close(),
      (error: unknown) => queue.fail(error),
    );

    for await (const event of queue) yield event;

    graded.push(...thisIteration);
    for (const program of thisIteration) if (!best || program.score > best.score) best = program;
    const summary: Payload<'grover.iteration'> = {
      iteration,
      scores: thisIteration.map(({ programId, score }) => ({ programId, score })),
      bestScore: best?.score ?? 0,
      bestProgramId: best?.programId ?? null,
    };
    yield { type: 'grover.iteration', data: summary };
    if (thisIteration.length === 0) {
      yield { type: 'status', data: { state: 'info', message: `Iteration ${iteration} produced no program to run.` } };
    }
    if (best && best.score >= 10) break;
  }

  const predictions: (Grid | null)[] = [];
  if (best) {
    yield { type: 'status', data: { state: 'running', message: `Running the best program (${best.programId}) on the test inputs` } };
    const run = await runProgram({ code: best.code, inputs: task.test.map((pair) => pair.input), signal });
    task.test.forEach((_, i) => {
      const output = run.status === 'ok' ? run.outputs[i] : undefined;
      predictions.push(output?.ok ? output.grid : null);
    });
  } else {
    task.test.forEach(() => predictions.push(null));
  }
  const correct = task.test.map((pair, i) => (pair.output ? predictions[i] !== null && gridsEqual(predictions[i]!, pair.output) : null));

  const elapsedMs = Math.round(performance.now() - startedAt);
  yield { type: 'metrics', data: { elapsedMs, tokens, tokensPerSecond: elapsedMs > 0 ? Math.round((tokens / elapsedMs) * 10_000) / 10 : 0 } };
  yield {
    type: 'grover.done',
    data: {
      solved: best !== null && best.score >= 10 && correct.every((c) => c !== false),
      iterations: iterationsRun,
      best: best ? { programId: best.programId, code: best.code, score: best.score } : null,
      predictions,
      correct,
    },
  };
}
