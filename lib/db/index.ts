/** The persistence layer: connection, schema and run queries. Server code only. */
export { closeDb, getDb, type Database } from './client';
export { createRun, finishRun, getRunById, listRunningRunIds, listRuns, markRunsInterrupted, MAX_LIST_LIMIT } from './runs';
export { canViewRun, ownedBy, type RunViewer } from './ownership';
export { countLiveRunShares, createRunShareOrThrow, findSharedRun, getSharedRunOrThrow, isShareToken, revokeRunSharesOrThrow } from './shares';
export {
  RUN_END_REASONS,
  runShares,
  type RunShare,
  RUN_STATUSES,
  runs,
  type NewRun,
  type Run,
  type RunEndReason,
  type RunStatus,
} from './schema';
