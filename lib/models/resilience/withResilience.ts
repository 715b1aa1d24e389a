/**
 * Resilience for hosted language models, as one AI SDK middleware applied in the model registry:
 *
 * - **Retries** of failures before any output (HTTP 429, 408, 5xx, network), exponential backoff
 *   with full jitter, honouring `Retry-After` up to a cap (`retry.ts`, `classify.ts`). Once output
 *   has streamed nothing is retried: that would repeat text.
 * - **A circuit breaker per provider** (`circuits.ts`): fails fast with `provider:circuit_open`.
 * - **One non-streaming fallback** when a stream the provider accepted fails before its first
 *   output: `doGenerate`, replayed as a stream with a marker on its finish part (`fallback.ts`).
 * - **Timeouts**, each a `provider:timeout` naming which (`errors.ts`): to the first output of an
 *   attempt, between chunks once output has started, and in all. Each aborts the HTTP request.
 *
 * The caller's AbortSignal is combined with these deadlines and passed down, so a Stop still
 * closes the upstream request. Errors leave the layer as AppErrors (`toProviderError`), except a
 * caller's abort, which is passed on as it came. The AI SDK's own retries then never trigger
 * (they only retry `APICallError`s); call sites pass `maxRetries: 0` to say so.
 *
 * "Output" is what a user would see: a non-empty text, reasoning or tool-input delta, a tool call
 * or result, a file, a source. Structural parts before it (stream-start, response metadata,
 * text-start, ...) are held back until output arrives, so a failed attempt leaves no trace.
 */
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Middleware,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import { APICallError, wrapLanguageModel, type LanguageModel } from 'ai';
import { BrokenCircuitError, IsolatedCircuitError } from 'cockatiel';
import { getConfig, type Config } from '../../config';
import { toProviderError } from '../providerError';
import { getCircuitRegistry, type CircuitRegistry, type HostedProvider } from './circuits';
import { circuitOpenError, isProviderTimeout, ProviderTimeoutError, StreamFailedBeforeOutput } from './errors';
import { generateResultToStream } from './fallback';
import { createRetryPolicy, type RetrySettings } from './retry';

export interface ResilienceSettings extends RetrySettings {
  /** Longest wait for an attempt's first output (0: none). */
  firstChunkTimeoutMs: number;
  /** Longest silence between chunks once output has started (0: none). */
  idleTimeoutMs: number;
  /** Longest a call may take in all, retries, backoff and the fallback included (0: none). */
  totalTimeoutMs: number;
  /** Whether a stream that fails before its first output is retried once without streaming. */
  fallbackToNonStreaming: boolean;
}

export interface ResilienceOptions extends Partial<ResilienceSettings> {
  /** The provider of the model; `local` models are returned unwrapped. */
  provider: HostedProvider | 'local';
  /** The provider's name in error messages, e.g. `OpenAI`. */
  label?: string;
  /** Where unset settings come from (default: {@link getConfig}). */
  config?: Config;
  /** The circuits to use (default: the process-wide registry); tests pass their own. */
  circuits?: CircuitRegistry;
}

const PROVIDER_LABELS: Record<HostedProvider, string> = {
  openai: 'OpenAI',
  xai: 'xAI',
  openrouter: 'OpenRouter',
  compatible: 'OpenAI-compatible',
};

/** Settings from the configuration (see `lib/config.ts` for each variable). */
export function resilienceSettingsFromConfig(config: Config): ResilienceSettings {
  return {
    maxRetries: config.PROVIDER_MAX_RETRIES,
    baseDelayMs: 500,
    maxDelayMs: Math.min(8_000, config.PROVIDER_RETRY_MAX_WAIT_MS),
    maxRetryWaitMs: config.PROVIDER_RETRY_MAX_WAIT_MS,
    firstChunkTimeoutMs: config.PROVIDER_FIRST_CHUNK_TIMEOUT_MS,
    idleTimeoutMs: config.PROVIDER_IDLE_TIMEOUT_MS,
    totalTimeoutMs: config.PROVIDER_TOTAL_TIMEOUT_MS,
    fallbackToNonStreaming: true,
  };
}

/**
 * `model` with retries, its provider's circuit breaker, the non-streaming fallback and timeouts.
 * `local` models (and model id strings) are returned as they are.
 */
export function withResilience(model: LanguageModel, options: ResilienceOptions): LanguageModel {
  if (options.provider === 'local' || typeof model === 'string') return model;
  return wrapLanguageModel({ model, middleware: resilienceMiddleware({ ...options, provider: options.provider }) });
}

