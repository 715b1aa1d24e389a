/**
 * Background `local:arc` solves for the load benchmark's "while the ARC engine searches" case:
 * `count` loops, each starting an analysis run of `taskId` on `local:arc` through the app's API
 * (text at full speed, no enrichment passes: the run is the program search, up to the engine's
 * budget, then its answer) and reading its stream to the end, then starting the next, until
 * stopped. What they did is reported, so a case can show the searches really ran beside it.
 */
import type { Target } from './loadServers';

export interface ArcSolves {
  /** Stops starting new solves, waits for those in flight, and says what was done. */
  stop(): Promise<{ solves: number; errors: string[]; seconds: number }>;
}

async function oneSolve(target: Target, taskId: string, signal: AbortSignal): Promise<void> {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: target.cookie ?? '', Origin: target.baseUrl };
  const started = await fetch(`${target.baseUrl}/api/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ kind: 'analysis', input: { taskId, model: 'local:arc', tokensPerSecond: 0, enrichments: false } }),
    signal,
  });
  if (started.status !== 201) throw new Error(`starting a local:arc analysis answered ${started.status}: ${(await started.text()).slice(0, 200)}`);
  const { eventsUrl } = (await started.json()) as { eventsUrl: string };
  const events = await fetch(`${target.baseUrl}${eventsUrl}`, { headers: { Accept: 'text/event-stream', Cookie: target.cookie ?? '' }, signal });
  if (!events.ok || !events.body) throw new Error(`the local:arc run's stream answered ${events.status}`);
  const text = await events.text();
  if (!text.includes('"type":"analysis.complete"')) throw new Error(`the local:arc analysis did not complete: ${text.slice(-300)}`);
}

export function startArcSolves(target: Target, count: number, taskId: string): ArcSolves {
  const controller = new AbortController();
  const t0 = performance.now();
  let solves = 0;
  const errors = new Set<string>();
  let stopping = false;
  const loops = Array.from({ length: count }, async () => {
    while (!stopping) {
      try {
        await oneSolve(target, taskId, controller.signal);
        solves++;
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
      // The solves in flight finish (the engine's budget at most, 8 s by default); cancelling them
      // would leave the next reading measuring the clean-up of cancelled runs.
      await Promise.all(loops);
      controller.abort();
      return { solves, errors: [...errors], seconds: (performance.now() - t0) / 1000 };
    },
  };
}
