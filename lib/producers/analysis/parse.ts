/**
 * Reading a model's analysis: the JSON object inside its text, parsed incrementally while it is
 * written (so fields appear as they complete) and strictly at the end, with guard rails:
 * `ok` when the text parses as it is, `repaired` when `jsonrepair` could mend it, `fallback`
 * when nothing usable came out (the raw text is kept for inspection).
 */
import { parsePartialJson } from 'ai';
import { jsonrepair } from 'jsonrepair';
import { z } from 'zod';
import { analysisResultSchema } from '../../protocol/envelope';

export type AnalysisResult = z.infer<typeof analysisResultSchema>;
export type PartialAnalysis = Partial<AnalysisResult>;
export type ParseStatus = 'ok' | 'repaired' | 'fallback';

/**
 * The JSON part of a model's text: the body of a ```json fence (closed or still open), else
 * everything from the first `{`. Returns undefined while no object has started.
 */
export function jsonTextOf(text: string): string | undefined {
  const fence = /```(?:json)?\s*\n?/i.exec(text);
  if (fence) {
    const body = text.slice(fence.index + fence[0].length);
    const end = body.indexOf('```');
    return end === -1 ? body : body.slice(0, end);
  }
  const start = text.indexOf('{');
  return start === -1 ? undefined : text.slice(start);
}

/** A confidence on a 0-1 scale becomes 0-100; anything else is clamped. */
export function normalizeConfidence(value: number): number {
  const scaled = value > 0 && value <= 1 ? value * 100 : value;
  return Math.round(Math.min(100, Math.max(0, scaled)));
}

const fieldSchemas = analysisResultSchema.shape;

/** Keeps the fields that are valid on their own: a half-written hint list is kept, a wrong type dropped. */
function validFields(value: unknown): PartialAnalysis {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const record = value as Record<string, unknown>;
  const out: PartialAnalysis = {};
  if (typeof record.confidence === 'number') record.confidence = normalizeConfidence(record.confidence);
  for (const key of Object.keys(fieldSchemas) as (keyof AnalysisResult)[]) {
    const parsed = fieldSchemas[key].safeParse(record[key]);
    if (parsed.success) (out as Record<string, unknown>)[key] = parsed.data;
  }
  return out;
}

/** The fields readable from text still being written. */
export async function parsePartialAnalysis(text: string): Promise<PartialAnalysis> {
  const json = jsonTextOf(text);
  if (json === undefined) return {};
  const { value } = await parsePartialJson(json);
  const fields = validFields(value);
  // A string still being written is partial: keep it (it fills in live) but not a number cut short.
  return fields;
}

export interface FinalParse {
  result: PartialAnalysis | null;
  parseStatus: ParseStatus;
  /** Set when the text had to be repaired or fell back. */
  rawText?: string;
  /** What went wrong, for the `parse_error` warning. */
  problem?: string;
}

/** The strict reading of the finished text. */
export function parseFinalAnalysis(text: string): FinalParse {
  const json = jsonTextOf(text);
  if (json === undefined) return { result: null, parseStatus: 'fallback', rawText: text, problem: 'The answer holds no JSON object.' };
  try {
    const fields = validFields(JSON.parse(json.trim()));
    if (Object.keys(fields).length > 0) return { result: fields, parseStatus: 'ok' };
  } catch {
    // try a repair below
  }
  try {
    const fields = validFields(JSON.parse(jsonrepair(json)));
    if (Object.keys(fields).length > 0) return { result: fields, parseStatus: 'repaired', rawText: text };
  } catch {
    // beyond repair
  }
  return { result: null, parseStatus: 'fallback', rawText: text, problem: 'The answer is not valid JSON and could not be repaired.' };
}
