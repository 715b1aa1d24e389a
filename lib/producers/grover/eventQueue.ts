/**
 * An unbounded async queue with one reader: producers push from several concurrent tasks (a
 * model stream, sandbox runs finishing), the reader iterates in arrival order. `fail` makes the
 * reader throw after what was queued before it.
 */
export interface EventQueue<T> extends AsyncIterable<T> {
  push(item: T): void;
  close(): void;
  fail(error: unknown): void;
}

export function createEventQueue<T>(): EventQueue<T> {
  const items: T[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;

  const notify = () => {
    wake?.();
    wake = undefined;
  };

  return {
    push(item) {
      if (ended) return;
      items.push(item);
      notify();
    },
    close() {
      ended = true;
      notify();
    },
    fail(error) {
      failure = { error };
      ended = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (items.length > 0) yield items.shift()!;
        if (ended) {
          if (failure) throw failure.error;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
