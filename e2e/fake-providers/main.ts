/**
 * CLI entry for the fake provider server, for Playwright runs and manual poking:
 *
 *   npx tsx e2e/fake-providers/main.ts --port 4010     (or FAKE_PROVIDERS_PORT=4010)
 *
 * Prints `fake providers listening on http://127.0.0.1:N` once it accepts connections, and
 * closes cleanly on SIGINT / SIGTERM.
 */
import { startFakeProviders } from './server';

function parsePort(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const flag = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  const raw =
    flag === -1
      ? env.FAKE_PROVIDERS_PORT
      : argv[flag]?.startsWith('--port=')
        ? argv[flag]?.slice('--port='.length)
        : argv[flag + 1];
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port: ${raw}`);
  }
  return port;
}

async function main(): Promise<void> {
  const fake = await startFakeProviders({ port: parsePort(process.argv.slice(2), process.env) });
  console.log(`fake providers listening on ${fake.url}`);
  const stop = () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
