/**
 * `local:tiny`: the embedded tiny language model (lib/local/tiny) as an AI SDK language model
 * (LanguageModelV4), so the chat console answers with no key and no network. The prompt is the
 * conversation's text, one message per paragraph; generation runs in the engine's worker pool.
 *
 * Each text delta carries, in `providerMetadata['local-tiny']`, the token's id, log-probability,
 * top-5 alternatives and top SAE features. Provider options (`local-tiny`) may steer the model
 * (`steering`) or watch features (`watchFeatures`).
 */
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Prompt, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import { z } from 'zod';
import { generateTiny, type TinyFinishReason, type TinyGenerateOptions, type TinyTokenEvent } from '../../local/tiny';

export const LOCAL_TINY_OPTIONS_KEY = 'local-tiny';

const steeringSchema = z.object({
  method: z.enum(['SIMPLE_ADDITIVE', 'ORTHOGONAL_DECOMP']).default('SIMPLE_ADDITIVE'),
  strengthMultiplier: z.number().finite().default(1),
  features: z.array(z.object({ index: z.number().int().min(0), strength: z.number().finite() })).max(32),
});

export const localTinyOptionsSchema = z.object({
  steering: steeringSchema.optional(),
  watchFeatures: z.array(z.number().int().min(0)).max(32).optional(),
});

export interface LocalTinyModelSettings {
  /** Tokens generated when the call does not say (maxOutputTokens). */
  defaultMaxTokens: number;
  /** Temperature when the call does not say. */
  defaultTemperature: number;
  /** Stands in for generateTiny (tests). */
  generate?: (options: TinyGenerateOptions) => AsyncGenerator<TinyTokenEvent, { finishReason: TinyFinishReason }>;
}

/** The conversation as the tiny model reads it: each message's text, one paragraph per message. */
export function promptText(prompt: LanguageModelV4Prompt): string {
  const paragraphs: string[] = [];
  for (const message of prompt) {
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
    if (text.trim()) paragraphs.push(text.trim());
  }
  return paragraphs.join('\n\n') + '\n\n';
}

function toGenerateOptions(options: LanguageModelV4CallOptions, settings: LocalTinyModelSettings): TinyGenerateOptions {
  const extra = localTinyOptionsSchema.parse(options.providerOptions?.[LOCAL_TINY_OPTIONS_KEY] ?? {});
  return {
    prompt: promptText(options.prompt),
    maxTokens: options.maxOutputTokens ?? settings.defaultMaxTokens,
    temperature: options.temperature ?? settings.defaultTemperature,
    seed: options.seed ?? 0,
    freqPenalty: options.frequencyPenalty ?? 0,
    stopSequences: options.stopSequences,
    steering: extra.steering,
    watchFeatures: extra.watchFeatures,
    signal: options.abortSignal,
  };
}

function finishOf(reason: TinyFinishReason): { unified: 'stop' | 'length'; raw: string } {
  return { unified: reason === 'max_tokens' ? 'length' : 'stop', raw: reason };
}

function usageOf(inputTokens: number | undefined, outputTokens: number): LanguageModelV4Usage {
  return {
    inputTokens: { total: inputTokens, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
  };
}

export function createLocalTinyModel(settings: LocalTinyModelSettings): LanguageModelV4 {
  const generate = settings.generate ?? generateTiny;
  return {
    specificationVersion: 'v4',
    provider: 'local',
    modelId: 'tiny',
    supportedUrls: {},

    async doGenerate(options) {
      const run = generate(toGenerateOptions(options, settings));
      let text = '';
      let count = 0;
      for (;;) {
        const next = await run.next();
        if (next.done) {
          return { content: [{ type: 'text', text }], finishReason: finishOf(next.value.finishReason), usage: usageOf(undefined, count), warnings: [] };
        }
        text += next.value.text;
        count++;
      }
    },

    async doStream(options) {
      const run = generate(toGenerateOptions(options, settings));
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 'text' });
          let count = 0;
          try {
            for (;;) {
              const next = await run.next();
              if (next.done) {
                controller.enqueue({ type: 'text-end', id: 'text' });
                controller.enqueue({ type: 'finish', finishReason: finishOf(next.value.finishReason), usage: usageOf(undefined, count) });
                controller.close();
                return;
              }
              count++;
              const event = next.value;
              controller.enqueue({
                type: 'text-delta',
                id: 'text',
                delta: event.text,
                providerMetadata: {
                  [LOCAL_TINY_OPTIONS_KEY]: { tokenIndex: event.tokenIndex, id: event.id, logprob: event.logprob, topLogprobs: event.topLogprobs.map((t) => ({ token: t.token, logprob: t.logprob })), features: event.features.map((f) => ({ index: f.index, value: f.value })) },
                },
              });
            }
          } catch (error) {
            controller.error(error);
          }
        },
        async cancel() {
          await run.return({ finishReason: 'complete' });
        },
      });
      return { stream };
    },
  };
}
