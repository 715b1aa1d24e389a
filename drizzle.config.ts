/**
 * drizzle-kit configuration: `npm run db:generate` diffs lib/db/schema.ts against the snapshots in
 * lib/db/migrations and writes the next SQL migration there. The app applies them at first use
 * (lib/db/client.ts), so no `drizzle-kit migrate` step is needed to deploy.
 */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/db/schema.ts',
  out: './lib/db/migrations',
});
