import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/agents/contract.js';
import { marketingAgent } from '../../src/agents/marketing.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

const row = (
  month: string,
  channel: string,
  spend: string,
  leads: string,
  mqls: string,
  customers: string,
) => ({
  id: `${month}-${channel}`,
  month,
  channel,
  campaign: `${channel} always-on`,
  spend_cents: spend,
  leads,
  mqls,
  new_customers: customers,
});

const campaigns = [
  row('2026-09', 'paid_search', '100000', '100', '30', '2'),
  row('2026-09', 'paid_social', '50000', '50', '10', '1'),
  row('2026-10', 'paid_search', '120000', '80', '20', '2'),
  row('2026-10', 'paid_social', '90000', '20', '5', '0'),
  // The current month is incomplete and not reported.
  row('2026-11', 'paid_search', '999999', '999', '999', '9'),
];

function run(rows = campaigns) {
  const input = marketingAgent.input.parse({ campaigns: rows });
  return AgentResult.parse(marketingAgent.compute(input, ctx));
}

describe('marketing agent', () => {
  it('reports the last complete month against the month before', () => {
    expect(run().metrics).toEqual({
      spend: 2100,
      leads: 100,
      mqls: 25,
      mqlRate: 25,
      newCustomers: 2,
      cac: 1050,
      cacPrevious: 500,
      cacChangePct: 110,
      leadsChangePct: -33.3,
    });
  });

  it('fires cac-rising as critical above +50% and leads-dropping below -25%', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['marketing.cac-rising', 'critical', 110, 50],
      ['marketing.leads-dropping', 'warning', -33.3, -25],
    ]);
    expect(r.health).toBe(40);
  });

  it('rounds CAC once to the cent and stays quiet when the funnel is steady', () => {
    const r = run([
      row('2026-09', 'content', '100000', '60', '20', '3'),
      row('2026-10', 'content', '100000', '60', '20', '3'),
    ]);
    expect(r.metrics.cac).toBe(333.33);
    expect(r.metrics.cacChangePct).toBe(0);
    expect(r.alerts).toEqual([]);
    expect(r.recommendations).toEqual([]);
    expect(r.health).toBe(100);
  });

  it('recommends reviewing the channel with the worst CAC', () => {
    expect(run().recommendations).toEqual([
      {
        id: 'marketing.review-channel-paid-social',
        title: 'Review paid_social spend (no new customers vs $1,050.00 blended)',
        source: 'marketing',
        reason:
          "paid_social spent $900.00 in 2026-10 for 0 new customers; cut or fix it before next month's budget.",
        moneyAtStakeCents: 1080000,
        deadline: '2026-11-30',
        energyDemand: 'medium',
        tags: ['growth', 'efficiency'],
      },
    ]);
  });

  it('has null CAC without new customers', () => {
    const r = run([row('2026-10', 'events', '50000', '10', '2', '0')]);
    expect(r.metrics.cac).toBeNull();
    expect(r.metrics.cacChangePct).toBeNull();
  });
});
