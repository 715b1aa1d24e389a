/**
 * Background runs for the load benchmark's "beside" cases (`tiny`, `arc`): `loops` loops, each
 * starting a run through the app's API with `Accept: text/event-stream` (the run's stream comes
 * back on the start itself, so there is no reader-less moment in which the server could stop the
 * run) and reading it to the end, then starting the next, until stopped. `check` reads a finished
 * stream's text: it throws if the run did not do its work, else says how many units it made
 * (tokens, solves). What they did is reported, so a case can show the work really ran beside it.
 */
import type { Target } from './loadServers';

export interface BackgroundRunsSpec {
  loops: number;
  /** The body of `POST /api/runs`. */
  request: { kind: string; input: Record<string, unknown> };
  /** Units of work in one finished run's SSE text; throws when the run failed. */
  check(text: string): number;
}

export interface BackgroundRuns {
  /** Stops starting new runs, waits for those in flight, and says what was done. */
  stop(): Promise<{ runs: number; units: number; errors: string[]; seconds: number }>;
}

async function oneRun(target: Target, spec: BackgroundRunsSpec, signal: AbortSignal): Promise<number> {
  const response = await fetch(`${target.baseUrl}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', Cookie: target.cookie ?? '', Origin: target.baseUrl },
    body: JSON.stringify(spec.request),
    signal,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`starting a ${spec.request.kind} run answered ${response.status}: ${text.slice(0, 200)}`);
  return spec.check(text);
}

export function startBackgroundRuns(target: Target, spec: BackgroundRunsSpec): BackgroundRuns {
  const controller = new AbortController();
  const t0 = performance.now();
  let runs = 0;
  let units = 0;
  const errors = new Set<string>();
  let stopping = false;
  const loops = Array.from({ length: spec.loops }, async () => {
    while (!stopping) {
      try {
        units += await oneRun(target, spec, controller.signal);
        runs++;
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
      // The runs in flight finish (a generation takes a second at most, a solve the engine's
      // budget); cancelling them would leave the next reading measuring their clean-up.
      await Promise.all(loops);
      controller.abort();
      return { runs, units, errors: [...errors], seconds: (performance.now() - t0) / 1000 };
    },
  };
}

/** Chat runs on `local:tiny`; units are generated tokens. */
export function tinyGenerationsSpec(loops: number, maxOutputTokens = 256): BackgroundRunsSpec {
  return {
    loops,
    request: { kind: 'chat', input: { prompt: 'The ship sailed out of the harbour and the captain said', model: 'local:tiny', maxOutputTokens, temperature: 0.8 } },
    check: (text) => (text.match(/"type":"gen\.token"/g) ?? []).length,
  };
}

/** Analysis runs of `taskId` on `local:arc` (text at full speed, no enrichment passes: the run is the program search, then its answer); units are solves. */
export function arcSolvesSpec(loops: number, taskId: string): BackgroundRunsSpec {
  return {
    loops,
    request: { kind: 'analysis', input: { taskId, model: 'local:arc', tokensPerSecond: 0, enrichments: false } },
    check: (text) => {
      if (!text.includes('"type":"analysis.complete"')) throw new Error(`the local:arc analysis did not complete: ${text.slice(-300)}`);
      return 1;
    },
  };
}
