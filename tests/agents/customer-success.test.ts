import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/contract/report.js';
import {
  CUSTOMER_SUCCESS_THRESHOLDS,
  customerSuccessAgent,
  netPromoterScore,
} from '../../src/agents/customer-success/index.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

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

// ARR (annual cents) today and on 2026-10-31 (the start of the month to date).
const subscriptions = [
  sub('A1', 'year', '1200000', '2025-12-10'), // 1200000 both
  sub('A2', 'month', '50000', '2025-06-01', undefined, 'past_due'), // 600000 both; payment failing
  sub('A3', 'month', '80000', '2025-03-01', '2026-11-15'), // 960000 at the start ...
  sub('A3', 'month', '100000', '2026-11-15'), // ... 1200000 now: expansion
  sub('A4', 'month', '20000', '2025-01-15'), // 240000 both
  sub('A5', 'month', '40000', '2025-01-01', '2026-11-20'), // 480000 at the start ...
  sub('A5', 'month', '30000', '2026-11-20'), // ... 360000 now: contraction
  sub('A6', 'month', '10000', '2025-02-01', '2026-11-10'), // 120000 at the start, churned
  sub('A7', 'month', '40000', '2026-11-05'), // new: 480000 now, not in the start cohort
  sub('A8', 'month', '10000', '2026-11-01', undefined, 'trialing'), // a trial: not a customer
];

const account = (
  id: string,
  renewal: string,
  lastContact: string,
  seats: string,
  users: string,
  usersPrev: string | undefined,
  lastActive: string | undefined,
  tickets: string,
) => ({
  customer_id: id,
  name: `Account ${id}`,
  csm: 'Daniel Kim',
  renewal_date: renewal,
  last_contact_on: lastContact,
  licensed_seats: seats,
  active_users: users,
  active_users_prev: usersPrev,
  last_active_on: lastActive,
  open_tickets: tickets,
});
const accounts = [
  // usage drop (30 vs 50: -40%), NPS detractor, renewal in 14 days: 25 + 20 + 15 = 60
  account('A1', '2026-12-10', '2026-11-20', '60', '30', '50', '2026-11-25', '0'),
  // payment failure (past due), 6 open tickets: 25 + 15 = 40
  account('A2', '2027-06-01', '2026-11-20', '10', '8', '8', '2026-11-25', '6'),
  // healthy
  account('A3', '2027-03-01', '2026-11-20', '20', '18', '17', '2026-11-25', '1'),
  // inactive for 56 days (0 of 10 seats), renewal in 50 days: 30 + 10 + 15 = 55
  account('A4', '2027-01-15', '2026-11-20', '10', '0', '0', '2026-10-01', '0'),
  // renewal in 5 days, no contact for 60 days: 15 + 10 = 25, not at risk
  account('A5', '2026-12-01', '2026-09-27', '10', '9', undefined, undefined, '0'),
  // churned customer: its row is ignored (not paying)
  account('A6', '2027-02-01', '2026-11-01', '5', '0', '3', '2026-10-01', '9'),
  // A7 (new) has no row yet: scored only on payment and NPS signals.
];

const response = (id: string, customer: string, on: string, score: string) => ({
  id,
  customer_id: customer,
  responded_on: on,
  score,
  comment: undefined,
});
const nps = [
  // The last 90 days (2026-08-29 .. 2026-11-26): 2 promoters, 1 passive, 1 detractor.
  response('N1', 'A1', '2026-11-01', '3'),
  response('N2', 'A3', '2026-11-10', '10'),
  response('N3', 'A5', '2026-10-15', '9'),
  response('N4', 'A2', '2026-09-15', '7'),
  // The 90 days before (2026-05-31 .. 2026-08-28): 3 promoters, 1 passive.
  response('N5', 'A1', '2026-08-01', '9'),
  response('N6', 'A3', '2026-07-10', '10'),
  response('N7', 'A5', '2026-06-15', '9'),
  response('N8', 'A2', '2026-08-28', '8'),
  // Ignored: older than 180 days, and after today.
  response('N9', 'A4', '2026-05-01', '0'),
  response('N10', 'A3', '2026-12-01', '0'),
];

