/**
 * Background `local:tiny` generations for the load benchmark's "while the model generates" case:
 * `count` loops, each starting a chat run on `local:tiny` through the app's API and reading its
 * stream to the end, then starting the next, until stopped. What they made is reported, so a
 * case can show the generations really ran beside the streams it measured.
 */
import type { Target } from './loadServers';

export interface TinyGenerations {
  /** Stops starting new generations, waits for those in flight, and says what was made. */
  stop(): Promise<{ generations: number; tokens: number; errors: string[]; seconds: number }>;
}

const PROMPT = 'The ship sailed out of the harbour and the captain said';

async function oneGeneration(target: Target, maxOutputTokens: number, signal: AbortSignal): Promise<number> {
  // The run's stream comes back on the start itself (no second request that could find it already ended and gone).
  const response = await fetch(`${target.baseUrl}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Cookie: target.cookie ?? '', Origin: target.baseUrl },
    body: JSON.stringify({ kind: 'chat', input: { prompt: PROMPT, model: 'local:tiny', maxOutputTokens, temperature: 0.8 } }),
    signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`starting a local:tiny run answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  const text = await response.text();
  return (text.match(/"type":"gen\.token"/g) ?? []).length;
}

export function startTinyGenerations(target: Target, count: number, maxOutputTokens = 256): TinyGenerations {
  const controller = new AbortController();
  const t0 = performance.now();
  let generations = 0;
  let tokens = 0;
  const errors = new Set<string>();
  let stopping = false;
  const loops = Array.from({ length: count }, async () => {
    while (!stopping) {
      try {
        tokens += await oneGeneration(target, maxOutputTokens, controller.signal);
        generations++;
      } catch (error) {
        if (stopping) break;
        errors.add((error as Error).message);
        if (errors.size > 5) break;
      }
    }
  });
  return {
    async stop() {
      stopping = true;
      // The generation in flight finishes (a second at most); aborting it would leave the case
      // measuring the server's clean-up of cancelled runs.
      await Promise.all(loops);
      controller.abort();
      return { generations, tokens, errors: [...errors], seconds: (performance.now() - t0) / 1000 };
    },
  };
}
