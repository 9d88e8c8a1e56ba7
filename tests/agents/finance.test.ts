import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/contract/report.js';
import { financeAgent, productRatioRound } from '../../src/agents/finance/index.js';
import { mrrMovements } from '../../src/agents/finance-mrr.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

/** Every metric is a finite number or null: no NaN, no Infinity. */
function expectFiniteOrNull(metrics: Record<string, number | null>) {
  for (const [key, value] of Object.entries(metrics)) {
    if (value !== null) expect(Number.isFinite(value), key).toBe(true);
  }
}

// Rows as the CSV loader gives them: strings, empty cells as undefined.
let seq = 0;
const sub = (
  customer: string,
  interval: string,
  amount: string,
  started: string,
  canceled?: string,
  status = canceled && canceled <= '2026-11-26' ? 'canceled' : 'active',
) => ({
  id: `s${++seq}`,
  customer_id: customer,
  customer_name: `Customer ${customer}`,
  plan: 'Growth',
  interval,
  amount_cents: amount,
  status,
  started_on: started,
  canceled_on: canceled,
});

// Annual cents in the comments: monthly x 12, quarterly x 4, yearly x 1.
const subscriptions = [
  sub('C1', 'month', '10000', '2025-01-15'), // 120000, steady
  sub('C2', 'year', '100000', '2025-03-01'), // 100000, steady
  sub('C3', 'month', '20000', '2026-11-10'), // new in November: 240000
  sub('C4', 'month', '5000', '2025-06-01', '2026-11-05'), // 60000 ...
  sub('C4', 'month', '8000', '2026-11-05'), // ... plan change to 96000 the same day: expansion 36000
  sub('C5', 'year', '120000', '2025-02-01', '2026-11-15'), // 120000 ...
  sub('C5', 'month', '6000', '2026-11-15'), // ... down to 72000: contraction 48000
  sub('C6', 'month', '7000', '2025-05-01', '2026-11-20'), // churn 84000
  sub('C7', 'month', '3000', '2025-01-01', '2026-06-01'), // left in June ...
  sub('C7', 'month', '3000', '2026-11-03'), // ... back in November: reactivation 36000
  sub('C8', 'month', '4000', '2025-01-01', '2026-11-08'), // churn 48000 on 11-08 ...
  sub('C8', 'month', '4500', '2026-11-18'), // ... and reactivation 54000 on 11-18, same month
  sub('C9', 'month', '29900', '2025-04-01', undefined, 'past_due'), // 358800, paying but past due
  sub('C10', 'month', '5000', '2026-11-01', undefined, 'trialing'), // a trial never counts
  sub('C11', 'month', '70000', '2026-12-01'), // starts after today
  sub('C12', 'month', '9000', '2025-01-01', '2026-10-15'), // churned in October: 108000
  sub('C13', 'quarter', '3000', '2025-01-15'), // 12000, steady
];

const month = (
  m: string,
  cashIn: string,
  cashOut: string,
  closing: string,
  extra: { refunds?: string; revenue?: string; cost?: string } = {},
) => ({
  month: m,
  cash_in_cents: cashIn,
  refunds_cents: extra.refunds,
  cash_out_cents: cashOut,
  revenue_cents: extra.revenue,
  cost_of_revenue_cents: extra.cost,
  closing_balance_cents: closing,
});

const cashflow = [
  month('2026-07', '0', '5000000', '9000000'), // outside the last 3 complete months
  month('2026-08', '100000', '1100000', '8000000', { revenue: '90000', cost: '20000' }),
  month('2026-09', '200000', '1200000', '7000000', { revenue: '90000', cost: '20000' }),
  month('2026-10', '300000', '1600000', '6500000', {
    refunds: '10000',
    revenue: '100000',
    cost: '25000',
  }),
  // Current, partial month: its balance is today's cash; not in burn or margin.
  month('2026-11', '0', '500000', '6000000'),
  // A forecast row after today is ignored.
  month('2026-12', '0', '0', '1'),
];

function run(
  opts: { subs?: unknown[]; cash?: unknown[]; settings?: unknown; today?: string } = {},
) {
  const input = financeAgent.input.parse({
    subscriptions: opts.subs ?? subscriptions,
    cashflow: opts.cash ?? cashflow,
    settings: opts.settings,
  });
  const c = opts.today ? { ...ctx, today: opts.today } : ctx;
  const r = AgentResult.parse(financeAgent.compute(input, c));
  expectFiniteOrNull(r.metrics);
  return r;
}

