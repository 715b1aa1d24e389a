import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests: beside the code they test, no server, no browser; and the sandbox attacks, which
// drive the real worker with no server (e2e/attacks/ also holds server attacks: integration config).
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)), 'server-only': fileURLToPath(new URL('./lib/testing/serverOnly.ts', import.meta.url)) } },
  test: {
    include: ['lib/**/*.test.ts', 'stores/**/*.test.ts', 'components/**/*.test.ts', 'e2e/fake-providers/**/*.test.ts', 'e2e/attacks/sandbox.test.ts'],
    environment: 'node',
  },
});
