/**
 * Input fields several run kinds share, with the limits the forms read so that no form repeats
 * the server's bounds by hand.
 */
import { z } from 'zod';

export { taskIdSchema } from '../arc/task';

/** A model id as users and APIs write it: `<provider>:<model>`. */
export const modelIdSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^[a-z][a-z0-9-]*:[^\s:][^\s]*$/, 'Use the form provider:model, for example openai:gpt-4.1-mini');

/** The embedded engine's pace (`local:*` models), in tokens per second; 0 is instant. */
export const PACE_LIMITS = { min: 0, max: 10_000, integer: false } as const;

export const paceSchema = z.number().min(PACE_LIMITS.min).max(PACE_LIMITS.max);

/** Sampling temperature. */
export const temperatureSchema = z.number().min(0).max(2);
