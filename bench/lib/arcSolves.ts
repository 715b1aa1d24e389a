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
  // One request: the run's stream comes back at once, so no reader-less moment for the server to stop the run in.
  const response = await fetch(`${target.baseUrl}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Cookie: target.cookie ?? '', Origin: target.baseUrl },
    body: JSON.stringify({ kind: 'analysis', input: { taskId, model: 'local:arc', tokensPerSecond: 0, enrichments: false } }),
    signal,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`starting a local:arc analysis answered ${response.status}: ${text.slice(0, 200)}`);
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
