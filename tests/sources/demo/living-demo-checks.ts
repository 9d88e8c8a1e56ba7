/** What the living demo must show on any date (shared by the fixed-date and property tests). */
import { expect } from 'vitest';
import type { Deal } from '../../../src/contract/datasets/sales.js';
import { addDays } from '../../../src/shared/dates.js';
import type { livingDemoBriefing } from '../../helpers/demo-briefings.js';

/** The seed's three cross-functional risks. */
export const SEED_RISKS = [
  'burnout-with-open-roles',
  'pipeline-exceeds-capacity',
  'cac-up-ltv-down',
] as const;

export function expectLivingDemo(
  today: string,
  demo: Awaited<ReturnType<typeof livingDemoBriefing>>,
): void {
  const { reports, briefing, data } = demo;
  const m = (agent: keyof typeof reports) => reports[agent].metrics;
  // 1. The headline figures, exactly.
  expect(
    {
      mrr: m('finance').mrr,
      arr: m('finance').arr,
      customers: m('finance').customers,
      openDeals: m('sales').openDeals,
      activeProjects: m('operations').activeProjects,
      headcount: m('hr').headcount,
    },
    today,
  ).toEqual({
    mrr: 15000,
    arr: 180000,
    customers: 45,
    openDeals: 12,
    activeProjects: 4,
    headcount: 12,
  });
  // 2. The three seed risks fire (none of them "not evaluated").
  const found = briefing.risks.map((r) => r.id);
  for (const id of SEED_RISKS) expect(found, `${today}: ${id}`).toContain(id);
  // 3. Dated fields at their distance: the Acme deal closes in 4 days, the last complete
  // month has its cash row, this month has movements to compare.
  const deals = (data.inputs.sales as { deals: Deal[] }).deals;
  expect(deals.find((d) => d.id === 'D-001')!.close_date, today).toBe(addDays(today, 4));
  expect(m('finance').revenueLastMonth, today).not.toBeNull();
  // Movements today (a churn, two expansions) give the month to date a quick ratio.
  expect(m('finance').quickRatio, today).toBeGreaterThan(1);
  expect(m('marketing').cacChangePct, today).toBe(42.8);
  expect(m('sales').remainingTarget, today).toBe(68010);
  expect(m('sales').pipelineThisQuarter, today).toBe(168068);
  for (const r of Object.values(reports)) expect(r.status, `${today} ${r.agent}`).toBe('ok');
}
