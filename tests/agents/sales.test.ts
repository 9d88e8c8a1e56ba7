import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/agents/contract.js';
import { salesAgent } from '../../src/agents/sales.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

const deal = (
  id: string,
  stage: string,
  amount: string,
  close: string,
  lastActivity: string,
  extra: { probability?: string; delivery_hours?: string } = {},
) => ({
  id,
  name: `${id} deal`,
  account: `Account ${id}`,
  owner: 'Maya Chen',
  stage,
  amount_cents: amount,
  created_on: '2026-09-01',
  close_date: close,
  last_activity_on: lastActivity,
  probability: extra.probability,
  delivery_hours: extra.delivery_hours,
});

const deals = [
  deal('D-007', 'negotiation', '5000000', '2026-11-30', '2026-11-24', { delivery_hours: '80' }),
  deal('D-008', 'proposal', '1000000', '2027-01-20', '2026-11-12'), // idle 14 days: stalled
  deal('D-009', 'Qualified', '2000000', '2026-12-20', '2026-11-13', { probability: '40' }), // idle 13 days
  deal('D-010', 'won', '1500000', '2026-10-10', '2026-10-10'),
  deal('D-011', 'won', '500000', '2026-09-10', '2026-09-10'), // last quarter
  deal('D-012', 'lost', '700000', '2026-11-01', '2026-11-01'),
];
const company = {
  name: 'Test Co',
  quarter: { start: '2026-10-01', end: '2026-12-31', revenue_target_cents: 5000000 },
};

function run(extra: Record<string, unknown> = {}) {
  const input = salesAgent.input.parse({ deals, company, ...extra });
  return AgentResult.parse(salesAgent.compute(input, ctx));
}

describe('sales agent', () => {
  it('counts open deals and values the pipeline; won and lost deals are not open', () => {
    const r = run();
    expect(r.metrics).toEqual({
      openDeals: 3,
      pipelineValue: 80000,
      // 5000000 x 75% + 1000000 x 50% + 2000000 x 40% (stated) = 5050000 cents
      weightedPipeline: 50500,
      stalledDeals: 1,
      winRate: 66.7,
      wonThisQuarter: 15000,
      remainingTarget: 35000,
      pipelineCoverage: 2.29, // 80000 / 35000
      weightedDeliveryHours: 60, // 80h x 75%
    });
  });

  it('fires stalled-deals and pipeline-coverage-low (warning, not critical)', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['sales.stalled-deals', 'warning', 1, 0],
      ['sales.pipeline-coverage-low', 'warning', 2.29, 3],
    ]);
    expect(r.health).toBe(60);
  });

  it('does not fire when thresholds are relaxed or there is no quarter target', () => {
    const r = run({ company: undefined, settings: { thresholds: { stalled_days: 30 } } });
    expect(r.metrics.pipelineCoverage).toBeNull();
    expect(r.metrics.wonThisQuarter).toBeNull();
    expect(r.metrics.stalledDeals).toBe(0);
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
  });

  it('recommends closing deals in proposal/negotiation that close within 14 days, and reviving stalled ones', () => {
    const r = run();
    expect(r.recommendations.map((t) => t.id)).toEqual([
      'sales.close-deal-d-007',
      'sales.revive-deal-d-008',
    ]);
    expect(r.recommendations[0]).toEqual({
      id: 'sales.close-deal-d-007',
      title: 'Close Account D-007 deal ($50K ARR)',
      source: 'sales',
      reason: 'D-007 deal: negotiation, 75% likely, expected to close 2026-11-30; owner Maya Chen.',
      moneyAtStakeCents: 5000000,
      deadline: '2026-11-30',
      energyDemand: 'high',
      tags: ['revenue', 'sales'],
    });
    expect(r.recommendations[1]).toMatchObject({
      moneyAtStakeCents: 1000000,
      deadline: '2027-01-20',
      energyDemand: 'medium',
    });
  });

  it('rejects an unknown stage and a probability above 100', () => {
    const bad = salesAgent.input.safeParse({
      deals: [deal('D-1', 'maybe', '1', '2026-12-01', '2026-11-01')],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['deals', 0, 'stage']);
    const p = salesAgent.input.safeParse({
      deals: [deal('D-1', 'lead', '1', '2026-12-01', '2026-11-01', { probability: '120' })],
    });
    expect(p.error?.issues[0]?.path).toEqual(['deals', 0, 'probability']);
  });
});
