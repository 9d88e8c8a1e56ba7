/**
 * Writes docs/briefing.schema.json, the JSON Schema of a briefing (`boardroom ... --json`),
 * generated from the zod schema in src/contract/briefing.ts so the two never drift.
 *
 *   npx tsx scripts/briefing-schema.ts
 */
import { writeFile } from 'node:fs/promises';
import { briefingJsonSchema } from '../src/contract/briefing-schema.js';

await writeFile('docs/briefing.schema.json', `${JSON.stringify(briefingJsonSchema(), null, 2)}\n`);
console.log('wrote docs/briefing.schema.json');
