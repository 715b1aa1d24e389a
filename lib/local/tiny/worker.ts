/**
 * A `local:tiny` pool worker: loads the weights once, then runs the generations it is given,
 * interleaved one token at a time (so a new stream's first token waits for one token of each
 * other stream, not for their whole answers), posting each token as it is made. Between rounds
 * it yields to its event loop, where new jobs and cancellations arrive: a cancelled generation
 * stops within one token. Node runs this file directly (type stripping), so it imports only the
 * engine's own modules, by their `.ts` names.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTinyEngine } from './engine.ts';
import { generateSync, type TinyFinishReason, type TinyGenerateOptions, type TinyTokenEvent } from './generate.ts';

export interface WorkerData {
  weightsDir: string;
}

export type ToWorker = { type: 'generate'; jobId: number; options: Omit<TinyGenerateOptions, 'signal'> } | { type: 'cancel'; jobId: number };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'token'; jobId: number; event: unknown }
  | { type: 'done'; jobId: number; finishReason: string }
  | { type: 'error'; jobId: number; message: string };

const port = parentPort!;
const data = workerData as WorkerData;
const engine = loadTinyEngine(data.weightsDir);
const active = new Map<number, Generator<TinyTokenEvent, { finishReason: TinyFinishReason | 'cancelled' }>>();
const cancelled = new Set<number>();
let running = false;

function finish(jobId: number, message: FromWorker): void {
  active.delete(jobId);
  cancelled.delete(jobId);
  port.postMessage(message);
}

/** One token for each active generation. */
function round(): void {
  for (const [jobId, run] of active) {
    try {
      const next = run.next();
      if (next.done) finish(jobId, { type: 'done', jobId, finishReason: next.value.finishReason });
      else port.postMessage({ type: 'token', jobId, event: next.value } satisfies FromWorker);
    } catch (error) {
      finish(jobId, { type: 'error', jobId, message: error instanceof Error ? error.message : String(error) });
    }
  }
}

async function loop(): Promise<void> {
  running = true;
  while (active.size > 0) {
    round();
    await new Promise((resolve) => setImmediate(resolve));
  }
  running = false;
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    if (active.has(message.jobId)) cancelled.add(message.jobId);
    return;
  }
  const { jobId } = message;
  active.set(jobId, generateSync(engine, message.options, () => cancelled.has(jobId)));
  if (!running) void loop();
});
port.postMessage({ type: 'ready' } satisfies FromWorker);
