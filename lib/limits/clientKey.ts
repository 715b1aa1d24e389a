/**
 * Who a limit counts against: the signed-in (or anonymous) user, else the client's address. The
 * address is the TCP peer's (the socket), never a header the client wrote, unless the operator
 * says how many proxies in front of the app append to `X-Forwarded-For` (TRUSTED_PROXY_HOPS):
 * then it is the entry that many hops from the right, the one the outermost trusted proxy saw,
 * as Express's numeric `trust proxy` and Rails' trusted proxies count. Entries left of it are
 * whatever the client sent, and rotating them changes nothing.
 *
 * `next start` gives route handlers no socket: it fills `X-Forwarded-For` with the peer's address
 * only when the request has none (`??=`), so a client that sends one hides the socket entirely.
 * The peer is therefore stamped on every request, before Next sees it, by
 * {@link installPeerAddressHeader} (`lib/http/peerAddress.ts`, installed by `instrumentation.ts`)
 * in {@link PEER_ADDRESS_HEADER}, overwriting any copy the client sent.
 */
import { getConfig } from '../config';

/** The header holding the socket's remote address, set by the server itself (a client's copy is overwritten). */
export const PEER_ADDRESS_HEADER = 'x-streamconsole-peer-address';

/** The header Better Auth reads the client's address from: set by the auth route to {@link clientAddressOf}. */
export const CLIENT_ADDRESS_HEADER = 'x-streamconsole-client-address';

/**
 * The client's address: with 0 trusted hops the socket's; with N, the Nth entry from the right of
 * `X-Forwarded-For` (the socket's address counting as entry 0). A chain shorter than N gives its
 * leftmost entry (a request that came around the proxies). Null when unknown (no peer stamped).
 */
export function clientAddressOf(headers: Headers, trustedHops: number): string | null {
  const peer = headers.get(PEER_ADDRESS_HEADER)?.trim() || null;
  if (trustedHops <= 0) return peer;
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer ?? ''];
  const index = Math.max(0, chain.length - 1 - trustedHops);
  return chain[index] || null;
}

/** The key a limit counts this request against: the user, else the client's address. */
export function limitKeyOf(request: Request, userId: string | null | undefined, trustedHops = getConfig().TRUSTED_PROXY_HOPS): string {
  if (userId) return `user:${userId}`;
  return `client:${clientAddressOf(request.headers, trustedHops) ?? 'unknown'}`;
}

/**
 * The request with {@link CLIENT_ADDRESS_HEADER} set to its client's address (removed when
 * unknown, whatever the client sent): what Better Auth's handler is given, so that its rate limits
 * count by the same address as the app's.
 */
export function withClientAddress(request: Request, trustedHops = getConfig().TRUSTED_PROXY_HOPS): Request {
  const headers = new Headers(request.headers);
  const address = clientAddressOf(request.headers, trustedHops);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  else headers.delete(CLIENT_ADDRESS_HEADER);
  return new Request(request, { headers });
}
