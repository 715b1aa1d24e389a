/**
 * Sharing a saved run (docs/security.md, "Saved runs and sharing"): what a share link answers
 * and where it opens. The owner makes a link (`POST /api/runs/:id/share`) and revokes it
 * (`DELETE`); anyone holding the link reads the run through `GET /api/shared/:token` or the page
 * `/s/<token>`, which sends a kind with a page of its own there (`sharedPage` in `lib/kinds`:
 * a steer opens on /steer with its settings and text).
 */
import 'server-only';

import { getConfig } from '../config';
import { createRunShareOrThrow, getSharedRunOrThrow, revokeRunSharesOrThrow, type Run, type RunViewer } from '../db';
import { sharedPageOf, sharePathOf } from '../kinds';

/** What a share link shows of a run: what was asked and what came of it, nothing about its owner. */
export interface SharedRun {
  kind: string;
  model: string | null;
  /** The run's input as it was validated (a steer's prompt, features, method, seed, ...). */
  input: unknown;
  status: string;
  endReason: string | null;
  /** The saved, reduced result (null while the run is still running). */
  result: unknown;
  createdAt: string;
  endedAt: string | null;
  /** The page that shows this run (`/s/<token>`, or its kind's own page). */
  page: string;
}

export function sharedRunOf(row: Run, token: string): SharedRun {
  return {
    kind: row.kind,
    model: row.model,
    input: row.input,
    status: row.status,
    endReason: row.endReason,
    result: row.result ?? null,
    createdAt: row.createdAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    page: sharedPageOf(row.kind, token),
  };
}


/** The origin links are written for: BETTER_AUTH_URL when set, else the address the request was sent to. */
function publicOriginOf(request: Request): string {
  const configured = getConfig().BETTER_AUTH_URL;
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  const host = request.headers.get('host');
  return host ? `${url.protocol}//${host}` : url.origin;
}

/** Makes a share link of the viewer's run: `{token, path, url}` (the token is shown only now). */
export async function shareRunOrThrow({ id, viewer, request }: { id: string; viewer: RunViewer | null; request: Request }) {
  const { token, share } = await createRunShareOrThrow({ runId: id, viewer });
  const path = sharePathOf(token);
  return { token, path, url: new URL(path, publicOriginOf(request)).toString(), createdAt: share.createdAt.toISOString() };
}

/** Revokes every live share link of the viewer's run. */
export async function unshareRunOrThrow({ id, viewer }: { id: string; viewer: RunViewer | null }) {
  return { runId: id, revoked: await revokeRunSharesOrThrow({ runId: id, viewer }) };
}

/** The run a live share link opens; 404 `not_found:share` otherwise. */
export async function readSharedRunOrThrow({ token }: { token: string }): Promise<SharedRun> {
  return sharedRunOf(await getSharedRunOrThrow({ token }), token);
}
