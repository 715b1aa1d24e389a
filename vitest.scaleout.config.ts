import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Scale-out integration tests: several production servers (`next build` + `next start`) sharing a
// redis-server and a PostgreSQL, with connections cut, Redis restarted and instances killed.
// Files run one at a time: two cores.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['e2e/scale-out/**/*.test.ts'],
    globalSetup: ['e2e/scale-out/globalSetup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
