/**
 * A `local:tiny` pool worker: loads the weights once, then serves generations through the generic
 * worker loop (lib/workers/threadPoolWorker.ts), one token per step, a cancelled one stopping
 * within a token. Node runs this file directly (type stripping), so it imports only node: modules
 * and relative `.ts` paths.
 *
 * The thread lowers its own scheduling priority first (nice WORKER_NICE; on Linux a nice value is
 * per thread, and `setPriority(0, …)` sets the calling thread's). Where cores are few, the server's
 * event loop, which delivers every stream, then gets the CPU first whenever both want it, and the
 * model takes what is left: its tokens slow down, other streams do not.
 */
import os from 'node:os';
import { workerData } from 'node:worker_threads';
import { serveGenerators } from '../../workers/threadPoolWorker.ts';
import { loadTinyEngine } from './engine.ts';
import { generateSync, type TinyGenerateOptions } from './generate.ts';
import { WORKER_NICE } from './workerPriority.ts';

export interface TinyWorkerData {
  weightsDir: string;
}

export type TinyJob = Omit<TinyGenerateOptions, 'signal'>;

try {
  os.setPriority(0, Math.max(os.getPriority(0), WORKER_NICE));
} catch {
  // Not permitted (or no such call on this platform): run at the process's priority.
}

const engine = loadTinyEngine((workerData as TinyWorkerData).weightsDir);
serveGenerators((options: TinyJob, shouldStop) => generateSync(engine, options, shouldStop));
