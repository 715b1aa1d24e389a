// Writes lib/protocol/envelope.schema.json from the zod schemas: the contract of non-TypeScript producers.
import { writeFileSync } from 'node:fs';
import { envelopeJsonSchema } from '../lib/protocol/jsonSchema';

const path = new URL('../lib/protocol/envelope.schema.json', import.meta.url);
writeFileSync(path, JSON.stringify(envelopeJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.pathname}`);
