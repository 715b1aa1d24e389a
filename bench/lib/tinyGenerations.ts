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
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: target.cookie ?? '', Origin: target.baseUrl };
  const started = await fetch(`${target.baseUrl}/api/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ kind: 'chat', input: { prompt: PROMPT, model: 'local:tiny', maxOutputTokens, temperature: 0.8 } }),
    signal,
  });
  if (started.status !== 201) throw new Error(`starting a local:tiny run answered ${started.status}: ${(await started.text()).slice(0, 200)}`);
  const { eventsUrl } = (await started.json()) as { eventsUrl: string };
  const events = await fetch(`${target.baseUrl}${eventsUrl}`, { headers: { Accept: 'text/event-stream', Cookie: target.cookie ?? '' }, signal });
  if (!events.ok || !events.body) throw new Error(`the local:tiny run's stream answered ${events.status}`);
  const text = await events.text();
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
