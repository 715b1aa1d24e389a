/**
 * A counting semaphore: at most `capacity` holders at once, the rest wait in order. The one
 * instance that matters is `sandboxSlots` (./confinement): a global cap on concurrent sandbox
 * processes, shared by every run and every producer that runs model-written programs.
 */
import { AppError } from '../errors';

export interface Semaphore {
  /** Wait for a slot; resolves with its release function. Rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Slots in use now. */
  readonly active: number;
  /** Callers waiting now. */
  readonly waiting: number;
  readonly capacity: number;
}

export function createSemaphore(capacity: number): Semaphore {
  if (!Number.isInteger(capacity) || capacity < 1) throw new AppError('internal:unexpected', `A semaphore needs a capacity of at least 1, not ${capacity}.`);
  let active = 0;
  const queue: (() => void)[] = [];

  const releaser = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else active -= 1;
    };
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < capacity) {
        active += 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(releaser());
        };
        const onAbort = () => {
          const at = queue.indexOf(grant);
          if (at !== -1) queue.splice(at, 1);
          reject(signal?.reason);
        };
        queue.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    capacity,
  };
}
