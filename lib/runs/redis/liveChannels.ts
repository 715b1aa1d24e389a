/**
 * Pub/sub channels shared by everything in the process that listens to Redis: one subscriber
 * connection, one SUBSCRIBE per channel however many listeners it has.
 *
 * Pub/sub delivers at most once: what is published while the connection is down is lost. So the
 * channels tell their listeners when that may have happened:
 * - `resync` once the connection is back and every channel is subscribed again: a listener reads
 *   what it missed from the stream itself;
 * - `broken` if the connection stays down past `stallMs`: a listener gives up (an SSE response
 *   ends, and the client resumes, perhaps on an instance that can reach Redis).
 */
import type { Redis } from 'ioredis';

export interface ChannelHandlers {
  message(text: string): void;
  resync?(): void;
  broken?(error: Error): void;
}

export interface ChannelListener {
  /** Resolves once Redis has acknowledged the subscription: from then on nothing published is missed. */
  ready: Promise<void>;
  close(): void;
}

export interface LiveChannels {
  listen(channel: string, handlers: ChannelHandlers): ChannelListener;
  /** Whether the subscriber connection is up. */
  connected(): boolean;
  close(): Promise<void>;
}

interface Channel {
  handlers: Set<ChannelHandlers>;
  subscribed: Promise<void>;
  /** The last SUBSCRIBE failed (Redis unreachable): the next listener, or the next connection, tries again. */
  failed: boolean;
}

export function createLiveChannels(subscriber: Redis, { stallMs }: { stallMs: number }): LiveChannels {
  const channels = new Map<string, Channel>();
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function subscribe(name: string, entry: Channel): void {
    entry.failed = false;
    entry.subscribed = subscriber.subscribe(name).then(() => undefined);
    entry.subscribed.catch(() => (entry.failed = true));
  }

  subscriber.on('message', (channel: string, message: string) => {
    const entry = channels.get(channel);
    if (!entry) return;
    for (const handlers of [...entry.handlers]) handlers.message(message);
  });

  subscriber.on('close', () => {
    if (closed || stallTimer) return;
    stallTimer = setTimeout(() => {
      stallTimer = undefined;
      const error = new Error(`Redis has been unreachable for ${stallMs} ms`);
      for (const entry of channels.values()) for (const handlers of [...entry.handlers]) handlers.broken?.(error);
    }, stallMs);
    stallTimer.unref?.();
  });

  subscriber.on('ready', () => {
    clearTimeout(stallTimer);
    stallTimer = undefined;
    // A (re)connection: subscribe to everything again (a no-op for what the offline queue already
    // subscribed), then let listeners catch up on what they may have missed while it was down.
    const names = [...channels.keys()];
    if (names.length === 0) return;
    subscriber.subscribe(...names).then(
      () => {
        for (const name of names) {
          const entry = channels.get(name);
          if (!entry) continue;
          if (entry.failed) {
            entry.failed = false;
            entry.subscribed = Promise.resolve();
          }
          for (const handlers of [...entry.handlers]) handlers.resync?.();
        }
      },
      // Lost again before the answer: the next 'ready' retries.
      () => undefined,
    );
  });

  return {
    listen(channel, handlers) {
      let entry = channels.get(channel);
      if (!entry) {
        entry = { handlers: new Set(), subscribed: Promise.resolve(), failed: false };
        channels.set(channel, entry);
        subscribe(channel, entry);
      } else if (entry.failed) {
        subscribe(channel, entry);
      }
      entry.handlers.add(handlers);
      const current = entry;
      let open = true;
      return {
        ready: current.subscribed,
        close() {
          if (!open) return;
          open = false;
          current.handlers.delete(handlers);
          if (current.handlers.size > 0 || channels.get(channel) !== current) return;
          channels.delete(channel);
          if (!closed) subscriber.unsubscribe(channel).catch(() => undefined);
        },
      };
    },

    connected: () => subscriber.status === 'ready',

    async close() {
      closed = true;
      clearTimeout(stallTimer);
      channels.clear();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
