/**
 * The producers a run can be started with, keyed by run kind. Each entry pairs the zod schema of
 * the kind's input with the producer and a preflight check that fails fast (before any stream
 * opens) on input that is valid in shape but cannot run, such as an unconfigured provider.
 */
import { z } from 'zod';
import { getConfig } from '../config';
import { AppError } from '../errors';
import { getTaskOrThrow } from '../arc/load';
import { resolveLanguageModel } from '../models/registry';
import type { Producer } from '../runs/hub';
import { analysisInputSchema, analysisProducer } from './analysis/producer';
import { benchInputSchema, benchProducer } from './bench/producer';
import { chatInputSchema, chatProducer } from './chat/producer';
import { groverInputSchema, groverProducer } from './grover/producer';
import { saturnInputSchema, saturnProducer } from './saturn/producer';
import { steerInputSchema } from '../kinds/steer';
import { assertSteerable, steerProducer } from './steer/producer';

interface ProducerDefinition<Input> {
  producer: Producer<Input>;
  preflight(input: Input): void | Promise<void>;
  /** The model a run of this kind calls, for listings and telemetry. */
  modelOf(input: Input): string | null;
}

function defineProducer<Input>(definition: ProducerDefinition<Input>): ProducerDefinition<Input> {
  return definition;
}

/** Runs on an ARC task: the model must be configured and the task must exist (404 before any stream). */
async function taskPreflight(input: { model: string; taskId: string }): Promise<void> {
  resolveLanguageModel(input.model);
  await getTaskOrThrow({ id: input.taskId });
}

const PRODUCERS = {
  chat: defineProducer({
    producer: chatProducer,
    preflight: (input) => void resolveLanguageModel(input.model),
    modelOf: (input) => input.model,
  }),
  grover: defineProducer({
    producer: groverProducer,
    preflight: taskPreflight,
    modelOf: (input) => input.model,
  }),
  saturn: defineProducer({
    producer: saturnProducer,
    preflight: taskPreflight,
    modelOf: (input) => input.model,
  }),
  analysis: defineProducer({
    producer: analysisProducer,
    preflight: taskPreflight,
    modelOf: (input) => input.model,
  }),
  steer: defineProducer({
    producer: steerProducer,
    preflight: assertSteerable,
    modelOf: (input) => input.model,
  }),
  bench: defineProducer({
    producer: benchProducer,
    preflight: () => {
      if (!getConfig().BENCH_PRODUCER) throw new AppError('bad_request:input', 'The bench producer is disabled on this server (BENCH_PRODUCER=1 enables it).');
    },
    modelOf: () => null,
  }),
};

/** `POST /api/runs` body: a kind and that kind's input. */
export const runRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chat'), input: chatInputSchema }),
  z.object({ kind: z.literal('grover'), input: groverInputSchema }),
  z.object({ kind: z.literal('saturn'), input: saturnInputSchema }),
  z.object({ kind: z.literal('analysis'), input: analysisInputSchema }),
  z.object({ kind: z.literal('steer'), input: steerInputSchema }),
  z.object({ kind: z.literal('bench'), input: benchInputSchema }),
]);

export type RunRequest = z.infer<typeof runRequestSchema>;
export type RunKind = RunRequest['kind'];

/** A validated request, checked and ready for the hub. */
export interface PreparedRun {
  kind: RunKind;
  input: unknown;
  producer: Producer<unknown>;
  model: string | null;
}

async function prepare<Input>(kind: RunKind, definition: ProducerDefinition<Input>, input: Input): Promise<PreparedRun> {
  await definition.preflight(input);
  return { kind, input, producer: definition.producer as Producer<unknown>, model: definition.modelOf(input) };
}

/** Runs the kind's preflight and pairs the input with its producer. Throws an AppError if it cannot run. */
export function prepareRun(request: RunRequest): Promise<PreparedRun> {
  switch (request.kind) {
    case 'chat':
      return prepare(request.kind, PRODUCERS.chat, request.input);
    case 'grover':
      return prepare(request.kind, PRODUCERS.grover, request.input);
    case 'saturn':
      return prepare(request.kind, PRODUCERS.saturn, request.input);
    case 'analysis':
      return prepare(request.kind, PRODUCERS.analysis, request.input);
    case 'steer':
      return prepare(request.kind, PRODUCERS.steer, request.input);
    case 'bench':
      return prepare(request.kind, PRODUCERS.bench, request.input);
  }
}
