/**
 * A TCP proxy on loopback that tests can cut: every open connection is destroyed at once, the
 * way a dropped network or a sleeping laptop drops a stream, while new connections go through.
 * Given several targets it is a round-robin load balancer: each new connection goes to the next.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface TcpProxy {
  url: string;
  port: number;
  /** Destroys every open connection; returns how many were cut. */
  cutAll(): number;
  /** How many connections have been accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export interface ProxyTarget {
  host: string;
  port: number;
}

export async function startTcpProxy(targets: ProxyTarget | ProxyTarget[]): Promise<TcpProxy> {
  const upstreams = Array.isArray(targets) ? targets : [targets];
  const open = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    const target = upstreams[accepted % upstreams.length]!;
    accepted += 1;
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cutAll() {
      const count = open.size / 2;
      for (const socket of open) socket.destroy();
      open.clear();
      return count;
    },
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
