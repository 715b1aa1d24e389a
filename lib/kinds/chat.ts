/**
 * The `chat` kind: one prompt to one model. Its output is the run's main generation (`gen.*`),
 * which the core reducer folds for every kind, so it has no part of its own.
 */
import { z } from 'zod';
import { modelIdSchema, temperatureSchema } from './fields';
import { defineKind } from './types';

export const chatInputSchema = z.object({
  prompt: z.string().trim().min(1, 'Write a prompt.').max(32_000, 'Keep the prompt under 32,000 characters.'),
  model: modelIdSchema,
  system: z.string().max(8_000).optional(),
  temperature: temperatureSchema.optional(),
  maxOutputTokens: z.number().int().min(1).max(64_000).optional(),
});

export type ChatInput = z.infer<typeof chatInputSchema>;

export const chatKind = defineKind({ input: chatInputSchema });
