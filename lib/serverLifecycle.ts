/**
 * Start-up and shutdown of the server process: check that sessions can be signed (the auth
 * secret), recover after a crash, sweep for runs a dead instance left (with Redis) and for images
 * past their retention, drain runs on the way down.
 */
import 'server-only';
import { authSecretOptionsOf, resolveAuthSecret } from './auth/secret';
import { getConfig } from './config';
import { listRunningRunIds, markRunsInterrupted } from './db';
import { listExistingRunIds } from './db/existingRuns';
import { createImageSweep } from './images/retention';
import { imageDirOf } from './images/store';
import { createOrphanSweep } from './runs/orphanSweep';
import { getRunBackend, getRunHub } from './runs/registry';

const STARTED_KEY = Symbol.for('streamconsole.started');

export async function startServer({ onShutdown }: { onShutdown?: () => Promise<void> } = {}): Promise<void> {
  const store = globalThis as typeof globalThis & { [STARTED_KEY]?: boolean };
  if (store[STARTED_KEY]) return;
  store[STARTED_KEY] = true;

  // Before anything else: a server that cannot sign sessions must not start (it would answer
  // every request that needs one with a 500). Throws the error naming the variable to set.
  await resolveAuthSecret(authSecretOptionsOf(getConfig()));
  if (getConfig().ADMIN_EMAILS) {
    console.warn('[startup] ADMIN_EMAILS is no longer read (emails are not verified, so it let anyone claim a listed address): grant admins with `npm run admin -- grant EMAIL`.');
  }

  const backend = getRunBackend();
  try {
    // With Redis, other instances may be producing runs right now: only runs nobody holds a lease on are interrupted.
    const marked = await markRunsInterrupted(backend ? { stillProduced: (ids) => backend.producedRunIds(ids) } : {});
    if (marked > 0) console.log(`[startup] marked ${marked} unfinished run(s) from a previous process as interrupted`);
  } catch (error) {
    console.error('[startup] could not check for interrupted runs:', error);
  }

  // With Redis, instances come and go: a dead one's unwatched runs are found by the others' sweeps.
  const config = getConfig();
  const sweep = backend
    ? createOrphanSweep({
        intervalMs: config.RUN_ORPHAN_SWEEP_MS,
        leaseMs: config.RUN_LEASE_MS,
        runningRunIds: listRunningRunIds,
        attendedRunIds: (ids) => backend.attendedRunIds(ids),
        markRunsInterrupted: async (ids) => {
          const marked = await markRunsInterrupted({ ids });
          if (marked > 0) console.log(`[sweep] marked ${marked} run(s) of an instance that stopped as interrupted`);
          return marked;
        },
        onError: (error) => console.error('[sweep] could not look for orphaned runs:', error),
      })
    : undefined;
  sweep?.start();

  // Every instance: the images its runs drew go after IMAGE_RETENTION_MS, or with their run's row.
  const imageSweep = createImageSweep({
    dir: imageDirOf(config),
    retentionMs: config.IMAGE_RETENTION_MS,
    intervalMs: config.IMAGE_SWEEP_MS,
    existingRunIds: (ids) => listExistingRunIds({ ids }),
    onError: (error) => console.error('[sweep] could not sweep the image directory:', error),
  });
  imageSweep.start();

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    sweep?.stop();
    imageSweep.stop();
    const hub = getRunHub();
    const active = hub.active().length;
    if (active > 0) console.log(`[shutdown] ${signal}: ending ${active} live run(s)`);
    await Promise.race([hub.shutdown(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    // Give the database writes of the runs just ended a moment to land, then flush telemetry.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await onShutdown?.().catch((error: unknown) => console.error('[shutdown] telemetry flush failed:', error));
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
