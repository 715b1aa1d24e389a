/**
 * The `bench` kind: synthetic tokens for the relay benchmark (`gen.token` on the main channel,
 * folded by the core reducer), so only its input is declared here.
 */
import { z } from 'zod';
import { defineKind } from './types';

export const benchInputSchema = z.object({
  count: z.number().int().min(1).max(1_000_000),
  /** Events per second; 0 produces as fast as the process can. */
  rate: z.number().min(0).max(1_000_000),
});

export type BenchInput = z.infer<typeof benchInputSchema>;

export const benchKind = defineKind({ input: benchInputSchema });
