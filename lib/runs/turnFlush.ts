/**
 * One `setImmediate` per turn of the event loop for every event stream in the process, instead
 * of one per stream. A stream with text pending asks to be flushed; at the end of the turn every
 * stream that asked is flushed in one callback, so frames appended in the same turn still leave
 * as one chunk per stream.
 *
 * Why shared: Node runs the microtask and `nextTick` queues after each immediate callback, so
 * 1,000 streams at 20 tokens/s meant 20,000 immediates a second, each with its own drain of the
 * queues. In a stripped-down relay (a web stream per connection, piped as Next.js pipes a route
 * handler's body) they added about 11 µs to the 42 µs each event cost without them.
 */

type Flush = () => void;

let due = new Set<Flush>();
let scheduled: ReturnType<typeof setImmediate> | undefined;

function flushAll(): void {
  scheduled = undefined;
  // A flush that asks again (a stream appended to while flushing) waits for the next turn.
  const batch = due;
  due = new Set();
  for (const flush of batch) {
    try {
      flush();
    } catch (error) {
      // One stream's failure is its own: the others in the batch still flush, and the error
      // surfaces as an uncaught exception, as it did when each stream had its own immediate.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/** Calls `flush` once at the end of this turn, however many times it is asked for before then. */
export function flushAtEndOfTurn(flush: Flush): void {
  due.add(flush);
  scheduled ??= setImmediate(flushAll);
}

/** Forgets a flush asked for this turn (its stream closed). */
export function cancelFlush(flush: Flush): void {
  due.delete(flush);
}