describe('finance agent: recurring revenue', () => {
  it('computes MRR, ARR, customers and ARPA from the rows paying today', () => {
    const r = run();
    // Paying today (annual cents): C1 120000 + C2 100000 + C3 240000 + C4 96000 + C5 72000
    // + C7 36000 + C8 54000 + C9 358800 + C13 12000 = 1088800; / 12 = 90733.33 -> 90733.
    expect(r.metrics.mrr).toBe(907.33);
    expect(r.metrics.arr).toBe(10887.96); // 90733 x 12 = 1088796 cents
    expect(r.metrics.customers).toBe(9); // C6 churned, C10 trialing, C11 not started, C12 gone
    expect(r.metrics.arpa).toBe(100.81); // 90733 / 9 = 10081.4 -> 10081 cents
    expect(r.metrics.pastDueMrr).toBe(299); // C9: 358800 / 12
  });

  it('breaks the month to date into new, expansion, reactivation, contraction and churn', () => {
    const r = run();
    // Start = paying on 2026-10-31: C1 120000 + C2 100000 + C4 60000 + C5 120000 + C6 84000
    // + C8 48000 + C9 358800 + C13 12000 = 902800 annual; / 12 = 75233.33 -> 75233 cents.
    expect(r.metrics).toMatchObject({
      mrrStart: 752.33,
      mrrNew: 200, // C3 240000 / 12
      mrrExpansion: 30, // C4 36000 / 12
      mrrReactivation: 75, // C7 36000 + C8 54000 = 90000; / 12
      mrrContraction: 40, // C5 48000 / 12
      mrrChurn: 110, // C6 84000 + C8 48000 = 132000; / 12
      netNewMrr: 155, // 200 + 30 + 75 - 40 - 110
      mrrGrowthPct: 20.6, // 15500 / 75233 = 20.6027%
      grossMrrChurnPct: 19.94, // (4000 + 11000) / 75233 = 19.938%
      newCustomers: 1, // C3
      reactivatedCustomers: 2, // C7, C8
      churnedCustomers: 2, // C6, C8 (C8 churned and came back within the month)
      quickRatio: 1.53, // (20000 + 3000) / (4000 + 11000) = 1.5333
    });
    // Reconciliation: start + net new = end, to the cent.
    expect(75233 + 15500).toBe(90733);
  });

  it('reports the last complete month too', () => {
    const r = run();
    // October: start (2026-09-30) = 902800 + C12 108000 = 1010800 annual -> 84233 cents; C12 churns.
    expect(r.metrics).toMatchObject({
      mrrStartLastMonth: 842.33,
      mrrNewLastMonth: 0,
      mrrExpansionLastMonth: 0,
      mrrReactivationLastMonth: 0,
      mrrContractionLastMonth: 0,
      mrrChurnLastMonth: 90, // 108000 / 12
      netNewMrrLastMonth: -90,
      mrrGrowthPctLastMonth: -10.68, // -9000 / 84233
      grossMrrChurnPctLastMonth: 10.68,
    });
  });

  it('treats a same-day plan switch as expansion or contraction, never churn plus new', () => {
    const m = mrrMovements(
      financeAgent.input.parse({ subscriptions, cashflow: [] }).subscriptions,
      '2026-11-01',
      '2026-11-26',
    );
    expect(m.events.filter((e) => e.customerId === 'C4')).toEqual([
      {
        date: '2026-11-05',
        customerId: 'C4',
        kind: 'expansion',
        annualCents: 36000,
        before: 60000,
        after: 96000,
      },
    ]);
    expect(m.events.filter((e) => e.customerId === 'C8').map((e) => [e.date, e.kind])).toEqual([
      ['2026-11-08', 'churn'],
      ['2026-11-18', 'reactivation'],
    ]);
  });

  it('normalises annual and quarterly plans by summing annual cents first and rounding once', () => {
    const subs = [
      sub('A', 'month', '9900', '2025-01-15'), // 118800
      sub('B', 'year', '100000', '2025-01-15'), // 100000 (8333.33 a month)
      sub('C', 'year', '100000', '2025-01-15'), // 100000 (8333.33 a month)
      sub('D', 'quarter', '3000', '2025-01-15'), // 12000
    ];
    const r = run({ subs });
    // 330800 / 12 = 27566.67 -> 27567; rounding each row first would give 9900 + 8333 + 8333 + 1000 = 27566.
    expect(r.metrics.mrr).toBe(275.67);
    expect(r.metrics.arr).toBe(3308.04); // 27567 x 12
  });

  it('rounds movements so they still reconcile when annual plans do not divide by 12', () => {
    const subs = [
      sub('A', 'year', '100000', '2025-01-15'), // 8333.33 a month
      sub('B', 'year', '100000', '2026-11-10'), // new: 8333.33 a month
    ];
    const r = run({ subs });
    // start 100000 -> 8333; end 200000 -> 16667; new = 16667 - 8333 = 8334 (one cent more than 8333.33 alone).
    expect(r.metrics).toMatchObject({
      mrrStart: 83.33,
      mrrNew: 83.34,
      netNewMrr: 83.34,
      mrr: 166.67,
    });
  });

  it('has no NaN or Infinity with no customers: zero MRR, null ratios', () => {
    const r = run({ subs: [] });
    expect(r.metrics).toMatchObject({
      mrr: 0,
      arr: 0,
      customers: 0,
      arpa: null,
      mrrStart: 0,
      netNewMrr: 0,
      mrrGrowthPct: null,
      grossMrrChurnPct: null,
      quickRatio: null,
      monthlyRevenueChurnPct: null,
      ltv: null,
    });
    expect(r.alerts.map((a) => a.id)).not.toContain('finance.churn-spike');
  });
});

