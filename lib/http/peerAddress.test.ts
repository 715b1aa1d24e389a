import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { PEER_ADDRESS_HEADER } from '../limits/clientKey';
import { installPeerAddressHeader } from './peerAddress';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real HTTP server that answers with the peer header its request listener saw. */
async function echoServer(): Promise<string> {
  const server = http.createServer((request, response) => response.end(String(request.headers[PEER_ADDRESS_HEADER] ?? '(none)')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a server created before installation stamps its requests with the socket address once installed', async () => {
  const url = await echoServer();
  installPeerAddressHeader();
  expect(await (await fetch(url)).text()).toBe('127.0.0.1');
});

test('a copy of the header the client sent is overwritten with the socket address', async () => {
  installPeerAddressHeader();
  const url = await echoServer();
  const response = await fetch(url, { headers: { [PEER_ADDRESS_HEADER]: '198.51.100.77', 'X-Forwarded-For': '198.51.100.77' } });
  expect(await response.text()).toBe('127.0.0.1');
});

test('installing twice stamps once and keeps requests flowing', async () => {
  installPeerAddressHeader();
  installPeerAddressHeader();
  const url = await echoServer();
  expect(await (await fetch(url)).text()).toBe('127.0.0.1');
});
