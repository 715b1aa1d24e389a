/**
 * The orphan sweep: with several instances on one PostgreSQL and one Redis, an instance that dies
 * leaves the rows of the runs it produced `running`. Readers of such a run on other instances end
 * it and save it (`internal:producer_lost`), and every instance marks leftover runs at start-up.
 * A run nobody was watching, after a death nobody restarted, was left `running` for good. Every
 * instance sweeps now and then, and marks such runs interrupted.
 *
 * A run counts as orphaned when two sweeps at least a lease period apart both found it without
 * its producer's lease and without a reader watching it. A watched run is ended by the reader's
 * instance, with the `internal:producer_lost` its readers get. A single look is not enough: after a Redis restart,
 * a live producer takes its lease back within a third of a period. Rows are only ever marked while
 * still `running`, so a run that ended in between keeps its real outcome.
 */
import { periodicTask } from '../periodicTask';

export interface OrphanSweepOptions {
  /** Time between sweeps. */
  intervalMs: number;
  /** How long a lease must have been missing before its run counts as orphaned. */
  leaseMs: number;
  /** The ids of the runs the database still has `running`. */
  runningRunIds(): Promise<string[]>;
  /**
   * Those of `ids` someone looks after: their producer holds its lease, or a reader watches them
   * (the reader's instance ends such a run itself, with `internal:producer_lost`, and saves it).
   */
  attendedRunIds(ids: string[]): Promise<Set<string>>;
  /** Marks these runs interrupted (only those still `running`); answers how many it marked. */
  markRunsInterrupted(ids: string[]): Promise<number>;
  now?: () => number;
  /** A sweep that failed (the database or Redis was unreachable): the next one tries again. */
  onError?: (error: unknown) => void;
}

export interface OrphanSweep {
  /** One sweep; answers how many runs it marked interrupted. */
  sweep(): Promise<number>;
  /** Sweeps every `intervalMs` until `stop`. */
  start(): void;
  stop(): void;
}

export function createOrphanSweep(options: OrphanSweepOptions): OrphanSweep {
  const now = options.now ?? Date.now;
  /** When each run nobody attends was first seen so. */
  let missingSince = new Map<string, number>();

  async function sweep(): Promise<number> {
    const running = await options.runningRunIds();
    const attended = running.length > 0 ? await options.attendedRunIds(running) : new Set<string>();
    const at = now();
    const seen = new Map<string, number>();
    const orphaned: string[] = [];
    for (const id of running) {
      if (attended.has(id)) continue;
      const since = missingSince.get(id) ?? at;
      if (at - since >= options.leaseMs) orphaned.push(id);
      else seen.set(id, since);
    }
    // Runs that ended, or whose lease came back, are forgotten.
    missingSince = seen;
    return orphaned.length > 0 ? options.markRunsInterrupted(orphaned) : 0;
  }

  return { sweep, ...periodicTask(sweep, options) };
}
