/**
 * A `local:arc` search worker: serves searches through the generic worker loop
 * (lib/workers/threadPoolWorker.ts), about 20 ms of search per step, so searches on one worker
 * interleave and a cancelled one stops within a step. Node runs this file directly (type
 * stripping), so it and everything it imports use only node: modules, packages and relative
 * `.ts` paths.
 */
import { serveGenerators } from '../../workers/threadPoolWorker.ts';
import { searchProgramSteps, type SearchableTask, type WorkerSearchOptions } from './solve.ts';

export interface ArcSearchJob {
  task: SearchableTask;
  options: WorkerSearchOptions;
}

serveGenerators((job: ArcSearchJob, shouldStop) => searchProgramSteps(job.task, job.options, shouldStop));
