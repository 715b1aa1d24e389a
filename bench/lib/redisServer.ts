/**
 * A throwaway `redis-server` for the load benchmark's Redis backend: started on a free port with
 * no persistence, asked for its command counts (to confirm the app really talks to it), stopped
 * at the end. Speaks just enough RESP over `node:net` for `INFO`, so the bench needs no client.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../e2e/harness/appServer';

export interface RedisServer {
  url: string;
  pid: number;
  /** `INFO <section>` parsed into key/value pairs. */
  info(section: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** The `redis-server` binary on PATH, or undefined. */
export function findRedisServer(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

/** Sends one command as a RESP array and returns the bulk-string reply. */
function command(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = Buffer.alloc(0);
    socket.setTimeout(5_000, () => socket.destroy(new Error('redis did not answer within 5 s')));
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    socket.on('data', (chunk) => {
      reply = Buffer.concat([reply, chunk]);
      const kind = String.fromCharCode(reply[0] ?? 0);
      const headerEnd = reply.indexOf('\r\n');
      if (headerEnd < 0) return;
      const header = reply.subarray(1, headerEnd).toString('utf8');
      if (kind === '-') {
        socket.destroy();
        reject(new Error(header));
      } else if (kind === '+') {
        socket.end();
        resolve(header);
      } else if (kind === '$' && reply.length >= headerEnd + 2 + Number(header)) {
        socket.end();
        resolve(reply.subarray(headerEnd + 2, headerEnd + 2 + Number(header)).toString('utf8'));
      }
    });
  });
}

export async function startRedisServer(binary: string): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    try {
      if ((await command(port, ['PING'])) === 'PONG') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('redis-server did not answer PING within 10 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    async info(section) {
      const text = await command(port, ['INFO', section]);
      return Object.fromEntries(
        text
          .split('\r\n')
          .filter((line) => line.includes(':') && !line.startsWith('#'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
      );
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
