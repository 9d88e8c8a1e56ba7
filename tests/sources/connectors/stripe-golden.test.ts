/**
 * Golden test: the fixture Stripe account (tests/fakes/stripe-fixtures/golden.ts) through
 * the connector, over HTTP against the fake server, and then through the finance and
 * customer-success agents' own compute. Every expected number is worked out by hand
 * below, in annual cents (monthly x 12, quarterly x 4, yearly x 1); MRR = annual / 12,
 * rounded half up once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentResult } from '../../../src/contract/report.js';
import { customerSuccessAgent } from '../../../src/agents/customer-success/index.js';
import { financeAgent } from '../../../src/agents/finance/index.js';
import { slug } from '../../../src/shared/text.js';
import { stripeConnector } from '../../../src/sources/connectors/stripe/index.js';
import {
  CUSTOMER_IDS,
  GOLDEN_CASHFLOW_FILE,
  GOLDEN_EXPECTED,
  GOLDEN_NOW,
  GOLDEN_SETTINGS,
  GOLDEN_TODAY,
  ITEM_IDS,
  SUB_IDS,
  startFakeStripe,
  type FakeStripe,
} from '../../fakes/stripe-server.js';

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe({ pageSize: 4 });
});
afterAll(() => fake.close());

const agentCtx = { asOf: GOLDEN_NOW, today: GOLDEN_TODAY, history: [] };

async function load(agent: 'finance' | 'customer-success', settings: Record<string, unknown> = {}) {
  return stripeConnector.load(agent, {
    companyId: 'golden',
    env: { STRIPE_API_KEY: fake.apiKey },
    settings: { ...GOLDEN_SETTINGS, base_url: fake.url, ...settings },
    today: GOLDEN_TODAY,
    asOf: GOLDEN_NOW,
    fileDatasets: { cashflow: GOLDEN_CASHFLOW_FILE },
  });
}

/**
 * The hand-computed finance metrics (closing_balance: stripe, the default).
 *
 * Paying on 2026-11-26 (end), annual cents:
 *   Acme 1,200,000 | Bluefin 29,900 x 0.8 = 23,920 x 12 = 287,040 | Cedar (84,000 x 2 - 5,000)
 *   x 4 = 652,000 | Dune 9,900 x 12 + 3 x 1,500 x 12 = 118,800 + 54,000 = 172,800 | Evergreen
 *   29,900 x 12 = 358,800 | Granite 118,800 | Ironwood (back) 118,800 | Juniper (past due)
 *   358,800 | Maple EUR 27,500 x 1.08 = 29,700 x 12 = 356,400 | Nimbus 54,000 x 2 x 50% =
 *   54,000 | Orchid 118,800 (the 100%-once coupon is left out; metered item: no row)
 *   = 3,796,240 -> MRR 316,353.33 -> 316,353 cents; 11 customers; ARPA 316,353 / 11 =
 *   28,759.4 -> 28,759.
 * Paying on 2026-10-31 (start): Acme 1,200,000, Bluefin 287,040, Cedar 652,000, Dune
 *   118,800 + 5 x 1,500 x 12 = 208,800, Evergreen (Starter) 118,800, Harbor 358,800,
 *   Juniper 358,800, Kestrel 118,800, Maple 356,400, Nimbus 108,000, Orchid 118,800
 *   = 3,886,240 -> 323,853.33 -> 323,853; 11 customers.
 * November's movements (annual): new Granite 118,800 (trial ends 11-03); expansion
 *   Evergreen 358,800 - 118,800 = 240,000 (11-05, event); reactivation Ironwood 118,800
 *   (11-18); contraction Nimbus 108,000 - 54,000 = 54,000 (11-10, coupon) + Dune 90,000 -
 *   54,000 = 36,000 (11-12, event) = 90,000; churn Kestrel 118,800 (unpaid 11-08, event)
 *   + Harbor 358,800 (11-15) = 477,600. Check: 3,886,240 + 118,800 + 240,000 + 118,800 -
 *   90,000 - 477,600 = 3,796,240.
 * Running totals / 12, rounded: 323,853 | +new 4,005,040 -> 333,753 (new 9,900) |
 *   +exp 4,245,040 -> 353,753 (20,000) | +react 4,363,840 -> 363,653 (9,900) | -contr
 *   4,273,840 -> 356,153 (7,500) | -churn 3,796,240 -> 316,353 (39,800). Net new -7,500.
 *   Growth -7,500 / 323,853 = -2.32%; gross MRR churn (7,500 + 39,800) / 323,853 =
 *   14.61%; quick ratio (9,900 + 20,000) / 47,300 = 0.63.
 * October: start (09-30) = November's start + Ironwood 118,800 = 4,005,040 -> 333,753;
 *   the only movement is Ironwood's churn on 10-20 (9,900 MRR): -9,900 / 333,753 = -2.97%.
 * LTV churn, August..October: starts 4,132,240 (Aug: Sep 1's 4,251,040 less Orchid,
 *   new 08-05) + 4,251,040 (Sep: Oct 1's 4,005,040 + Pioneer 336,000 - Dune's seats
 *   90,000, added 09-10) + 4,005,040 = 12,388,320; lost 0 + 336,000 (Pioneer 09-12) +
 *   118,800 (Ironwood) = 454,800 -> 3.67%.
 * Past due: Juniper 358,800 / 12 = 29,900 -> 299.
 *
 * Cash (balance transactions, net of fees; Stripe replaces cash in and refunds of
 *   Aug..Nov, the file keeps cash out, revenue, cost of revenue):
 *   Aug 500,000 - 14,530 + 300,000 - 8,730 = 776,740, refunds 20,000
 *   Sep 900,000 - 26,130 = 873,870, refunds 10,000 (the 2,000 Stripe billing fee and
 *       payouts are not cash in)
 *   Oct 1,000,000 - 29,030 + 200,000 - 3,000 = 1,167,970, refunds 50,000
 *   Nov 400,000 - 11,630 + EUR (100,000 - 3,200) x 1.08 = 388,370 + 104,544 = 492,914,
 *       refunds 5,000
 *   Balance: USD 1,234,567 + 100,000 pending + EUR 50,000 x 1.08 = 1,388,567.
 * Net burn (out + refunds - in): Aug 1,500,000 + 20,000 - 776,740 = 743,260; Sep
 *   1,600,000 + 10,000 - 873,870 = 736,130; Oct 2,000,000 + 50,000 - 1,167,970 = 882,030;
 *   average 2,361,420 / 3 = 787,140. Gross burn 5,100,000 / 3 = 1,700,000. Runway
 *   1,388,567 / 787,140 = 1.76 -> 1.8. Burn change (882,030 - 736,130) / 736,130 = 19.82%.
 * Margin: revenue net of refunds 780,000 + 840,000 + 850,000 = 2,470,000; cost 630,000;
 *   profit 1,840,000 -> 74.49%. LTV = ARPA x profit x churn start / (revenue x lost) =
 *   28,759 x 1,840,000 x 12,388,320 / (2,470,000 x 454,800) = 583,560.7 -> 583,561 cents.
 */
