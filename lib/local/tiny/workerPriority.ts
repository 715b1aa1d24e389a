/**
 * The nice value `local:tiny`'s worker threads give themselves (worker.ts): below the server's
 * event loop, so that on few cores the streams it delivers get the CPU first.
 */
export const WORKER_NICE = 10;
