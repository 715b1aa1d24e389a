/**
 * The scheduling priority of pool worker threads: they run CPU-heavy local models, and lower
 * their own priority to nice WORKER_NICE before serving (threadPoolWorker.ts). On Linux a nice
 * value is per thread and `setPriority(0, …)` sets the calling thread's, so the server's event
 * loop, which delivers every stream, keeps the process's priority and gets the CPU first when
 * both want it on few cores: the model's steps slow down, other streams do not.
 */
import os from 'node:os';

export const WORKER_NICE = 10;

/** Lowers this thread's priority to WORKER_NICE (never raises it); where not permitted, leaves it. */
export function lowerThreadPriority(): void {
  try {
    os.setPriority(0, Math.max(os.getPriority(0), WORKER_NICE));
  } catch {
    // Not permitted, or not supported here: the thread runs at the process's priority.
  }
}