describe('finance agent: cash, burn, margin and LTV', () => {
  it('computes cash, burn over the last three complete months, and runway', () => {
    const r = run();
    expect(r.metrics).toMatchObject({
      cashBalance: 60000, // the November row (today's month)
      grossBurn: 13000, // (1100000 + 1200000 + 1600000) / 3
      // net burn = cash out + refunds - cash in: Aug 1000000, Sep 1000000, Oct 1310000
      netBurn: 11033.33, // 3310000 / 3 = 1103333.33 -> 1103333 cents
      runwayMonths: 5.4, // 6000000 / 1103333 = 5.44
      netBurnLastMonth: 13100,
      netBurnChangePct: 31, // (1310000 - 1000000) / 1000000
    });
  });

  it('computes gross margin on revenue net of refunds, and LTV', () => {
    const r = run();
    // Aug..Oct: revenue 280000 - refunds 10000 = 270000; cost 65000; profit 205000.
    expect(r.metrics.grossMarginPct).toBe(75.93); // 205000 / 270000 = 75.926%
    expect(r.metrics.revenueLastMonth).toBe(900); // (100000 - 10000) / 100
    expect(r.metrics.refundsLastMonth).toBe(100);
    // Monthly revenue churn, Aug..Oct: starts 1010800 x 3 = 3032400 annual; lost: C12 108000.
    expect(r.metrics.monthlyRevenueChurnPct).toBe(3.56); // 108000 / 3032400 = 3.5615%
    // LTV = ARPA x margin / churn = 10081 x (205000 / 270000) / (108000 / 3032400) = 214909.91 cents
    expect(r.metrics.ltv).toBe(2149.1);
  });

  it('lets refunds lower cash and revenue, never MRR', () => {
    const noRefund = cashflow.map((m) => ({ ...m, refunds_cents: undefined }));
    const a = run({ cash: noRefund });
    const b = run();
    expect(a.metrics.mrr).toBe(b.metrics.mrr);
    expect(a.metrics.netNewMrr).toBe(b.metrics.netNewMrr);
    expect(a.metrics.netBurn).toBe(11000); // (1000000 + 1000000 + 1300000) / 3: the refund of 10000 is gone
    expect(a.metrics.grossMarginPct).toBe(76.79); // 215000 / 280000
    expect(a.metrics.grossBurn).toBe(b.metrics.grossBurn); // spending does not include refunds
  });

  it('reports runway as null when not burning, and burn change as null on a zero-burn month', () => {
    const flat = [
      month('2026-09', '400000', '400000', '100'), // zero net burn
      month('2026-10', '500000', '400000', '100'), // cash-generating
    ];
    const r = run({ subs: [], cash: flat });
    expect(r.metrics).toMatchObject({
      runwayMonths: null,
      netBurn: -500, // (0 - 100000) / 2 cents
      netBurnChangePct: null, // no change against a month that did not burn
      grossMarginPct: null, // no revenue columns
      ltv: null,
    });
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
    expect(r.healthReason).toBe(
      'Finance within thresholds: MRR $0 (net new $0 this month), runway not limited (not burning)',
    );
  });

  it('reports null burn, cash and margin without cash-flow rows', () => {
    const r = run({ cash: [] });
    expect(r.metrics).toMatchObject({
      cashBalance: null,
      grossBurn: null,
      netBurn: null,
      runwayMonths: null,
      netBurnLastMonth: null,
      grossMarginPct: null,
      ltv: null,
      revenueLastMonth: null,
      refundsLastMonth: null,
    });
  });

  it('rounds exact ratios half away from zero', () => {
    expect(productRatioRound([1, 5], [2])).toBe(3); // 2.5 -> 3
    expect(productRatioRound([-5], [2])).toBe(-3);
    expect(productRatioRound([7], [0])).toBeNull();
    // Beyond 2^53 the product stays exact: (2^40 x 3^20) / 3^20.
    expect(productRatioRound([2 ** 40, 3 ** 20], [3 ** 20])).toBe(2 ** 40);
  });
});

