// Better Auth's API (sign-in, sign-up, anonymous sign-in, sign-out, session, admin): every
// /api/auth/* request goes to its handler, which checks origins and rate-limits on its own, by
// the client address the app's own limits use (lib/limits/clientKey.ts), never by a header the
// client wrote.
import { getAuth } from '@/lib/auth';
import { withClientAddress } from '@/lib/limits/clientKey';

export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  const auth = await getAuth();
  return auth.handler(withClientAddress(request));
}

export { handle as GET, handle as POST };
