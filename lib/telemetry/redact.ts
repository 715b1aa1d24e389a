/**
 * What may leave the process in telemetry. Attributes that can hold user text (prompts, messages,
 * outputs, tool arguments) are replaced by `[REDACTED]` unless TELEMETRY_RECORD_PROMPTS opts in;
 * attributes named like secrets (API keys, tokens, passwords, cookies) are always replaced, and
 * secret-looking values (`sk-...`, `Bearer ...`) are scrubbed from every string that is kept.
 * Only strings are ever redacted: numbers such as `gen_ai.usage.input_tokens` pass unchanged.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';

export const REDACTED = '[REDACTED]';

/** Longest string value recorded; longer ones are cut and marked. */
export const MAX_ATTRIBUTE_LENGTH = 4_096;

// A key segment (between dots or underscores) naming user text: `gen_ai.input.messages`,
// `gen_ai.system_instructions`, `streamconsole.run.input`, `gen_ai.tool.call.arguments`, `prompt`.
const USER_TEXT_KEY =
  /(^|[._])(prompts?|inputs?|outputs?|messages|content|contents|text|completions?|query|instructions|arguments|answer|reasoning)([._]|$)/i;
// Keys naming secrets, whatever the opt-in.
const SECRET_KEY = /(api[_-]?key|secret|password|passwd|authorization|auth[_-]?token|access[_-]?token|refresh[_-]?token|cookie|credential|private[_-]?key)/i;
// Values that look like credentials, wherever they appear.
const SECRET_VALUE = /\b(sk-[A-Za-z0-9_-]{16,}|xai-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16})\b|\bBearer\s+[A-Za-z0-9._~+/=-]+/g;

export interface RedactOptions {
  /** Keep user text (TELEMETRY_RECORD_PROMPTS). Secrets are redacted either way. */
  recordPrompts?: boolean;
}

/** Replaces credential-looking substrings of `text`. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_VALUE, REDACTED);
}

/** Whether an attribute of this name may hold user text. */
export function isUserTextKey(key: string): boolean {
  return USER_TEXT_KEY.test(key);
}

function truncate(text: string): string {
  return text.length > MAX_ATTRIBUTE_LENGTH ? `${text.slice(0, MAX_ATTRIBUTE_LENGTH)}…[truncated]` : text;
}

function toAttributeValue(value: unknown): AttributeValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  if (Array.isArray(value) && value.every((v) => typeof v === 'boolean')) return value as boolean[];
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function redactValue(key: string, value: AttributeValue, { recordPrompts = false }: RedactOptions): AttributeValue {
  const hidden = SECRET_KEY.test(key) || (!recordPrompts && isUserTextKey(key));
  if (typeof value === 'string') return hidden ? REDACTED : truncate(scrubSecrets(value));
  if (Array.isArray(value) && value.some((v) => typeof v === 'string')) {
    return hidden ? [REDACTED] : (value as string[]).map((v) => truncate(scrubSecrets(v)));
  }
  return value;
}

/**
 * Telemetry attributes from arbitrary values: objects become JSON, `null`/`undefined` are dropped,
 * and every value goes through the redaction rules above. Apply it to anything a caller passes in.
 */
export function redact(attributes: Record<string, unknown>, options: RedactOptions = {}): Attributes {
  const out: Attributes = {};
  for (const [key, raw] of Object.entries(attributes)) {
    const value = toAttributeValue(raw);
    if (value !== undefined) out[key] = redactValue(key, value, options);
  }
  return out;
}
