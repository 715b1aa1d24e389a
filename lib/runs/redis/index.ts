/** The Redis Streams run backend: logs, leases, views of other instances' runs, cancels (see `backend.ts`). */
import type { Run } from '../hub';
import type { RemoteRun } from './remoteRun';

export { createRedisRunBackend, type RedisHealth, type RedisRunBackend, type RedisRunBackendOptions } from './backend';
export { backendKeys, type BackendKeys, type RunKeys } from './keys';
export { createLiveChannels, type LiveChannels } from './liveChannels';
export { createRedisReaderLog, type RedisReaderLog } from './readerLog';
export { createRemoteRun, PRODUCER_LOST, type RemoteRun } from './remoteRun';
export { readRunMeta, registerRun, type RunMeta } from './runMeta';
export { createRedisWriterLog, RunLogWriteError } from './writerLog';

/** Whether a run is a view of a run produced by another instance. */
export function isRemoteRun(run: Run): run is RemoteRun {
  return (run as Partial<RemoteRun>).remote === true;
}
