/**
 * A `local:tiny` pool worker: loads the weights once, then runs one generation at a time, posting
 * each token as it is made. Node runs this file directly (type stripping), so it imports only the
 * engine's own modules, by their `.ts` names.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTinyEngine } from './engine.ts';
import { generateSync, type TinyGenerateOptions } from './generate.ts';

export interface WorkerData {
  weightsDir: string;
  /** Int32Array over a SharedArrayBuffer: [0] holds the id of the job to cancel. */
  cancel: SharedArrayBuffer;
}

export type ToWorker = { type: 'generate'; jobId: number; options: Omit<TinyGenerateOptions, 'signal'> };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'token'; jobId: number; event: unknown }
  | { type: 'done'; jobId: number; finishReason: string }
  | { type: 'error'; jobId: number; message: string };

const port = parentPort!;
const data = workerData as WorkerData;
const cancel = new Int32Array(data.cancel);
const engine = loadTinyEngine(data.weightsDir);
port.postMessage({ type: 'ready' } satisfies FromWorker);

port.on('message', (message: ToWorker) => {
  if (message.type !== 'generate') return;
  const { jobId } = message;
  try {
    const run = generateSync(engine, message.options, () => Atomics.load(cancel, 0) === jobId);
    for (;;) {
      const next = run.next();
      if (next.done) {
        port.postMessage({ type: 'done', jobId, finishReason: next.value.finishReason } satisfies FromWorker);
        return;
      }
      port.postMessage({ type: 'token', jobId, event: next.value } satisfies FromWorker);
    }
  } catch (error) {
    port.postMessage({ type: 'error', jobId, message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
  }
});
