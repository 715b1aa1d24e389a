/**
 * The producers a run can be started with, keyed by run kind. Each entry pairs the zod schema of
 * the kind's input with the producer and a preflight check that fails fast (before any stream
 * opens) on input that is valid in shape but cannot run, such as an unconfigured provider.
 */
import { z } from 'zod';
import { resolveLanguageModel } from '../models/registry';
import type { Producer } from '../runs/hub';
import { chatInputSchema, chatProducer } from './chat/producer';

interface ProducerDefinition<Input> {
  producer: Producer<Input>;
  preflight(input: Input): void;
  /** The model a run of this kind calls, for listings and telemetry. */
  modelOf(input: Input): string | null;
}

function defineProducer<Input>(definition: ProducerDefinition<Input>): ProducerDefinition<Input> {
  return definition;
}

const PRODUCERS = {
  chat: defineProducer({
    producer: chatProducer,
    preflight: (input) => void resolveLanguageModel(input.model),
    modelOf: (input) => input.model,
  }),
};

/** `POST /api/runs` body: a kind and that kind's input. */
export const runRequestSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('chat'), input: chatInputSchema })]);

export type RunRequest = z.infer<typeof runRequestSchema>;
export type RunKind = RunRequest['kind'];

export function producerFor<K extends RunKind>(kind: K): ProducerDefinition<Extract<RunRequest, { kind: K }>['input']> {
  return PRODUCERS[kind];
}
