import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livingDemoBriefing } from '../../helpers/demo-briefings.js';
import { expectLivingDemo } from './living-demo-checks.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'living-demo-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the living demo, briefed after 13 weekly runs', () => {
  it.each([
    ['2026-11-26', 'the template date'],
    ['2026-12-01', 'the day the template had aged'],
    ['2027-01-01', 'a month later, a year and a quarter begin'],
    ['2027-12-01', 'a year later'],
    ['2031-12-01', 'five years later'],
    ['2027-03-01', "a month's first day"],
    ['2027-03-31', "a month's last day"],
    ['2027-02-28', "February's last day"],
    ['2026-12-07', 'a Monday'],
    ['2026-12-06', 'a Sunday'],
    ['2028-02-29', 'a leap day'],
    ['2027-07-01', "a quarter's first day"],
    ['2025-06-15', 'before the template date'],
  ])('%s (%s)', async (today) => {
    expectLivingDemo(today, await livingDemoBriefing(root, today));
  });

  it('finds the LTV fall against ~30 days ago and the CAC rise behind cac-up-ltv-down', async () => {
    const { briefing } = await livingDemoBriefing(root, '2026-12-01');
    const risk = briefing.risks.find((r) => r.id === 'cac-up-ltv-down')!;
    expect(risk.message).toMatch(/^CAC rose 42\.8% to \$2,475.* while LTV fell /);
  });
});