function run(extra: Record<string, unknown> = {}) {
  const input = customerSuccessAgent.input.parse({ accounts, nps, subscriptions, ...extra });
  const r = AgentResult.parse(customerSuccessAgent.compute(input, ctx));
  expectFiniteOrNull(r.metrics);
  return r;
}

describe('customer-success agent: metrics', () => {
  it('computes NPS and its trend from dated responses', () => {
    expect(run().metrics).toMatchObject({
      nps: 25, // (2 - 1) / 4
      npsResponses: 4,
      npsPrevious: 75, // (3 - 0) / 4
      npsChange: -50, // 25 - 75
    });
  });

  it('computes churn and retention of the customers paying at the start of the month', () => {
    // Start cohort (paying 2026-10-31): A1 1200000, A2 600000, A3 960000, A4 240000,
    // A5 480000, A6 120000 = 3600000 annual, 6 customers. A7 is new: outside the cohort.
    expect(run().metrics).toMatchObject({
      customersLost: 1, // A6
      customerChurnRatePct: 16.67, // 1 / 6
      // GRR: min(start, end) = 1200000 + 600000 + 960000 + 240000 + 360000 + 0 = 3360000
      grrPct: 93.33, // 3360000 / 3600000
      // NRR: end = 1200000 + 600000 + 1200000 + 240000 + 360000 + 0 = 3600000
      nrrPct: 100,
      // October: nobody moved.
      customerChurnRatePctLastMonth: 0,
      grrPctLastMonth: 100,
      nrrPctLastMonth: 100,
    });
  });

  it('scores churn risk per paying account and reports at-risk ARR', () => {
    expect(run().metrics).toMatchObject({
      accounts: 6, // A1..A5 and A7 pay today; A6 churned, A8 is a trial
      // 1200000 + 600000 + 1200000 + 240000 + 360000 + 480000 = 4080000 cents
      trackedArr: 40800,
      accountsWithoutCsData: 1, // A7
      atRiskAccounts: 3, // A1 60, A4 55, A2 40 (threshold 40)
      atRiskArr: 20400, // 1200000 + 240000 + 600000
      atRiskArrPct: 50, // 2040000 / 4080000
      highestRiskScore: 60,
      usageDropAccounts: 1, // A1
      inactiveCustomers: 1, // A4
      paymentFailureAccounts: 1, // A2
      npsDetractorAccounts: 1, // A1
      highTicketAccounts: 1, // A2
      renewalNearAccounts: 3, // A1 (14 days), A4 (50), A5 (5)
      lowSeatUsageAccounts: 1, // A4
      noContactAccounts: 1, // A5 (60 days)
      renewalsNext90Days: 3,
      renewalArrNext90Days: 18000, // 1200000 + 240000 + 360000
      atRiskRenewalsNext30Days: 1, // A1
      atRiskRenewalArrNext30Days: 12000,
      nextAtRiskRenewalDays: 14, // A1
    });
  });

  it('has no NaN or Infinity with no data at all', () => {
    const input = customerSuccessAgent.input.parse({ accounts: [], nps: [], subscriptions: [] });
    const r = AgentResult.parse(customerSuccessAgent.compute(input, ctx));
    expectFiniteOrNull(r.metrics);
    expect(r.metrics).toMatchObject({
      accounts: 0,
      trackedArr: 0,
      nps: null,
      npsPrevious: null,
      npsChange: null,
      customerChurnRatePct: null,
      grrPct: null,
      nrrPct: null,
      atRiskArrPct: null,
      highestRiskScore: null,
      nextAtRiskRenewalDays: null,
    });
    expect(r.alerts).toEqual([]);
    expect(r.recommendations).toEqual([]);
    expect(r.health).toBe(100);
    // Words, not placeholders ("NPS -, ... GRR -% this month").
    expect(r.healthReason).toBe(
      'No customers yet: no accounts, NPS responses or revenue at the start of the month to judge',
    );
  });

  it('says which figure it lacks when only some are known', () => {
    // An account and its NPS, but its subscription starts after the 1st: no GRR yet.
    const input = customerSuccessAgent.input.parse({
      accounts: accounts.filter((a) => a.customer_id === 'A3'),
      nps: nps.filter((n) => n.customer_id === 'A3'),
      subscriptions: [sub('A3', 'month', '10000', '2026-11-10')],
    });
    const r = AgentResult.parse(customerSuccessAgent.compute(input, ctx));
    expect(r.metrics.grrPct).toBeNull();
    expect(r.healthReason).toBe(
      'Customers healthy: NPS 100, 0 at-risk accounts, no GRR this month (no revenue at its start)',
    );
    const silent = AgentResult.parse(
      customerSuccessAgent.compute(
        customerSuccessAgent.input.parse({
          accounts: accounts.filter((a) => a.customer_id === 'A3'),
          nps: [],
          subscriptions: subscriptions.filter((x) => x.customer_id === 'A3'),
        }),
        ctx,
      ),
    );
    expect(silent.healthReason).toBe(
      'Customers healthy: no NPS responses, 0 at-risk accounts, GRR 100% this month',
    );
  });

  it('scores NPS as % promoters minus % detractors', () => {
    expect(netPromoterScore([9, 10, 6, 7])).toBe(25);
    expect(netPromoterScore([0, 6, 8])).toBe(-66.7);
    expect(netPromoterScore([])).toBeNull();
  });
});

