/**
 * Starts the benchmarks' raw `node:http` SSE baseline (`bench/raw-sse-server.ts`) in a process of
 * its own and waits for the port it prints; `bench:relay` and `bench:load` both measure against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, serverNodeFlags } from '../../e2e/harness/appServer';

export interface RawSseServer {
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
}

export async function startRawSseServer(options: { mode: 'direct' | 'pipe' | 'hub'; preload?: string[]; env?: Record<string, string> }): Promise<RawSseServer> {
  const imports = ['tsx', ...(options.preload ?? [])].flatMap((module) => ['--import', module]);
  // The same Node flags as the app's server, so that the comparison is of the code, not the runtime's settings.
  const child: ChildProcess = spawn(process.execPath, [...serverNodeFlags(), ...imports, path.join(ROOT, 'bench', 'raw-sse-server.ts'), '--mode', options.mode], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the baseline server exited with ${code}`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { listening: number }).listening));
  });
  return {
    port,
    pid: child.pid!,
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
