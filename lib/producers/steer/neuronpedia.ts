/**
 * Steer runs on `neuronpedia:<modelId>` models: Neuronpedia's `/api/steer` streams the steered
 * text, then the default text (whole texts per frame, turned into deltas by the client), and
 * `/api/activation/new` gives the chosen features' activation per token afterwards.
 * Neuronpedia's tokens are its own: activations are aligned to the generated tokens from the end
 * of the text (the last `n` values for `n` generated tokens).
 */
import { getConfig } from '../../config';
import { AppError } from '../../errors';
import type { SteerInput } from '../../kinds/steer';
import { createNeuronpediaClient, steerDeltas, type NeuronpediaClient } from '../../models/neuronpedia/client';
import type { ProducerEvent, SteerChannel } from '../../protocol/envelope';
import type { ProducerContext } from '../../runs/hub';

export interface NeuronpediaSteerDeps {
  client: NeuronpediaClient;
}

function configuredClient(): NeuronpediaClient {
  const config = getConfig();
  if (!config.NEURONPEDIA_API_KEY) {
    throw new AppError('bad_request:model', 'neuronpedia: models need NEURONPEDIA_API_KEY on the server.');
  }
  return createNeuronpediaClient({ baseUrl: config.NEURONPEDIA_BASE_URL, apiKey: config.NEURONPEDIA_API_KEY });
}

export async function* neuronpediaSteerEvents(input: SteerInput, { signal }: ProducerContext, deps?: NeuronpediaSteerDeps): AsyncGenerator<ProducerEvent> {
  const client = deps?.client ?? configuredClient();
  const modelId = input.model.slice('neuronpedia:'.length);
  const source = input.source;
  if (!source) throw new AppError('bad_request:input', 'A neuronpedia: model needs `source`, the SAE id (for example 6-res-jb).');
  yield { type: 'status', data: { state: 'running', message: `Calling Neuronpedia (${modelId}), steered then default` } };

  const request = {
    prompt: input.prompt,
    modelId,
    source,
    features: input.features,
    temperature: input.temperature,
    nTokens: input.maxTokens,
    freqPenalty: input.freqPenalty ?? 0,
    seed: input.seed,
    strengthMultiplier: input.strengthMultiplier ?? 1,
    method: input.method,
  };
  const texts: Record<SteerChannel, string> = { steered: '', default: '' };
  const counts: Record<SteerChannel, number> = { steered: 0, default: 0 };
  const finished = new Set<SteerChannel>();

  for await (const delta of steerDeltas(client.steerStream(request, signal))) {
    if (signal.aborted) return;
    // Neuronpedia streams STEERED to its end before DEFAULT starts: the first default delta closes steered.
    if (delta.channel === 'default' && !finished.has('steered') && counts.steered > 0) {
      finished.add('steered');
      yield { type: 'gen.done', data: { channel: 'steered', finishReason: finishReasonOf(counts.steered, input.maxTokens) } };
    }
    const last = delta.logprobs.at(-1);
    texts[delta.channel] += delta.text;
    yield {
      type: 'gen.token',
      data: {
        channel: delta.channel,
        token: delta.text,
        index: counts[delta.channel],
        ...(last ? { logprob: last.logprob, ...(last.topLogprobs ? { topLogprobs: last.topLogprobs } : {}) } : {}),
      },
    };
    counts[delta.channel] += 1;
  }
  for (const channel of ['steered', 'default'] as const) {
    if (!finished.has(channel)) yield { type: 'gen.done', data: { channel, finishReason: finishReasonOf(counts[channel], input.maxTokens) } };
  }

  if (input.features.length > 0) {
    for (const channel of ['default', 'steered'] as const) {
      const perToken = new Map<number, { index: number; label: string; value: number }[]>();
      for (const feature of input.features) {
        const result = await client.activation({ modelId, source, index: feature.index, text: input.prompt + texts[channel] }, signal);
        const values = result.activations.values.slice(-counts[channel]);
        const offset = counts[channel] - values.length;
        values.forEach((value, i) => {
          const list = perToken.get(offset + i) ?? [];
          list.push({ index: feature.index, label: `${source}/${feature.index}`, value });
          perToken.set(offset + i, list);
        });
      }
      for (const [tokenIndex, features] of [...perToken].sort((a, b) => a[0] - b[0])) {
        yield { type: 'gen.activation', data: { channel, tokenIndex, features } };
      }
    }
  }
  yield { type: 'metrics', data: { tokens: counts.default + counts.steered } };
  yield { type: 'gen.done', data: { finishReason: 'complete' } };
}

function finishReasonOf(tokens: number, maxTokens: number): 'complete' | 'max_tokens' {
  return tokens >= maxTokens ? 'max_tokens' : 'complete';
}
