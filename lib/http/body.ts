/**
 * Reading request input at the HTTP boundary: JSON bodies with a size limit and a zod schema,
 * and the `Last-Event-ID` position of a resuming reader.
 */
import type { z } from 'zod';
import { AppError } from '../errors';
import { fieldErrorsOf } from './errorResponse';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Reads a JSON body of at most `maxBytes` and validates it. Errors are 413, 415 and 400 AppErrors. */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<z.infer<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError('unsupported:media_type', 'Send the body as JSON (Content-Type: application/json).');
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('payload_too_large:body', `The body is larger than ${maxBytes} bytes.`);

  const text = await readLimited(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('bad_request:json', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    const first = fieldErrors[0]!;
    throw new AppError('bad_request:input', `Invalid ${first.path}: ${first.message}`, { fieldErrors });
  }
  return parsed.data;
}

async function readLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let size = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new AppError('payload_too_large:body', `The body is larger than ${maxBytes} bytes.`);
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('bad_request:json', 'The body is not valid UTF-8 JSON.');
  }
}

/**
 * The seq a reader has already seen: the `Last-Event-ID` header (a reconnecting EventSource sends
 * it), else the `lastEventId` query parameter (a first connect cannot set headers from a link).
 */
export function lastEventIdOf(request: Request): number {
  const raw = request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
  if (raw === null || raw.trim() === '') return 0;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AppError('bad_request:input', 'Last-Event-ID must be a non-negative whole number (the last seq received).', {
      fieldErrors: [{ path: 'Last-Event-ID', message: 'Expected a non-negative integer' }],
    });
  }
  return value;
}