describe('finance agent: alerts', () => {
  it('fires runway (critical), burn increase and churn spike on the main fixture', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.metric, a.value, a.threshold])).toEqual([
      ['finance.runway-low', 'critical', 'runwayMonths', 5.4, 6],
      ['finance.burn-increase', 'warning', 'netBurnChangePct', 31, 20],
      // threshold = max(2, 2 x 3.56) = 7.12
      ['finance.churn-spike', 'warning', 'grossMrrChurnPct', 19.94, 7.12],
    ]);
    expect(r.alerts[0]!.message).toBe('Runway is 5.4 months, below 6 months');
    expect(r.alerts[1]!.message).toBe(
      'Net burn rose 31% in 2026-10 ($10,000 to $13,100), above 20%',
    );
    expect(r.alerts[2]!.message).toBe(
      'Gross MRR churn this month is 19.94% ($150 of $752.33), above 7.12% (2x the 3-month average of 3.56%, at least 2%)',
    );
    expect(r.health).toBe(20); // 100 - 40 - 20 - 20
    expect(r.healthReason).toBe('1 critical, 2 warnings: Runway is 5.4 months, below 6 months');
  });

  it('fires negative net new MRR and stays silent when it is positive', () => {
    // Without C3 (the only new customer): net new = 15500 - 20000 = -4500 cents.
    const r = run({ subs: subscriptions.filter((s) => s.customer_id !== 'C3') });
    const alert = r.alerts.find((a) => a.id === 'finance.net-new-mrr-negative');
    expect(alert).toEqual({
      id: 'finance.net-new-mrr-negative',
      severity: 'warning',
      message:
        'Net new MRR this month is -$45 (new $0, expansion $30, reactivation $75, contraction $40, churn $110), below $0',
      metric: 'netNewMrr',
      value: -45,
      threshold: 0,
    });
    expect(run().alerts.map((a) => a.id)).not.toContain('finance.net-new-mrr-negative');
  });

  it('fires burn increase as critical above 50%, and not at all below 20%', () => {
    const steep = cashflow.map((m) =>
      m.month === '2026-10' ? { ...m, cash_out_cents: '1800000' } : m,
    ); // Oct net burn 1510000 vs 1000000: +51%
    expect(
      run({ cash: steep }).alerts.find((a) => a.id === 'finance.burn-increase')?.severity,
    ).toBe('critical');
    const mild = cashflow.map((m) =>
      m.month === '2026-10' ? { ...m, cash_out_cents: '1300000' } : m,
    ); // +1%
    expect(run({ cash: mild }).alerts.map((a) => a.id)).not.toContain('finance.burn-increase');
  });

  it('does not fire a churn spike when this month churns like the last three', () => {
    const calm = subscriptions.filter((s) => !['C5', 'C6', 'C8'].includes(s.customer_id));
    const r = run({ subs: calm });
    expect(r.metrics.grossMrrChurnPct).toBe(0);
    expect(r.alerts.map((a) => a.id)).not.toContain('finance.churn-spike');
  });

  it('fires past-due MRR above its threshold, from finance.yaml', () => {
    const r = run({
      settings: { thresholds: { past_due_mrr_max: '100', runway_months_critical: 3 } },
    });
    expect(r.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['finance.runway-low', 'warning', 5.4, 12],
      ['finance.burn-increase', 'warning', 31, 20],
      ['finance.churn-spike', 'warning', 19.94, 7.12],
      ['finance.past-due-mrr', 'warning', 299, 100],
    ]);
    expect(run().alerts.map((a) => a.id)).not.toContain('finance.past-due-mrr');
    expect(() =>
      financeAgent.input.parse({
        subscriptions,
        cashflow,
        settings: { thresholds: { runway: 3 } },
      }),
    ).toThrow(/Unrecognized key/);
    // An empty YAML file (null) keeps the defaults.
    expect(run({ settings: null }).alerts).toEqual(run().alerts);
  });
});

