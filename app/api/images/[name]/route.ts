// GET /api/images/:name: a PNG the Saturn worker drew, by content hash (`<sha256>.png`).
// Immutable: the name is the hash of the bytes. 404 for malformed or unknown names.
import { AppError } from '@/lib/errors';
import { withRoute } from '@/lib/http/route';
import { readImage } from '@/lib/images/store';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ name: string }>(async ({ request, params }) => {
  const image = await readImage(params.name);
  if (!image) throw new AppError('not_found:image', 'No such image.');
  const etag = `"${params.name.slice(0, 64)}"`;
  const headers = {
    'Content-Type': 'image/png',
    'Cache-Control': 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    ETag: etag,
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(image), { headers: { ...headers, 'Content-Length': String(image.length) } });
});