describe('customer-success agent: alerts', () => {
  it('fires at-risk ARR, renewal of an at-risk account, NPS drop and NPS low', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.metric, a.value, a.threshold])).toEqual([
      ['customer-success.at-risk-arr', 'critical', 'atRiskArrPct', 50, 25],
      ['customer-success.renewal-at-risk', 'warning', 'nextAtRiskRenewalDays', 14, 30],
      ['customer-success.nps-drop', 'critical', 'npsChange', -50, -25],
      ['customer-success.nps-low', 'warning', 'nps', 25, 30],
    ]);
    expect(r.alerts[1]!.message).toBe(
      '1 at-risk account renews within 30 days, the first in 14 days (<= 30): Account A1 (2026-12-10, $12,000 ARR, risk 60)',
    );
    expect(r.alerts[2]!.message).toBe(
      'NPS fell 50 points to 25 (4 responses) from 75 in the previous 90 days (4 responses); alert at 25 points',
    );
    expect(r.health).toBe(0); // 100 - 40 - 20 - 40 - 20, floored at 0
  });

  it('fires the renewal alert as critical within 7 days', () => {
    const soon = accounts.map((a) =>
      a.customer_id === 'A1' ? { ...a, renewal_date: '2026-11-30' } : a,
    );
    const alert = run({ accounts: soon }).alerts.find(
      (a) => a.id === 'customer-success.renewal-at-risk',
    );
    expect([alert?.severity, alert?.value, alert?.threshold]).toEqual(['critical', 4, 7]);
  });

  it('stays silent for healthy accounts with a steady NPS', () => {
    const input = customerSuccessAgent.input.parse({
      accounts: accounts.filter((a) => a.customer_id === 'A3'),
      nps: nps.filter((n) => n.customer_id === 'A3'),
      subscriptions: subscriptions.filter((s) => s.customer_id === 'A3'),
    });
    const r = AgentResult.parse(customerSuccessAgent.compute(input, ctx));
    expect(r.metrics).toMatchObject({ nps: 100, npsChange: 0, atRiskAccounts: 0, grrPct: 100 });
    expect(r.metrics.nrrPct).toBe(125); // 1200000 / 960000
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
    expect(r.healthReason).toBe(
      'Customers healthy: NPS 100, 0 at-risk accounts, GRR 100% this month',
    );
  });

  it('does not fire the renewal alert when the at-risk account renews later', () => {
    const later = accounts.map((a) =>
      a.customer_id === 'A1' ? { ...a, renewal_date: '2027-01-20' } : a,
    );
    const r = run({ accounts: later });
    expect(r.metrics.nextAtRiskRenewalDays).toBe(50); // A4; A1 now renews in 55 days
    expect(r.alerts.map((a) => a.id)).not.toContain('customer-success.renewal-at-risk');
  });

  it('takes thresholds and signal weights from customer-success.yaml', () => {
    const r = run({
      settings: { thresholds: { weight_payment_failure: 0, at_risk_arr_pct_critical: 60 } },
    });
    // A2 drops to 15 points: at risk are A1 and A4 = 1440000 / 4080000 = 35.29%.
    expect(r.metrics.atRiskAccounts).toBe(2);
    expect(r.metrics.atRiskArrPct).toBe(35.29);
    expect(r.alerts[0]).toMatchObject({ severity: 'warning', value: 35.29, threshold: 10 });
    expect(() =>
      customerSuccessAgent.input.parse({
        accounts,
        nps,
        subscriptions,
        settings: { thresholds: { weight_typo: 1 } },
      }),
    ).toThrow(/Unrecognized key/);
    const defaults = customerSuccessAgent.input.parse({ accounts, nps, subscriptions });
    expect(defaults.settings.thresholds).toEqual(CUSTOMER_SUCCESS_THRESHOLDS);
  });
});

