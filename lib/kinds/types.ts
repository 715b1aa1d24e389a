/**
 * The shape of a run kind's module (see `index.ts` for how a kind is declared and read). Types
 * only, so a kind module and the core reducer can both import it without importing each other.
 */
import type { z } from 'zod';
import type { EventEnvelope } from '../protocol/envelope';

/** One appended piece of text; `id` is a stable React key. */
export interface TextSegment {
  id: number;
  text: string;
}

/** The envelopes a view tracker reads: any with a `type` and `data`. */
export interface AnyEnvelope {
  type: string;
  data: unknown;
}

/**
 * The browser's view of a kind's state, kept with identities React can use. The reducer folds a
 * run into an accumulator it mutates in place; after each batch the store asks the tracker for a
 * new view read from that accumulator (already folded with the batch) and the batch itself.
 */
export interface KindView<State, View> {
  /** A tracker for one run (it may remember where things sit in the accumulator). */
  tracker(): {
    /** The view after a batch: `previous` (null before the first) with the batch's changes applied. */
    update(previous: View | null, state: State, batch: readonly AnyEnvelope[], nextId: () => number): View;
  };
  /** The view built at once from a whole state (blocking delivery), each text as one segment. */
  ofState(state: State, nextId: () => number): View;
}

/** A kind's own part of the reduced result: `result[kind]`, created by its first envelope. */
export interface KindPart<State, Summary, View> {
  /** The envelope types this part folds all start with it (`'grover.'`). */
  prefix: `${string}.`;
  /**
   * For a part of envelopes the core reducer also folds (`gen.*`, which every run may send):
   * which of them are this part's (steering's two channels). Without it, every `prefix` envelope is.
   */
  accepts?(envelope: AnyEnvelope): boolean;
  /** The envelope type that counts as a text token for time to first token and tokens/s. */
  tokenType: EventEnvelope['type'];
  /** The kind's reasoning envelope, if any: first output for the server's run span, like a token. */
  reasoningType?: EventEnvelope['type'];
  create(): State;
  /** Text tokens in the state, counted into the run's token count (the store's and a blocking run's progress). */
  tokenCount(state: State): number;
  /** Applies one of the kind's envelopes to its state in place. */
  apply(state: State, envelope: EventEnvelope): void;
  /** A JSON-friendly summary for storage and blocking answers (text joined). */
  summarize(state: State): Summary;
  view: KindView<State, View>;
}

/** A run kind: its input schema and, for kinds with envelopes of their own, its part. */
export interface KindModule<Input extends z.ZodType = z.ZodType, State = unknown, Summary = unknown, View = unknown> {
  /** The zod schema of the kind's `POST /api/runs` input; forms read its limits from here. */
  input: Input;
  part?: KindPart<State, Summary, View>;
  /**
   * Where a share link of a run of this kind opens, for a kind with a page of its own that can
   * show a shared run (steer: /steer with its settings and text). Without it, the generic shared
   * page `/s/<token>` shows the run.
   */
  sharedPage?: (token: string) => string;
}

type SharedPage = { sharedPage?: (token: string) => string };

/** Declares a kind module, keeping its types (a kind with a part has `part` for certain). */
export function defineKind<Input extends z.ZodType>(module: { input: Input } & SharedPage): { input: Input } & SharedPage;
export function defineKind<Input extends z.ZodType, State, Summary, View>(
  module: {
    input: Input;
    part: KindPart<State, Summary, View>;
  } & SharedPage,
): { input: Input; part: KindPart<State, Summary, View> } & SharedPage;
export function defineKind(module: KindModule): KindModule {
  return module;
}
