import { defineConfig } from '@playwright/test';

// Browser specs in Debian's Chromium (a Playwright browser download is not possible here),
// against the production server started by the global setup.
export default defineConfig({
  testDir: 'e2e/browser',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/browser/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '.tmp/playwright',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
