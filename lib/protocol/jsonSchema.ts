/**
 * JSON Schema export of EventEnvelope v1, generated from the zod schemas, for producers that are
 * not written in TypeScript (the Python workers validate every line they print against it).
 */
import { z } from 'zod';
import { envelopeSchema } from './envelope';

/** The JSON Schema (draft 2020-12) of one envelope. */
export function envelopeJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(envelopeSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}
