/**
 * Who a limit counts against: the signed-in (or anonymous) user, else the client's address for
 * API callers without a session.
 */
export function limitKeyOf(request: Request, userId: string | null | undefined): string {
  if (userId) return `user:${userId}`;
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return `client:${forwarded || request.headers.get('x-real-ip') || 'direct'}`;
}
