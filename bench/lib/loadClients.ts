/**
 * The load benchmark's handle on its client processes (`bench/load-client.ts`): forks one, and
 * turns its IPC messages into calls that answer with the matching reply.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../e2e/harness/appServer';
import type { ClientCommand, ClientReply } from '../load-client';

/** A command as the caller writes it: the client wrapper numbers it. */
export type ClientCall = ClientCommand extends infer C ? (C extends ClientCommand ? Omit<C, 'requestId'> : never) : never;

export interface ClientProcess {
  pid: number;
  call<T extends ClientReply>(command: ClientCall): Promise<T>;
  stop(): void;
}

export async function startClient(): Promise<ClientProcess> {
  const child = fork(path.join(ROOT, 'bench', 'load-client.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (reply: ClientReply) => void>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a client process exited with ${code}`)));
    child.once('message', () => resolve());
  });
  child.on('message', (reply: ClientReply) => {
    if (!('requestId' in reply)) return;
    pending.get(reply.requestId)?.(reply);
    pending.delete(reply.requestId);
  });
  return {
    pid: child.pid!,
    call<T extends ClientReply>(command: ClientCall) {
      const requestId = nextId++;
      return new Promise<T>((resolve) => {
        pending.set(requestId, resolve as (reply: ClientReply) => void);
        child.send({ ...command, requestId });
      });
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/** `total` split as evenly as possible over `parts`. */
export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

