/**
 * CPU profiles of a server for exactly a case's measurement window, taken over the inspector
 * protocol (the server runs with `--inspect` on a port of its own): `Profiler.start` when the
 * window opens, `Profiler.stop` when it closes. A `--cpu-prof` profile would cover the whole
 * process life (start-up, ramps, clean-up) and has to be cut by guesswork afterwards; this one
 * is the window itself, so two backends' profiles of one case can be compared line by line.
 * Written as `.cpuprofile` (Chrome DevTools, speedscope, `bench/profile-diff.py`).
 */
import { writeFileSync } from 'node:fs';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export interface CpuProfiler {
  /** Starts sampling; resolves once the server has started. */
  start(): Promise<void>;
  /** Stops sampling and writes the profile to `file`. */
  stop(file: string): Promise<void>;
  close(): void;
}

/** Connects to the inspector of the Node process listening on `port` (its first target). */
export async function connectCpuProfiler(port: number, samplingIntervalUs = 250): Promise<CpuProfiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot open the inspector at ${url}`)), { once: true });
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiting?.reject(new Error(message.error.message));
    else waiting?.resolve(message.result);
  });
  function send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  }
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  return {
    start: () => send('Profiler.start'),
    async stop(file) {
      const { profile } = await send<{ profile: unknown }>('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    },
    close: () => socket.close(),
  };
}
