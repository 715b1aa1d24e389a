/**
 * The appends of every run this instance produces, sent to Redis together: what the writer logs
 * asked for in one turn of the event loop leaves at the end of that turn as one `scAppendMany`
 * call (or a few, `MAX_ENTRIES_PER_CALL` entries each, in one pipeline).
 *
 * Why: at 1,000 runs of 20 tokens a second, one script call per entry meant 20,000 commands a
 * second, each with its own write system call, command object, promise and reply to parse; that
 * was most of what the Redis backend cost over the memory one (the differential profiles of
 * `bench:load`'s 1,000-stream case are in bench/results/profiles/). Batched, those costs are paid
 * once per turn.
 *
 * Order: a call keeps the order its entries were asked for in, and Redis runs the calls of one
 * connection in order. A writer log has one batch in flight at a time (writerLog.ts), so a run's
 * entries reach Redis in seq order however its batches fall into calls.
 */
import type { Redis } from 'ioredis';
import { flushAtEndOfTurn } from '../turnFlush';
import { defineRunScripts } from './scripts';

/** One entry to append: its run's keys and channel, its seq, its envelope's JSON, whether it ends the run. */
export interface AppendRequest {
  keys: readonly [log: string, meta: string, lease: string];
  live: string;
  seq: number;
  json: string;
  terminal: boolean;
}

/** What every entry of one instance's runs shares: sent once per call. */
export interface AppendSettings {
  maxLen: number;
  retentionMs: number;
  instance: string;
  runningTtlMs: number;
}

/** Per entry, what a pipeline answers: the error, or the script's code for it. */
export type AppendAnswer = [error: Error | null, code: unknown];

export interface AppendBatcher {
  /** Appends these entries (of one run, in order) with whatever else this turn appends; one answer per entry. */
  append(requests: readonly AppendRequest[]): Promise<AppendAnswer[]>;
}

/**
 * Entries per script call. A script holds Redis for as long as it runs (`redis-server` spent
 * 12-20 µs of CPU an entry in `bench:load`), so a call is bounded, to about 10 ms; the rest of the
 * turn's entries go in more calls of the same pipeline.
 */
export const MAX_ENTRIES_PER_CALL = 500;

interface Waiting {
  requests: readonly AppendRequest[];
  resolve(answers: AppendAnswer[]): void;
  reject(error: unknown): void;
}

function createAppendBatcher(redis: Redis, settings: AppendSettings): AppendBatcher {
  const scripted = defineRunScripts(redis);
  const shared = [settings.maxLen, settings.retentionMs, settings.instance, settings.runningTtlMs];
  let waiting: Waiting[] = [];

  async function send(batch: Waiting[]): Promise<void> {
    const requests = batch.flatMap((item) => item.requests);
    const answers: AppendAnswer[] = [];
    try {
      const pipeline = scripted.pipeline();
      for (let from = 0; from < requests.length; from += MAX_ENTRIES_PER_CALL) {
        const call = requests.slice(from, from + MAX_ENTRIES_PER_CALL);
        const keys: string[] = [];
        const args: (string | number)[] = [...shared];
        for (const request of call) {
          keys.push(request.keys[0], request.keys[1], request.keys[2]);
          args.push(request.seq, request.json, request.live, request.terminal ? '1' : '0');
        }
        pipeline.scAppendMany(keys.length, ...keys, ...args);
      }
      const results = (await pipeline.exec()) ?? [];
      for (let from = 0, call = 0; from < requests.length; from += MAX_ENTRIES_PER_CALL, call++) {
        const count = Math.min(MAX_ENTRIES_PER_CALL, requests.length - from);
        const [error, codes] = results[call] ?? [new Error('Redis gave no answer'), null];
        for (let i = 0; i < count; i++) answers.push(error ? [error, null] : [null, (codes as unknown[] | null)?.[i]]);
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    let at = 0;
    for (const item of batch) {
      item.resolve(answers.slice(at, at + item.requests.length));
      at += item.requests.length;
    }
  }

  function flush(): void {
    const batch = waiting;
    waiting = [];
    if (batch.length > 0) void send(batch);
  }

  return {
    append(requests) {
      return new Promise<AppendAnswer[]>((resolve, reject) => {
        waiting.push({ requests, resolve, reject });
        flushAtEndOfTurn(flush);
      });
    },
  };
}

const batchers = new WeakMap<Redis, Map<string, AppendBatcher>>();

/** The batcher of this connection and these settings: every writer log of an instance shares one. */
export function appendBatcherOf(redis: Redis, settings: AppendSettings): AppendBatcher {
  let bySettings = batchers.get(redis);
  if (!bySettings) batchers.set(redis, (bySettings = new Map()));
  const key = JSON.stringify([settings.maxLen, settings.retentionMs, settings.instance, settings.runningTtlMs]);
  let batcher = bySettings.get(key);
  if (!batcher) bySettings.set(key, (batcher = createAppendBatcher(redis, settings)));
  return batcher;
}
