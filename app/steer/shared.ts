/**
 * What /steer?share=<token> opens: a shared steer's settings (prompt, features with their labels,
 * strengths, method, seed, temperature, tokens) and its saved default and steered text. Server only.
 */
import 'server-only';
import { findSharedRun } from '@/lib/db';
import { steerInputSchema, type SteerInput, type SteerView } from '@/lib/kinds/steer';
import { tinySteerEngine } from '@/lib/producers/steer/engine';

export interface SharedSteer {
  input: SteerInput;
  /** A label for each steered feature (the embedded SAE's; `#index` where there is none). */
  labels: Record<number, string>;
  /** The saved result: both channels' text, tokens and activations (null if the run saved none). */
  view: SteerView | null;
  status: string;
}

/** The steer a live share link opens; `null` for an unknown or revoked link, or a run of another kind. */
export async function loadSharedSteer(token: string): Promise<SharedSteer | null> {
  const run = await findSharedRun({ token });
  if (!run || run.kind !== 'steer') return null;
  const parsed = steerInputSchema.safeParse(run.input);
  if (!parsed.success) return null;
  const input = parsed.data;
  const labels: Record<number, string> = {};
  if (input.model === 'local:tiny') {
    const features = await tinySteerEngine.loadFeatures();
    for (const { index } of input.features) {
      const label = features.find((f) => f.index === index)?.label;
      if (label) labels[index] = label;
    }
  }
  const view = (run.result as { steer?: SteerView } | null)?.steer ?? null;
  return { input, labels, view, status: run.status };
}
