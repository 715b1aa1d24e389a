/**
 * The non-streaming fallback: a `doGenerate` result replayed as a stream, so a caller of
 * `streamText` cannot tell it from a stream, except for the marker on the finish part.
 *
 * What a producer checks: the `finish-step` part of `streamText`'s `fullStream` (and the
 * result's `providerMetadata`) carries `providerMetadata.streamconsole.fallback === 'non-streaming'`
 * when the answer came from the fallback; {@link usedNonStreamingFallback} tests for it. The text
 * then arrives as one delta just before that part.
 */
import type {
  LanguageModelV4Content,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';

/** The providerMetadata namespace of StreamConsole's own markers. */
export const STREAMCONSOLE_METADATA_KEY = 'streamconsole';

/** The marker value: the answer was fetched without streaming after the stream failed. */
export const NON_STREAMING_FALLBACK = 'non-streaming';

/** Whether providerMetadata (of a `finish-step` part or a result) marks a non-streaming fallback. */
export function usedNonStreamingFallback(providerMetadata: SharedV4ProviderMetadata | undefined): boolean {
  return providerMetadata?.[STREAMCONSOLE_METADATA_KEY]?.fallback === NON_STREAMING_FALLBACK;
}

function contentToParts(part: LanguageModelV4Content, id: string): LanguageModelV4StreamPart[] {
  const meta = part.providerMetadata === undefined ? {} : { providerMetadata: part.providerMetadata };
  switch (part.type) {
    case 'text':
      return [
        { type: 'text-start', id, ...meta },
        ...(part.text === '' ? [] : [{ type: 'text-delta' as const, id, delta: part.text }]),
        { type: 'text-end', id, ...meta, ...(part.citations !== undefined && { citations: part.citations }) },
      ];
    case 'reasoning':
      return [
        { type: 'reasoning-start', id, ...meta },
        ...(part.text === '' ? [] : [{ type: 'reasoning-delta' as const, id, delta: part.text }]),
        { type: 'reasoning-end', id, ...meta },
      ];
    case 'tool-call': {
      const flags = {
        ...(part.providerExecuted !== undefined && { providerExecuted: part.providerExecuted }),
        ...(part.dynamic !== undefined && { dynamic: part.dynamic }),
      };
      return [
        { type: 'tool-input-start', id: part.toolCallId, toolName: part.toolName, ...flags, ...meta },
        ...(part.input === '' ? [] : [{ type: 'tool-input-delta' as const, id: part.toolCallId, delta: part.input }]),
        { type: 'tool-input-end', id: part.toolCallId, ...meta },
        part,
      ];
    }
    default:
      // tool results, approval requests, files, sources and custom parts have the same shape in both.
      return [part];
  }
}

/**
 * The stream parts that a streaming call would have produced for `result`: stream-start,
 * response metadata, each content part (text and reasoning as start/delta/end, tool calls with
 * their input), then a finish part whose providerMetadata carries the fallback marker.
 */
export function generateResultToStreamParts(result: LanguageModelV4GenerateResult): LanguageModelV4StreamPart[] {
  const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: result.warnings }];
  const response = result.response;
  if (response && (response.id !== undefined || response.timestamp !== undefined || response.modelId !== undefined)) {
    parts.push({ type: 'response-metadata', id: response.id, timestamp: response.timestamp, modelId: response.modelId });
  }
  result.content.forEach((part, index) => parts.push(...contentToParts(part, `fallback-${index}`)));
  parts.push({
    type: 'finish',
    usage: result.usage,
    finishReason: result.finishReason,
    providerMetadata: {
      ...result.providerMetadata,
      [STREAMCONSOLE_METADATA_KEY]: { ...result.providerMetadata?.[STREAMCONSOLE_METADATA_KEY], fallback: NON_STREAMING_FALLBACK },
    },
  });
  return parts;
}

/** {@link generateResultToStreamParts} as a ReadableStream. */
export function generateResultToStream(result: LanguageModelV4GenerateResult): ReadableStream<LanguageModelV4StreamPart> {
  const parts = generateResultToStreamParts(result);
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}
