// Better Auth's API (sign-in, sign-up, anonymous sign-in, sign-out, session, admin): every
// /api/auth/* request goes to its handler, which checks origins and rate-limits on its own.
import { getAuth } from '@/lib/auth';

export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  const auth = await getAuth();
  return auth.handler(request);
}

export { handle as GET, handle as POST };
