/**
 * The `chat` producer: one prompt to one model, streamed. Out come `gen.reasoning` and
 * `gen.token` as the model writes, then `metrics` and `gen.done {finishReason, usage}`.
 *
 * The run's AbortSignal is handed to the AI SDK, so a cancel closes the upstream HTTP request
 * (the provider stops generating and billing), not just our reading of it.
 */
import { streamText } from 'ai';
import { resolveLanguageModel } from '../../models/registry';
import { toProviderError } from '../../models/providerError';
import type { ProducerEvent } from '../../protocol/envelope';
import type { ProducerContext } from '../../runs/hub';
import type { ChatInput } from '../../kinds/chat';

export async function* chatProducer(input: ChatInput, { signal }: ProducerContext): AsyncGenerator<ProducerEvent> {
  const model = resolveLanguageModel(input.model);
  const providerLabel = input.model.slice(0, input.model.indexOf(':'));
  const startedAt = performance.now();
  let firstTokenAt: number | undefined;
  let index = 0;

  yield { type: 'status', data: { state: 'running', message: `Calling ${input.model}` } };

  const result = streamText({
    model,
    prompt: input.prompt,
    system: input.system,
    temperature: input.temperature,
    maxOutputTokens: input.maxOutputTokens,
    abortSignal: signal,
    // Retries happen in lib/models/resilience, before any output; never twice.
    maxRetries: 0,
    // Failures reach the hub through the stream and become error envelopes; the SDK's default
    // handler would also print them, request body included.
    onError: () => undefined,
  });

  for await (const part of result.fullStream) {
    switch (part.type) {
      case 'reasoning-delta':
        if (part.text === '') break;
        firstTokenAt ??= performance.now();
        yield { type: 'gen.reasoning', data: { text: part.text } };
        break;
      case 'text-delta':
        if (part.text === '') break;
        firstTokenAt ??= performance.now();
        yield { type: 'gen.token', data: { token: part.text, index: index++ } };
        break;
      case 'error':
        throw toProviderError(part.error, providerLabel);
      case 'abort':
        // The hub has already ended the run with its cancelled terminal.
        return;
      case 'finish': {
        const endedAt = performance.now();
        const streamingSeconds = firstTokenAt === undefined ? 0 : (endedAt - firstTokenAt) / 1000;
        yield {
          type: 'metrics',
          data: {
            ...(firstTokenAt !== undefined ? { ttftMs: Math.round(firstTokenAt - startedAt) } : {}),
            elapsedMs: Math.round(endedAt - startedAt),
            tokens: index,
            ...(streamingSeconds > 0 ? { tokensPerSecond: Math.round((index / streamingSeconds) * 10) / 10 } : {}),
          },
        };
        const usage = part.totalUsage;
        yield {
          type: 'gen.done',
          data: {
            finishReason: part.finishReason,
            usage: {
              ...(usage.inputTokens !== undefined ? { inputTokens: usage.inputTokens } : {}),
              ...(usage.outputTokens !== undefined ? { outputTokens: usage.outputTokens } : {}),
              ...(usage.totalTokens !== undefined ? { totalTokens: usage.totalTokens } : {}),
              ...(usage.outputTokenDetails?.reasoningTokens !== undefined
                ? { reasoningTokens: usage.outputTokenDetails.reasoningTokens }
                : {}),
            },
          },
        };
        return;
      }
    }
  }
}
