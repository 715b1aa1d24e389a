/**
 * The `steer` producer: the same prompt generated twice with the same seed, once as is (channel
 * `default`) and once with SAE features steered (channel `steered`). Both generations run at once
 * and their events are interleaved token by token, so both panes stream together. Per token and
 * channel: `gen.token` (with logprob and top alternatives) and `gen.activation` (the top SAE
 * features with their labels); per channel `gen.done {finishReason}`; then `metrics` and one
 * `gen.done` without a channel, the run's terminal.
 *
 * `local:tiny` runs on the embedded engine (a worker pool, off the event loop); a
 * `neuronpedia:<modelId>` model calls Neuronpedia's `/api/steer` (lib/models/neuronpedia).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { getConfig } from '../../config';
import { AppError } from '../../errors';
import { STEER_CHANNELS, type ProducerEvent, type SteerChannel } from '../../protocol/envelope';
import type { ProducerContext } from '../../runs/hub';
import type { SteerInput } from '../../kinds/steer';
import { tinySteerEngine, type SteerEngine, type SteerEngineToken, type SteerFinishReason } from './engine';
import { neuronpediaSteerEvents, type NeuronpediaSteerDeps } from './neuronpedia';

export interface SteerProducerDeps {
  engine: SteerEngine;
  /** For `neuronpedia:` models; defaults to the configured client. */
  neuronpedia?: NeuronpediaSteerDeps;
}

type ChannelResult = IteratorResult<SteerEngineToken, { finishReason: SteerFinishReason }>;

/** Builds the producer over an engine (the real one in the registry, a fake in tests). */
export function createSteerProducer(deps: SteerProducerDeps) {
  return async function* steerProducer(input: SteerInput, context: ProducerContext): AsyncGenerator<ProducerEvent> {
    if (input.model.startsWith('neuronpedia:')) {
      yield* neuronpediaSteerEvents(input, context, deps.neuronpedia);
      return;
    }
    yield* tinySteerEvents(deps.engine, input, context);
  };
}

async function* tinySteerEvents(engine: SteerEngine, input: SteerInput, { signal }: ProducerContext): AsyncGenerator<ProducerEvent> {
  const startedAt = performance.now();
  yield { type: 'status', data: { state: 'running', message: `Generating with ${input.model}, default and steered` } };

  const labels = new Map((await engine.loadFeatures()).map((f) => [f.index, f.label]));
  const watchFeatures = input.features.map((f) => f.index);
  const common = {
    prompt: input.prompt,
    maxTokens: input.maxTokens,
    temperature: input.temperature,
    seed: input.seed,
    ...(input.freqPenalty !== undefined ? { freqPenalty: input.freqPenalty } : {}),
    watchFeatures,
    signal,
  };
  const generators: Record<SteerChannel, AsyncGenerator<SteerEngineToken, { finishReason: SteerFinishReason }>> = {
    default: engine.generate(common),
    steered: engine.generate({
      ...common,
      steering: { method: input.method, strengthMultiplier: input.strengthMultiplier ?? 1, features: input.features },
    }),
  };

  // Both generations are always one token ahead in flight; events come out in turn (default,
  // steered, default, ...), and a channel that has finished simply drops out of the turn.
  const pending = new Map<SteerChannel, Promise<ChannelResult>>();
  for (const channel of STEER_CHANNELS) {
    const next = generators[channel].next();
    next.catch(() => undefined); // observed below; keeps an early failure of the other from going unhandled
    pending.set(channel, next);
  }
  let firstTokenAt: number | undefined;
  let tokens = 0;
  const pace = input.tokensPerSecond ?? 0;
  let turn = 0;
  try {
    while (pending.size > 0) {
      if (pace > 0 && turn > 0) {
        // Turn n (a token of each channel) is due n / pace seconds after the first.
        const wait = (firstTokenAt ?? startedAt) + (turn * 1000) / pace - performance.now();
        if (wait > 1) await sleep(wait, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) return;
      }
      turn += 1;
      for (const channel of STEER_CHANNELS) {
        const next = pending.get(channel);
        if (!next) continue;
        let step: ChannelResult;
        try {
          step = await next;
        } catch (error) {
          if (signal.aborted) return; // the engine's abort: the hub has already ended the run as cancelled
          throw error;
        }
        if (signal.aborted) return;
        if (step.done) {
          pending.delete(channel);
          yield { type: 'gen.done', data: { channel, finishReason: step.value.finishReason } };
          continue;
        }
        const following = generators[channel].next();
        following.catch(() => undefined);
        pending.set(channel, following);

        const token = step.value;
        firstTokenAt ??= performance.now();
        tokens += 1;
        yield {
          type: 'gen.token',
          data: { channel, token: token.text, index: token.tokenIndex, logprob: token.logprob, topLogprobs: token.topLogprobs },
        };
        yield {
          type: 'gen.activation',
          data: {
            channel,
            tokenIndex: token.tokenIndex,
            features: token.features.map((f) => ({ index: f.index, label: labels.get(f.index) ?? `feature ${f.index}`, value: f.value })),
            ...(token.xy ? { xy: token.xy } : {}),
          },
        };
      }
    }
  } finally {
    // A failure or a cancel of one side stops the other (no-op for a generator already done).
    await Promise.allSettled(STEER_CHANNELS.map((channel) => generators[channel].return({ finishReason: 'complete' })));
  }

  const endedAt = performance.now();
  const seconds = firstTokenAt === undefined ? 0 : (endedAt - firstTokenAt) / 1000;
  yield {
    type: 'metrics',
    data: {
      ...(firstTokenAt !== undefined ? { ttftMs: Math.round(firstTokenAt - startedAt) } : {}),
      elapsedMs: Math.round(endedAt - startedAt),
      tokens,
      ...(seconds > 0 ? { tokensPerSecond: Math.round((tokens / seconds) * 10) / 10 } : {}),
    },
  };
  yield { type: 'gen.done', data: { finishReason: 'complete' } };
}

/** The producer the registry starts `steer` runs with. */
export const steerProducer = createSteerProducer({ engine: tinySteerEngine });

/** Preflight: a `neuronpedia:` run needs its SAE id and a configured key (400 before any stream opens). */
export function assertSteerable(input: SteerInput): void {
  if (!input.model.startsWith('neuronpedia:')) return;
  if (!input.source) throw new AppError('bad_request:input', 'A neuronpedia: model needs `source`, the SAE id (for example 6-res-jb).');
  if (!getConfig().NEURONPEDIA_API_KEY) throw new AppError('bad_request:model', 'neuronpedia: models need NEURONPEDIA_API_KEY on the server.');
}
