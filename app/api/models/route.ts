// GET /api/models: the models offered in the picker and whether each provider is configured.
import { withRoute } from '@/lib/http/route';
import { defaultModelId, listModels } from '@/lib/models/registry';

export const dynamic = 'force-dynamic';

export const GET = withRoute(() => Response.json({ models: listModels(), defaultModel: defaultModelId(), defaultArcModel: defaultModelId(undefined, 'arc') }));
