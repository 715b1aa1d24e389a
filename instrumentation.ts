// Runs once when the server starts (Next.js instrumentation hook): marks runs a previous process
// left unfinished as interrupted, and on SIGTERM/SIGINT ends live runs cleanly so their partial
// output is saved before the process exits.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServer } = await import('./lib/serverLifecycle');
  await startServer();
}
