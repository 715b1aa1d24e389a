// GET /api/steer/features: the embedded model's SAE features (label, density, top tokens) for the /steer page's search.
import { withRoute } from '@/lib/http/route';
import { tinySteerEngine } from '@/lib/producers/steer/engine';

export const dynamic = 'force-dynamic';

export const GET = withRoute(async () => {
  const features = await tinySteerEngine.loadFeatures();
  return Response.json({ features: features.filter((f) => !f.dead) });
});