describe('finance agent: recommendations', () => {
  it('recommends collecting past-due payments, winning back churned customers, runway and spending', () => {
    const r = run();
    expect(r.recommendations.map((t) => t.id)).toEqual([
      'finance.collect-s13',
      'finance.win-back-c6', // C8 churned too, but is paying again
      'finance.extend-runway',
      'finance.review-spending',
    ]);
    expect(r.recommendations[0]).toEqual({
      id: 'finance.collect-s13',
      title: 'Collect past-due payment from Customer C9 ($3.6K ARR)',
      source: 'finance',
      subject: 'account:customer c9',
      reason: 'Subscription s13 (Growth, $299 per month) is past due; unpaid, it churns.',
      moneyAtStakeCents: 358800,
      deadline: '2026-12-03',
      energyDemand: 'low',
      tags: ['revenue', 'cash', 'retention'],
    });
    expect(r.recommendations[1]).toEqual({
      id: 'finance.win-back-c6',
      title: 'Win back Customer C6 ($840 ARR churned 2026-11-20)',
      source: 'finance',
      subject: 'account:customer c6',
      reason: 'Customer C6 stopped paying on 2026-11-20: $70 MRR lost this month.',
      moneyAtStakeCents: 84000,
      deadline: '2026-12-10',
      energyDemand: 'medium',
      tags: ['revenue', 'retention'],
    });
    const runway = r.recommendations[2]!;
    expect(runway.deadline).toBe('2026-12-15');
    expect(runway.moneyAtStakeCents).toBeUndefined();
    expect(r.recommendations[3]).toMatchObject({
      title: 'Review spending: net burn up 31% in 2026-10',
      deadline: '2026-12-03',
      tags: ['cash'],
    });
    expect(r.recommendations[3]!.moneyAtStakeCents).toBeUndefined();
  });
});

describe('finance agent: currency', () => {
  it("writes amounts in the company's currency (EUR: €)", () => {
    const input = financeAgent.input.parse({ subscriptions, cashflow });
    const r = AgentResult.parse(financeAgent.compute(input, { ...ctx, currency: 'EUR' }));
    expect(r.metrics).toEqual(run().metrics);
    expect(r.alerts[1]!.message).toBe(
      'Net burn rose 31% in 2026-10 (€10,000 to €13,100), above 20%',
    );
    expect(r.recommendations[0]!.title).toBe(
      'Collect past-due payment from Customer C9 (€3.6K ARR)',
    );
    expect(r.recommendations[0]!.reason).toContain('€299 per month');
    const text = JSON.stringify([r.alerts, r.recommendations, r.healthReason]);
    expect(text).not.toContain('$');
  });
});

describe('finance agent: validation', () => {
  it('rejects non-integer cents and duplicate ids with the row and column in the issue path', () => {
    const bad = financeAgent.input.safeParse({
      subscriptions: [{ ...sub('C1', 'month', '12.5', '2025-01-01'), id: 's1' }],
      cashflow: [],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['subscriptions', 0, 'amount_cents']);
    const dup = financeAgent.input.safeParse({
      subscriptions: [
        { ...sub('C1', 'month', '100', '2025-01-01'), id: 's1' },
        { ...sub('C2', 'month', '100', '2025-01-01'), id: 's1' },
      ],
      cashflow: [],
    });
    expect(dup.error?.issues[0]?.path).toEqual(['subscriptions', 1, 'id']);
  });

  it('needs canceled_on for a canceled row, and after started_on', () => {
    const noDate = financeAgent.input.safeParse({
      subscriptions: [{ ...sub('C1', 'month', '100', '2025-01-01'), status: 'canceled' }],
      cashflow: [],
    });
    expect(noDate.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [
        ['subscriptions', 0, 'canceled_on'],
        'required when status is canceled: the date the cancellation took effect',
      ],
    ]);
    const backwards = financeAgent.input.safeParse({
      subscriptions: [sub('C1', 'month', '100', '2025-01-01', '2025-01-01')],
      cashflow: [],
    });
    expect(backwards.error?.issues[0]?.path).toEqual(['subscriptions', 0, 'canceled_on']);
    expect(backwards.error?.issues[0]?.message).toBe(
      'must be after started_on (2025-01-01), got "2025-01-01"',
    );
  });

  it('rejects negative refunds in the cash flow', () => {
    const bad = financeAgent.input.safeParse({
      subscriptions: [],
      cashflow: [month('2026-10', '1', '1', '1', { refunds: '-5' })],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['cashflow', 0, 'refunds_cents']);
  });
});
