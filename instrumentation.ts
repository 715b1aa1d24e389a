// Runs once when the server starts (Next.js instrumentation hook): starts OpenTelemetry (OTLP
// export when OTEL_EXPORTER_OTLP_ENDPOINT is set), checks the configuration the server cannot
// run without (exiting with the reason, so a misconfigured server never starts answering 500s),
// marks runs a previous process left unfinished as interrupted, and on SIGTERM/SIGINT ends live
// runs cleanly so their partial output is saved. First of all it makes the HTTP server stamp
// each request with its socket's address (lib/http/peerAddress.ts): limits count by it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerAddressHeader } = await import('./lib/http/peerAddress');
  installPeerAddressHeader();
  const { getConfig } = await import('./lib/config');
  const { startTelemetry } = await import('./lib/telemetry/start');
  const telemetry = startTelemetry(getConfig());
  const { startServer } = await import('./lib/serverLifecycle');
  try {
    await startServer({ onShutdown: () => telemetry.shutdown() });
  } catch (error) {
    console.error(`[startup] cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