const EXPECTED_FINANCE = GOLDEN_EXPECTED.finance;

describe('stripe golden account', () => {
  it('gives the hand-computed finance metrics through the connector and the finance agent', async () => {
    const r = await load('finance');
    const input = financeAgent.input.parse(r.datasets);
    const result = AgentResult.parse(financeAgent.compute(input, agentCtx));
    expect(result.metrics).toEqual(EXPECTED_FINANCE);
    expect(result.alerts.map((a) => a.id).sort()).toEqual([
      'finance.churn-spike',
      'finance.net-new-mrr-negative',
      'finance.runway-low',
    ]);
    // Past due Juniper: a collect task; Harbor and Kestrel churned this month: win back.
    const ids = result.recommendations.map((t) => t.id);
    expect(ids).toContain(`finance.collect-${slug(SUB_IDS.juniper!)}`);
    expect(ids.filter((id) => id.startsWith('finance.win-back-'))).toHaveLength(2);
  });

  it('adds the Stripe balance to the bank balance with closing_balance: bank_plus_stripe', async () => {
    const r = await load('finance', { closing_balance: 'bank_plus_stripe' });
    const result = financeAgent.compute(financeAgent.input.parse(r.datasets), agentCtx);
    // 7,700,000 (file, November) + 1,388,567 = 9,088,567; runway 9,088,567 / 787,140 = 11.55
    expect(result.metrics.cashBalance).toBe(90885.67);
    expect(result.metrics.runwayMonths).toBe(11.5);
  });

  it('gives the subscription rows history: plan changes end the old row the day the new starts', async () => {
    const r = await load('customer-success');
    expect(Object.keys(r.datasets)).toEqual(['subscriptions']);
    const rows = r.datasets.subscriptions as Record<string, unknown>[];
    const of = (key: string) =>
      rows
        .filter((row) => String(row.id).startsWith(SUB_IDS[key]!))
        .map(({ id, plan, interval, amount_cents, status, started_on, canceled_on }) => ({
          id,
          plan,
          interval,
          amount_cents,
          status,
          started_on,
          canceled_on,
        }));
    const evergreen = SUB_IDS.evergreen!;
    expect(of('evergreen')).toEqual([
      {
        id: `${evergreen}@2024-05-05`,
        plan: 'Starter',
        interval: 'month',
        amount_cents: 9_900,
        status: 'canceled',
        started_on: '2024-05-05',
        canceled_on: '2026-11-05',
      },
      {
        id: evergreen,
        plan: 'Growth',
        interval: 'month',
        amount_cents: 29_900,
        status: 'active',
        started_on: '2026-11-05',
        canceled_on: undefined,
      },
    ]);
    const dune = SUB_IDS.dune!;
    expect(of('dune')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: `${dune}/${ITEM_IDS.duneSeats}@2026-09-10`,
          plan: 'Extra seats',
          amount_cents: 7_500, // 5 seats
          started_on: '2026-09-10', // the item's `created`, older than the events
          canceled_on: '2026-11-12',
        }),
        expect.objectContaining({
          id: `${dune}/${ITEM_IDS.duneSeats}`,
          amount_cents: 4_500, // 3 seats from the event of 11-12
          started_on: '2026-11-12',
        }),
        expect.objectContaining({ id: `${dune}/${ITEM_IDS.duneStarter}`, amount_cents: 9_900 }),
      ]),
    );
    // Nimbus: 6-monthly $540 as a yearly $1,080; half price 11-10 .. 2027-02-10, then back.
    expect(
      of('nimbus').map((r) => [r.interval, r.amount_cents, r.started_on, r.canceled_on]),
    ).toEqual([
      ['year', 108_000, '2026-06-15', '2026-11-10'],
      ['year', 54_000, '2026-11-10', '2027-02-10'],
      ['year', 108_000, '2027-02-10', undefined],
    ]);
    expect(of('granite').map((r) => [r.status, r.started_on, r.canceled_on])).toEqual([
      ['trialing', '2026-10-20', '2026-11-03'],
      ['active', '2026-11-03', undefined],
    ]);
    expect(of('foxglove').map((r) => r.status)).toEqual(['trialing']);
    expect(of('kestrel').map((r) => [r.status, r.canceled_on])).toEqual([
      ['canceled', '2026-11-08'],
    ]);
    expect(of('bluefin').map((r) => [r.status, r.amount_cents, r.canceled_on])).toEqual([
      ['active', 23_920, '2026-12-01'], // cancel_at scheduled: counts until 11-30
    ]);
    expect(of('lumen')).toEqual([]);
    expect(of('quarry')).toEqual([]);
    expect(rows).toHaveLength(22);
    const acme = rows.find((row) => row.id === SUB_IDS.acme);
    expect(acme).toMatchObject({ customer_id: CUSTOMER_IDS.acme, customer_name: 'Acme Corp' });
  });

  it('gives customer success the same churn and retention (hand-computed)', async () => {
    const r = await load('customer-success');
    const input = customerSuccessAgent.input.parse({ ...r.datasets, accounts: [], nps: [] });
    const m = AgentResult.parse(customerSuccessAgent.compute(input, agentCtx)).metrics;
    // Cohort paying on 10-31: 11 customers, 3,886,240 annual. Lost: Harbor, Kestrel -> 2 / 11.
    expect(m.customerChurnRatePct).toBe(18.18);
    // Kept min(start, end): everyone's start except Harbor 358,800, Kestrel 118,800, Dune
    // 208,800 -> 172,800, Nimbus 108,000 -> 54,000: 3,886,240 - 477,600 - 36,000 - 54,000 =
    // 3,318,640 -> 85.39%. NRR adds Evergreen's +240,000: 3,558,640 / 3,886,240 = 91.57%.
    expect(m.grrPct).toBe(85.39);
    expect(m.nrrPct).toBe(91.57);
    // October: 12 at 09-30, Ironwood lost: 8.33%; 3,886,240 / 4,005,040 = 97.03%.
    expect(m.customerChurnRatePctLastMonth).toBe(8.33);
    expect(m.grrPctLastMonth).toBe(97.03);
    expect(m.accounts).toBe(11);
    expect(m.trackedArr).toBe(37962.4); // 3,796,240 annual cents
    expect(m.paymentFailureAccounts).toBe(1); // Juniper
    expect(m).toMatchObject(GOLDEN_EXPECTED.customerSuccess);
  });
});