describe('customer-success agent: recommendations', () => {
  it('names the riskiest accounts first, with their signals', () => {
    const r = run();
    expect(r.recommendations.map((t) => [t.id, t.deadline, t.energyDemand])).toEqual([
      ['customer-success.save-account-a1', '2026-12-10', 'high'], // risk 60, renews in 14 days
      ['customer-success.save-account-a4', '2027-01-15', 'medium'], // risk 55, renews in 50 days
      ['customer-success.save-account-a2', '2026-12-10', 'medium'], // risk 40, today + 14
    ]);
    expect(r.recommendations[0]).toEqual({
      id: 'customer-success.save-account-a1',
      title: 'Save Account A1 (risk 60, $12K ARR, renews 2026-12-10)',
      source: 'customer-success',
      subject: 'account:account a1',
      reason:
        'Account A1: risk 60/100 from active users down 40% (50 to 30), NPS detractor (3) on 2026-11-01, renews in 14 days (2026-12-10); CSM Daniel Kim.',
      moneyAtStakeCents: 1200000,
      deadline: '2026-12-10',
      energyDemand: 'high',
      tags: ['retention'],
    });
    expect(r.recommendations[1]!.reason).toBe(
      'Account A4: risk 55/100 from no product activity for 56 days, renews in 50 days (2027-01-15), uses 0% of 10 seats; CSM Daniel Kim.',
    );
    expect(r.recommendations[2]!.reason).toBe(
      'Account A2: risk 40/100 from payment past due (s2), 6 open tickets; CSM Daniel Kim.',
    );
  });
});

describe('customer-success agent: currency', () => {
  it("writes amounts in the company's currency (EUR: €)", () => {
    const input = customerSuccessAgent.input.parse({ accounts, nps, subscriptions });
    const r = AgentResult.parse(customerSuccessAgent.compute(input, { ...ctx, currency: 'EUR' }));
    expect(r.metrics).toEqual(run().metrics);
    expect(r.alerts[1]!.message).toBe(
      '1 at-risk account renews within 30 days, the first in 14 days (<= 30): Account A1 (2026-12-10, €12,000 ARR, risk 60)',
    );
    expect(r.recommendations[0]!.title).toBe(
      'Save Account A1 (risk 60, €12K ARR, renews 2026-12-10)',
    );
    expect(JSON.stringify([r.alerts, r.recommendations])).not.toContain('$');
  });
});

describe('customer-success agent: validation', () => {
  it('names the row and column of a bad value', () => {
    const bad = customerSuccessAgent.input.safeParse({
      accounts: [{ ...accounts[0]!, active_users_prev: '-3' }],
      nps: [],
      subscriptions: [],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['accounts', 0, 'active_users_prev']);
    const score = customerSuccessAgent.input.safeParse({
      accounts: [],
      nps: [response('N1', 'A1', '2026-11-01', '11')],
      subscriptions: [],
    });
    expect(score.error?.issues[0]?.path).toEqual(['nps', 0, 'score']);
  });
});
