import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { addDays } from '../../../src/shared/dates.js';
import { DEMO_TEMPLATE_DATE } from '../../../src/sources/demo/prepare-workspace.js';
import { livingDemoBriefing } from '../../helpers/demo-briefings.js';
import { expectLivingDemo } from './living-demo-checks.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'living-demo-property-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the living demo on any date', () => {
  // ~0.4 s a date (13 weekly runs of the six agents and the CEO step): 25 dates, ~10 s.
  it('shows its headline figures, seed risks and dated fields from a year before to 5 years after the template', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -365, max: 5 * 365 }), async (days) => {
        const today = addDays(DEMO_TEMPLATE_DATE, days);
        expectLivingDemo(today, await livingDemoBriefing(root, today));
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
