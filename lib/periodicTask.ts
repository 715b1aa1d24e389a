/**
 * An async task run every `intervalMs` in the background (the sweeps: orphaned runs, images past
 * their retention): never two runs of it at once (a slow one makes the next tick skip), a failure
 * reported to `onError` and not thrown, and a timer that does not keep the process alive.
 */
export interface PeriodicTask {
  /** Starts the ticks (again after `stop`); a second call while started does nothing. */
  start(): void;
  stop(): void;
}

export function periodicTask(task: () => Promise<unknown>, options: { intervalMs: number; onError?: (error: unknown) => void }): PeriodicTask {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running = false;
  return {
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        task()
          .catch((error: unknown) => options.onError?.(error))
          .finally(() => (running = false));
      }, options.intervalMs);
      timer.unref?.();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
