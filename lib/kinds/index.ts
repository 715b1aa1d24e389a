/**
 * The run kinds, each declared once. Every layer reads this record: the producer registry
 * (`lib/producers/index.ts`: which producer runs a kind), `POST /api/runs` (the request schema
 * below), the reducer (`lib/runs/reducer.ts`: a kind's part of the result), the browser's run
 * store (its per-kind view) and the saved-result pages.
 *
 * A kind module (`lib/kinds/<kind>.ts`, isomorphic: no Node or Next.js API) is
 * `defineKind({ input, part? })`:
 *
 * - `input`: the zod schema of the kind's input (the `input` of `POST /api/runs {kind, input}`).
 *   Use the shared fields of `fields.ts` (`modelIdSchema`, `taskIdSchema`, `paceSchema` with its
 *   `PACE_LIMITS`), so that forms read the same limits as the server.
 * - `part` (only for a kind with envelope types of its own, `<prefix>*`): how the reducer folds
 *   them into `result[kind]` and how the browser shows it:
 *   - `prefix` (`'grover.'`), `tokenType` (its text-token envelope, for time to first token and
 *     tokens/s) and, if it has one, `reasoningType`;
 *   - `create()` the empty state, `apply(state, envelope)` folding one envelope in place,
 *     `tokenCount(state)` its text tokens, `summarize(state)` the JSON-friendly form stored and
 *     sent in blocking answers (`summary[kind]`);
 *   - `view`: `tracker()` (one per run: `update(previous, state, batch, nextId)` returns the
 *     next view, keeping identities of what did not change) and `ofState(state, nextId)` (the
 *     view of a whole result, for blocking delivery).
 *   The store keeps the view at `state[kind]` (null until the kind's first envelope).
 *   A kind whose output is plain generations (`gen.*`, folded by the core reducer) has no part;
 *   one that reads more of them (steering's two channels with logprobs and activations) has a
 *   `gen.` part whose `accepts` names its envelopes, folded beside the core's generations.
 *
 * - `sharedPage(token)` (optional): where a share link of a run of the kind opens, for a kind
 *   whose own page can show a shared run (steer: `/steer?share=<token>`); others are shown by
 *   the generic shared page `/s/<token>`.
 *
 * Adding a kind: write its module and list it in `KINDS` below; add its producer folder and its
 * entry in `lib/producers/index.ts`; write its pane. The envelope types themselves live in
 * `lib/protocol/envelope.ts`.
 */
import { z } from 'zod';
import { analysisKind } from './analysis';
import { benchKind } from './bench';
import { chatKind } from './chat';
import { groverKind } from './grover';
import { saturnKind } from './saturn';
import { steerKind } from './steer';
import type { AnyEnvelope, KindModule, KindPart } from './types';

export const KINDS = {
  chat: chatKind,
  grover: groverKind,
  saturn: saturnKind,
  analysis: analysisKind,
  steer: steerKind,
  bench: benchKind,
} satisfies Record<string, Pick<KindModule, 'input'>>;

type Kinds = typeof KINDS;
export type RunKind = keyof Kinds;

/** The validated input of a kind (defaults filled in). */
export type InputOf<K extends RunKind> = z.output<Kinds[K]['input']>;

/** A kind's input as a client writes it (fields with a server default may be left out). */
export type RunInput<K extends RunKind> = z.input<Kinds[K]['input']>;

/** `POST /api/runs` body after validation. */
export type RunRequest = { [K in RunKind]: { kind: K; input: InputOf<K> } }[RunKind];

/** `POST /api/runs` body as a client writes it (fields with a server default may be left out). */
export type RunRequestInput = { [K in RunKind]: { kind: K; input: RunInput<K> } }[RunKind];

/** The kinds with a part of their own in the reduced result. */
export type PartKind = { [K in RunKind]: Kinds[K] extends { part: KindPart<any, any, any> } ? K : never }[RunKind];

type PartOf<K extends PartKind> = Kinds[K]['part'];
export type StateOf<K extends PartKind> = PartOf<K> extends KindPart<infer State, any, any> ? State : never;
export type SummaryOf<K extends PartKind> = PartOf<K> extends KindPart<any, infer Summary, any> ? Summary : never;
export type ViewOf<K extends PartKind> = PartOf<K> extends KindPart<any, any, infer View> ? View : never;

/** Every kind's part, untyped, for the generic code that walks them (reducer, store). */
export const KIND_PARTS: [PartKind, KindPart<unknown, unknown, unknown>][] = Object.entries(KINDS).flatMap(([kind, module]) =>
  'part' in module ? [[kind as PartKind, module.part as KindPart<unknown, unknown, unknown>]] : [],
);

/**
 * Where a share link of a run of `kind` opens: the kind's own page if it declares `sharedPage`,
 * else the generic shared page.
 */
export function sharedPageOf(kind: string, token: string): string {
  const module = (KINDS as Record<string, KindModule>)[kind];
  return module?.sharedPage?.(token) ?? sharePathOf(token);
}

/** The path of a share link: one form for every kind (`/s/<token>` sends it on to `sharedPageOf`). */
export function sharePathOf(token: string): string {
  return `/s/${encodeURIComponent(token)}`;
}

/** The kind whose part folds this envelope, if any. */
export function partKindOf(envelope: AnyEnvelope): PartKind | undefined {
  return KIND_PARTS.find(([, part]) => envelope.type.startsWith(part.prefix) && (part.accepts?.(envelope) ?? true))?.[0];
}

/** `POST /api/runs` body: a kind and that kind's input. */
export const runRequestSchema = z.discriminatedUnion(
  'kind',
  Object.entries(KINDS).map(([kind, module]) => z.object({ kind: z.literal(kind), input: module.input })) as unknown as [
    z.ZodObject<{ kind: z.ZodLiteral<string>; input: z.ZodType }>,
  ],
) as unknown as z.ZodType<RunRequest, RunRequestInput>;

export { PACE_LIMITS } from './fields';
export type { TextSegment } from './types';
