/**
 * A `local:tiny` pool worker: loads the weights once, then serves generations through the generic
 * worker loop (lib/workers/threadPoolWorker.ts), one token per step, a cancelled one stopping
 * within a token. Node runs this file directly (type stripping), so it imports only node: modules
 * and relative `.ts` paths.
 */
import { workerData } from 'node:worker_threads';
import { serveGenerators } from '../../workers/threadPoolWorker.ts';
import { loadTinyEngine } from './engine.ts';
import { generateSync, type TinyGenerateOptions } from './generate.ts';

export interface TinyWorkerData {
  weightsDir: string;
}

export type TinyJob = Omit<TinyGenerateOptions, 'signal'>;

const engine = loadTinyEngine((workerData as TinyWorkerData).weightsDir);
serveGenerators((options: TinyJob, shouldStop) => generateSync(engine, options, shouldStop));
