/**
 * The route wrapper every handler goes through: it refuses cross-site state changes (an origin
 * other than the one addressed, BETTER_AUTH_URL's or BETTER_AUTH_TRUSTED_ORIGINS'), awaits the
 * dynamic params, runs the handler and turns whatever it throws into a response in one place. Route bodies stay a few lines:
 * parse, call `lib/`, return.
 */
import { trustedOriginsOf } from '../auth/origins';
import { getConfig } from '../config';
import { toErrorResponse } from './errorResponse';
import { assertSameOrigin } from './origin';

export interface RouteContext<Params> {
  request: Request;
  params: Params;
}

type NextRouteContext<Params> = { params: Promise<Params> };

export function withRoute<Params = Record<string, never>>(
  handler: (context: RouteContext<Params>) => Promise<Response> | Response,
): (request: Request, context: NextRouteContext<Params>) => Promise<Response> {
  return async (request, context) => {
    try {
      assertSameOrigin(request, trustedOriginsOf(getConfig()));
      const params = (await context?.params) ?? ({} as Params);
      return await handler({ request, params });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** Whether the client asked for an SSE stream rather than JSON. */
export function wantsEventStream(request: Request): boolean {
  return (request.headers.get('accept') ?? '').toLowerCase().includes('text/event-stream');
}
