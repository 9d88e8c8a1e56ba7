import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/agents/contract.js';
import { financeAgent } from '../../src/agents/finance.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

// Rows as the CSV loader gives them: strings, empty cells as undefined.
const sub = (
  id: string,
  customer: string,
  interval: string,
  amount: string,
  status = 'active',
  started = '2025-01-15',
) => ({
  id,
  customer_id: customer,
  customer_name: `Customer ${customer}`,
  plan: 'Growth',
  interval,
  amount_cents: amount,
  status,
  started_on: started,
  canceled_on: status === 'canceled' ? '2026-10-31' : undefined,
});

const subscriptions = [
  sub('s1', 'C1', 'month', '9900'),
  sub('s2', 'C2', 'year', '100000'), // 8333.33 cents a month
  sub('s3', 'C3', 'year', '100000'), // 8333.33 cents a month
  sub('s4', 'C4', 'month', '29900', 'past_due'),
  sub('s5', 'C1', 'quarter', '3000'), // a second subscription of C1
  sub('s6', 'C5', 'month', '50000', 'canceled'),
  sub('s7', 'C6', 'month', '29900', 'trialing'),
  sub('s8', 'C7', 'month', '70000', 'active', '2026-12-01'), // starts after today
];

const cashflow = [
  {
    month: '2026-07',
    cash_in_cents: '0',
    cash_out_cents: '5000000',
    closing_balance_cents: '9000000',
  },
  {
    month: '2026-08',
    cash_in_cents: '100000',
    cash_out_cents: '1100000',
    closing_balance_cents: '8000000',
  },
  {
    month: '2026-09',
    cash_in_cents: '200000',
    cash_out_cents: '1200000',
    closing_balance_cents: '7000000',
  },
  {
    month: '2026-10',
    cash_in_cents: '300000',
    cash_out_cents: '1300000',
    closing_balance_cents: '6500000',
  },
  // Current, partial month: its balance is today's cash, but it is not in the burn average.
  {
    month: '2026-11',
    cash_in_cents: '0',
    cash_out_cents: '500000',
    closing_balance_cents: '6000000',
  },
  // A forecast row after today is ignored.
  { month: '2026-12', cash_in_cents: '0', cash_out_cents: '0', closing_balance_cents: '1' },
];

function run(settings?: unknown) {
  const input = financeAgent.input.parse({ subscriptions, cashflow, settings });
  return AgentResult.parse(financeAgent.compute(input, ctx));
}

describe('finance agent', () => {
  it('normalises annual and quarterly plans to MRR, summing annual cents first and rounding once', () => {
    const r = run();
    // annual cents: 9900*12 + 100000 + 100000 + 29900*12 + 3000*4 = 689600; /12 = 57466.67 -> 57467
    // (rounding each row first would give 57466).
    expect(r.metrics.mrr).toBe(574.67);
    expect(r.metrics.arr).toBe(6896.04); // ARR = MRR x 12
  });

  it('counts paying customers once; canceled, trialing and not-yet-started subscriptions do not count', () => {
    const r = run();
    expect(r.metrics.customers).toBe(4);
    expect(r.metrics.arpa).toBe(143.67); // 57467 / 4 = 14366.75 -> 14367 cents
    expect(r.metrics.pastDueMrr).toBe(299);
  });

  it('computes cash, burn over the last three complete months, and runway', () => {
    const r = run();
    expect(r.metrics.cashBalance).toBe(60000);
    expect(r.metrics.grossBurn).toBe(12000);
    expect(r.metrics.netBurn).toBe(10000);
    expect(r.metrics.runwayMonths).toBe(6);
  });

  it('fires runway-low as a warning at 6 months (critical only below 6) and not past-due under $500', () => {
    const r = run();
    expect(r.alerts).toEqual([
      {
        id: 'finance.runway-low',
        severity: 'warning',
        message: 'Runway is 6 months, below 12 months',
        metric: 'runwayMonths',
        value: 6,
        threshold: 12,
      },
    ]);
    expect(r.health).toBe(80);
    expect(r.healthReason).toBe('1 warning: Runway is 6 months, below 12 months');
  });

  it('takes thresholds from finance.yaml', () => {
    const r = run({ thresholds: { runway_months_warning: 3, past_due_mrr_max: '100' } });
    expect(r.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['finance.past-due-mrr', 'warning', 299, 100],
    ]);
    expect(() =>
      financeAgent.input.parse({
        subscriptions,
        cashflow,
        settings: { thresholds: { runway: 3 } },
      }),
    ).toThrow(/Unrecognized key/);
    // An empty YAML file (null) keeps the defaults.
    expect(run(null).alerts.map((a) => a.id)).toEqual(['finance.runway-low']);
  });

  it('recommends collecting each past-due subscription', () => {
    const task = run().recommendations.find((t) => t.id === 'finance.collect-s4');
    expect(task).toEqual({
      id: 'finance.collect-s4',
      title: 'Collect past-due payment from Customer C4 ($3.6K ARR)',
      source: 'finance',
      reason: 'Subscription s4 (Growth, $299.00 per month) is past due; unpaid, it churns.',
      moneyAtStakeCents: 358800,
      deadline: '2026-12-03',
      energyDemand: 'low',
      tags: ['revenue', 'cash', 'retention'],
    });
    const runway = run().recommendations.find((t) => t.id === 'finance.extend-runway');
    expect(runway?.deadline).toBe('2026-12-15');
    expect(runway?.moneyAtStakeCents).toBeUndefined();
  });

  it('reports no runway (null) when not burning, and no alert', () => {
    const flat = [
      {
        month: '2026-10',
        cash_in_cents: '500000',
        cash_out_cents: '400000',
        closing_balance_cents: '100',
      },
    ];
    const input = financeAgent.input.parse({ subscriptions: [], cashflow: flat });
    const r = AgentResult.parse(financeAgent.compute(input, ctx));
    expect(r.metrics).toMatchObject({
      mrr: 0,
      arr: 0,
      customers: 0,
      arpa: null,
      runwayMonths: null,
    });
    expect(r.metrics.netBurn).toBe(-1000);
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
  });

  it('rejects non-integer cents with the row and column in the issue path', () => {
    const bad = financeAgent.input.safeParse({
      subscriptions: [sub('s1', 'C1', 'month', '12.5')],
      cashflow: [],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['subscriptions', 0, 'amount_cents']);
    const dup = financeAgent.input.safeParse({
      subscriptions: [sub('s1', 'C1', 'month', '100'), sub('s1', 'C2', 'month', '100')],
      cashflow: [],
    });
    expect(dup.error?.issues[0]?.path).toEqual(['subscriptions', 1, 'id']);
  });
});
