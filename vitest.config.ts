import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit tests: beside the code they test, no server, no browser.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)), 'server-only': fileURLToPath(new URL('./lib/testing/serverOnly.ts', import.meta.url)) } },
  test: {
    include: ['lib/**/*.test.ts', 'stores/**/*.test.ts', 'components/**/*.test.ts', 'e2e/fake-providers/**/*.test.ts'],
    environment: 'node',
  },
});