/** The middleware behind {@link withResilience}, for composing with other middleware. */
export function resilienceMiddleware(options: ResilienceOptions & { provider: HostedProvider }): LanguageModelV4Middleware {
  const { provider, config, circuits: givenCircuits, label: givenLabel, ...overrides } = options;
  const label = givenLabel ?? PROVIDER_LABELS[provider];
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const settings: ResilienceSettings = { ...resilienceSettingsFromConfig(config ?? getConfig()), ...defined };
  const circuits = givenCircuits ?? getCircuitRegistry(config);

  /** Runs `attempt` under the retry policy and the provider's circuit, until the call's signal aborts. */
  function guarded<T>(attempt: (signal: AbortSignal) => PromiseLike<T>, call: CallScope): Promise<T> {
    const breaker = circuits.breakerFor(provider);
    const task = createRetryPolicy(settings).execute(
      () =>
        breaker.execute(() => {
          call.signal.throwIfAborted();
          return attempt(call.signal);
        }),
      call.signal,
    );
    return untilAborted(task, call.signal);
  }

  /** The error a caller sees: AppErrors, except that a caller's own abort is passed on as it is. */
  function callerError(error: unknown, callerSignal: AbortSignal | undefined): unknown {
    if (callerSignal?.aborted) return error;
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
      const { failures, retryAt } = circuits.status(provider);
      return circuitOpenError({ providerLabel: label, failures, retryAt, cause: error });
    }
    return toProviderError(error instanceof StreamFailedBeforeOutput ? error.cause : error, label);
  }

  return {
    specificationVersion: 'v4',

    async wrapGenerate({ params, model }) {
      const call = startCall(params.abortSignal, settings.totalTimeoutMs, label);
      try {
        return await guarded((signal) => model.doGenerate({ ...params, abortSignal: signal }), call);
      } catch (error) {
        throw callerError(error, params.abortSignal);
      } finally {
        call.end();
      }
    },

    async wrapStream({ params, model }) {
      const call = startCall(params.abortSignal, settings.totalTimeoutMs, label);
      let opened: OpenedStream;
      try {
        opened = await guarded((signal) => openStream(model, params, signal, settings, label), call);
      } catch (error) {
        const fallback = error instanceof StreamFailedBeforeOutput && settings.fallbackToNonStreaming && !call.signal.aborted;
        if (!fallback) {
          call.end();
          throw callerError(error, params.abortSignal);
        }
        try {
          const generated = await guarded((signal) => model.doGenerate({ ...params, abortSignal: signal }), call);
          return {
            stream: generateResultToStream(generated),
            ...(generated.request !== undefined && { request: generated.request }),
            ...(generated.response?.headers !== undefined && { response: { headers: generated.response.headers } }),
          };
        } catch (fallbackError) {
          throw callerError(fallbackError, params.abortSignal);
        } finally {
          call.end();
        }
      }
      return { ...opened.result, stream: followStream(opened, call, settings, label, params.abortSignal) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One call: the caller's signal and the total deadline
// ---------------------------------------------------------------------------------------------

interface CallScope {
  /** Aborts with the caller's reason or with the total timeout. */
  signal: AbortSignal;
  /** Stops the total timer (the call is over). */
  end(): void;
}

function startCall(callerSignal: AbortSignal | undefined, totalMs: number, label: string): CallScope {
  const deadline = new AbortController();
  const timer = totalMs > 0 ? setTimeout(() => deadline.abort(new ProviderTimeoutError('total', totalMs, label)), totalMs) : undefined;
  return {
    signal: callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal,
    end: () => clearTimeout(timer),
  };
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts (whichever comes first). */
function untilAborted<T>(promise: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// One streaming attempt, up to its first output
// ---------------------------------------------------------------------------------------------

interface OpenedStream {
  result: LanguageModelV4StreamResult;
  reader: ReadableStreamDefaultReader<LanguageModelV4StreamPart>;
  /** Parts read so far, ending with the first output (or the finish part). */
  held: LanguageModelV4StreamPart[];
  /** The provider's stream ended while opening it. */
  done: boolean;
  /** Aborts this attempt's HTTP request. */
  attempt: AbortController;
  /** The call's signal combined with the attempt's. */
  signal: AbortSignal;
}

/** Whether a part carries something a user would see (see the module comment). */
export function isOutputPart(part: LanguageModelV4StreamPart): boolean {
  switch (part.type) {
    case 'text-delta':
    case 'reasoning-delta':
    case 'tool-input-delta':
      return part.delta.length > 0;
    case 'tool-call':
    case 'tool-result':
    case 'tool-approval-request':
    case 'file':
    case 'reasoning-file':
    case 'source':
    case 'custom':
      return true;
    default:
      return false;
  }
}

/**
 * Calls `doStream` and reads up to the first output, holding back what comes before it. Throws
 * the provider's error when the request fails, a first-chunk timeout, or
 * {@link StreamFailedBeforeOutput} when the accepted stream fails before any output.
 */
async function openStream(
  model: LanguageModelV4,
  params: LanguageModelV4CallOptions,
  callSignal: AbortSignal,
  settings: ResilienceSettings,
  label: string,
): Promise<OpenedStream> {
  const attempt = new AbortController();
  const signal = AbortSignal.any([callSignal, attempt.signal]);
  const { firstChunkTimeoutMs } = settings;
  const timer =
    firstChunkTimeoutMs > 0
      ? setTimeout(() => attempt.abort(new ProviderTimeoutError('first-chunk', firstChunkTimeoutMs, label)), firstChunkTimeoutMs)
      : undefined;
  try {
    let result: LanguageModelV4StreamResult;
    try {
      result = await untilAborted(model.doStream({ ...params, abortSignal: signal }), signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw acceptedStreamFailed(error) ? new StreamFailedBeforeOutput(error) : error;
    }
    const reader = result.stream.getReader();
    const held: LanguageModelV4StreamPart[] = [];
    for (;;) {
      let next: ReadableStreamReadResult<LanguageModelV4StreamPart>;
      try {
        next = await untilAborted(reader.read(), signal);
      } catch (error) {
        reader.cancel().catch(() => undefined);
        // A deadline or the caller's abort: its reason. Anything else broke the stream itself.
        if (signal.aborted) throw signal.reason;
        attempt.abort(error);
        throw new StreamFailedBeforeOutput(error);
      }
      if (next.done) return { result, reader, held, done: true, attempt, signal };
      const part = next.value;
      if (part.type === 'error') {
        attempt.abort(part.error);
        reader.cancel().catch(() => undefined);
        throw new StreamFailedBeforeOutput(part.error);
      }
      held.push(part);
      if (part.type === 'finish' || isOutputPart(part)) return { result, reader, held, done: false, attempt, signal };
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether an error thrown by `doStream` comes from a stream the provider had accepted: some
 * packages (`@ai-sdk/openai`) read ahead to the first output and throw what the stream reported,
 * as an APICallError with the 200 status, or with a status taken from the error event but the
 * event stream's content type.
 */
function acceptedStreamFailed(error: unknown): boolean {
  if (!APICallError.isInstance(error)) return false;
  const status = error.statusCode;
  if (status !== undefined && status >= 200 && status < 300) return true;
  return /^text\/event-stream/i.test(error.responseHeaders?.['content-type'] ?? '');
}

// ---------------------------------------------------------------------------------------------
// The rest of the stream, after the first output
// ---------------------------------------------------------------------------------------------

/**
 * The held parts, then the provider's stream as it comes, with the idle timeout between chunks.
 * Nothing is retried from here on. A timeout or a broken connection ends the stream with an
 * `error` part holding an AppError (and aborts the request), the same shape in which providers
 * report in-band errors, so `fullStream` does not throw for one provider and not for another.
 * The caller's abort errors the stream with its reason, as the provider's own stream would.
 */
function followStream(
  opened: OpenedStream,
  call: CallScope,
  settings: ResilienceSettings,
  label: string,
  callerSignal: AbortSignal | undefined,
): ReadableStream<LanguageModelV4StreamPart> {
  const { reader, attempt, signal } = opened;
  const { idleTimeoutMs } = settings;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    call.end();
  };

  return new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      for (const part of opened.held) controller.enqueue(part);
      if (opened.done) {
        end();
        controller.close();
      }
    },
    async pull(controller) {
      const idle =
        idleTimeoutMs > 0
          ? setTimeout(() => attempt.abort(new ProviderTimeoutError('idle', idleTimeoutMs, label)), idleTimeoutMs)
          : undefined;
      try {
        const next = await untilAborted(reader.read(), signal);
        if (next.done) {
          end();
          controller.close();
        } else {
          controller.enqueue(next.value);
        }
      } catch (error) {
        end();
        attempt.abort(error);
        reader.cancel().catch(() => undefined);
        if (callerSignal?.aborted) {
          controller.error(error);
        } else {
          controller.enqueue({ type: 'error', error: toProviderError(error, label) });
          controller.close();
        }
      } finally {
        clearTimeout(idle);
      }
    },
    async cancel(reason) {
      end();
      attempt.abort(reason);
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}
