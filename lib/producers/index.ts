/**
 * The producers a run can be started with, keyed by run kind (the kinds, their input schemas and
 * `runRequestSchema` are declared in `lib/kinds`). Each entry pairs a kind with its producer and
 * a preflight check that fails fast (before any stream opens) on input that is valid in shape but
 * cannot run, such as an unconfigured provider.
 */
import { getConfig } from '../config';
import { AppError } from '../errors';
import { getTaskOrThrow } from '../arc/load';
import { assertOfferedModel, resolveLanguageModel } from '../models/registry';
import type { Producer } from '../runs/hub';
import type { InputOf, RunKind, RunRequest } from '../kinds';
import { analysisProducer } from './analysis/producer';
import { benchProducer } from './bench/producer';
import { chatProducer } from './chat/producer';
import { groverProducer } from './grover/producer';
import { saturnProducer } from './saturn/producer';
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

/** The model must be one the server offers (MODELS, or the defaults), and its provider configured. */
function modelPreflight(model: string): void {
  assertOfferedModel(model);
  resolveLanguageModel(model);
}

/** Runs on an ARC task: the model must be offered and configured, and the task must exist (404 before any stream). */
async function taskPreflight(input: { model: string; taskId: string }): Promise<void> {
  modelPreflight(input.model);
  await getTaskOrThrow({ id: input.taskId });
}

const PRODUCERS: { [K in RunKind]: ProducerDefinition<InputOf<K>> } = {
  chat: defineProducer({
    producer: chatProducer,
    preflight: (input) => modelPreflight(input.model),
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
  return prepare(request.kind, PRODUCERS[request.kind] as ProducerDefinition<typeof request.input>, request.input);
}
