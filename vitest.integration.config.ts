import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// HTTP integration tests: the real production server (`next build` + `next start`) and a fake
// provider server speaking the providers' streaming formats. Files run one at a time: two cores.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['e2e/api/**/*.test.ts', 'e2e/attacks/**/*.test.ts'],
    // The sandbox attacks drive the worker with no server: the unit run has them.
    exclude: ['e2e/attacks/sandbox.test.ts', '**/node_modules/**'],
    globalSetup: ['e2e/harness/globalSetup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
