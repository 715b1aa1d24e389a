/**
 * The route wrapper every handler goes through: it refuses cross-site state changes, awaits the
 * dynamic params, runs the handler and turns whatever it throws into a response in one place. Route bodies stay a few lines:
 * parse, call `lib/`, return.
 */
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
      assertSameOrigin(request);
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
