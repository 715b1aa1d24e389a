/**
 * Stamps the socket's remote address on every HTTP request the process serves, in
 * `PEER_ADDRESS_HEADER`, before Next.js sees the request. Route handlers under `next start` get a
 * web `Request` with no socket and no `ip`; Next itself puts the peer in `X-Forwarded-For` only
 * when the client sent none, so without this a client that writes the header decides the address
 * every limit counts by.
 *
 * It wraps `emit` of `http.Server` and `https.Server`, the call through which Node hands each
 * parsed request to the server's `request` listener (Next's request handler). A client's own copy
 * of the header is overwritten (or removed when the socket has no address), never trusted.
 * Installed once, from `instrumentation.ts`; requests that arrive before it are stamped with
 * nothing, and count as one unknown client.
 */
import http from 'node:http';
import https from 'node:https';
import { PEER_ADDRESS_HEADER } from '../limits/clientKey';

const INSTALLED = Symbol.for('streamconsole.peerAddressHeader');

/** Writes the socket's address into the request's headers, replacing whatever the client sent there. */
export function stampPeerAddress(request: http.IncomingMessage): void {
  const address = request.socket?.remoteAddress;
  if (address) request.headers[PEER_ADDRESS_HEADER] = address;
  else delete request.headers[PEER_ADDRESS_HEADER];
}

/** Makes every `http.Server` and `https.Server` of this process stamp the peer's address on its requests. */
export function installPeerAddressHeader(): void {
  for (const Server of [http.Server, https.Server]) {
    const prototype = Server.prototype as http.Server & { [INSTALLED]?: true };
    if (prototype[INSTALLED]) continue;
    const emit = prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
    prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'request' || event === 'checkContinue' || event === 'checkExpectation') stampPeerAddress(args[0] as http.IncomingMessage);
      return emit.call(this, event, ...args);
    } as typeof prototype.emit;
    prototype[INSTALLED] = true;
  }
}
