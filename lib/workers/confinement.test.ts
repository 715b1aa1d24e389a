import { expect, test } from 'vitest';
import { bubblewrapArgv, missingLayers } from './confinement';

const HELLO = {
  namespaces: ['pid', 'net', 'ipc', 'mnt', 'uts'],
  uid: 65534,
  gid: 65534,
  noNewPrivs: true,
  seccomp: 'allowlist:x86_64',
  rlimits: ['cpu', 'as', 'fsize', 'core', 'nproc', 'nofile'],
  env: 'clear',
};

test('a hello naming every layer is accepted', () => {
  expect(missingLayers(HELLO)).toEqual([]);
});

test('a hello without a namespace, as root, with a deny-list filter or no hello at all is refused, naming what is missing', () => {
  expect(missingLayers({ ...HELLO, namespaces: ['pid', 'ipc', 'mnt', 'uts'] })).toEqual(['namespace net']);
  expect(missingLayers({ ...HELLO, uid: 0 })).toEqual(['uid']);
  expect(missingLayers({ ...HELLO, seccomp: 'denylist' })).toEqual(['seccomp']);
  expect(missingLayers(undefined)).toEqual(['hello']);
});

test('the bubblewrap command unshares pid, net, ipc and uts, clears the environment and mounts nothing writable', () => {
  const argv = bubblewrapArgv([process.execPath, '-I', '/srv/app/python/grover/sandbox_worker.py']);
  for (const flag of ['--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--clearenv']) expect(argv).toContain(flag);
  expect(argv.filter((arg) => ['--bind', '--tmpfs', '--dev-bind', '--bind-try'].includes(arg))).toEqual([]);
  expect(argv.slice(argv.indexOf('--') + 1)).toEqual([argv[argv.indexOf('--') + 1], '-I', '/srv/app/python/grover/sandbox_worker.py']);
});
