/**
 * The stripe connector's pure parts: subscription history -> rows (events, items added,
 * discounts, trials, unpaid/paused, intervals, tiers), money conversion, and the cash
 * overlay.
 */
import { describe, expect, it } from 'vitest';
import { mrrMovements } from '../../../src/agents/finance-mrr.js';
import { overlayCashflow, cashByMonth } from '../../../src/sources/connectors/stripe/cashflow.js';
import { dateIn, startOfDay } from '../../../src/sources/connectors/stripe/dates.js';
import { converter, formatAmount } from '../../../src/sources/connectors/stripe/money.js';
import {
  Coupon,
  Event,
  Subscription,
  type Tier,
} from '../../../src/sources/connectors/stripe/schemas.js';
import { share, subscriptionRows } from '../../../src/sources/connectors/stripe/subscriptions.js';
import {
  at,
  coupon,
  customer,
  discount,
  event,
  price,
  subscription,
  subscriptionItem,
  type Obj,
} from '../../fakes/stripe-fixtures/objects.js';

const T = (d: string) => at(`${d}T12:00:00Z`);
const monthly = (
  id: string,
  unitAmount: number,
  extra: Partial<Parameters<typeof price>[0]> = {},
) =>
  price({
    id,
    product: `prod_${id}`,
    nickname: id,
    unitAmount,
    interval: 'month',
    created: T('2024-01-01'),
    ...extra,
  });

function sub(o: {
  id?: string;
  status?: string;
  start: string;
  items: { id: string; price: Obj; quantity?: number; created?: string; discounts?: Obj[] }[];
  discounts?: Obj[];
  currency?: string;
  trial?: [string, string];
  endedAt?: string;
  cancelAt?: string;
  extra?: Obj;
}): Obj {
  const id = o.id ?? 'sub_1QTest';
  const s = subscription({
    id,
    customer: 'cus_1QTest',
    status: o.status ?? 'active',
    currency: o.currency,
    created: T(o.trial?.[0] ?? o.start),
    startDate: T(o.trial?.[0] ?? o.start),
    trialStart: o.trial ? T(o.trial[0]) : null,
    trialEnd: o.trial ? T(o.trial[1]) : null,
    endedAt: o.endedAt ? T(o.endedAt) : null,
    canceledAt: o.endedAt ? T(o.endedAt) : null,
    cancelAt: o.cancelAt ? T(o.cancelAt) : null,
    items: o.items.map((i) => ({
      ...subscriptionItem({
        id: i.id,
        subscription: id,
        price: i.price,
        quantity: i.quantity,
        created: T(i.created ?? o.trial?.[0] ?? o.start),
        periodStart: T('2026-11-01'),
        periodEnd: T('2026-12-01'),
      }),
      discounts: i.discounts ?? [],
    })),
  });
  return {
    ...s,
    customer: customer({
      id: 'cus_1QTest',
      name: 'Test Co',
      email: 't@test.example',
      created: T('2024-01-01'),
    }),
    discounts: o.discounts ?? [],
    ...(o.extra ?? {}),
  };
}

function rows(
  subs: Obj[],
  o: {
    events?: Obj[];
    coupons?: Obj[];
    tiers?: Record<string, Tier[]>;
    rates?: Record<string, string>;
    currency?: string;
    today?: string;
  } = {},
) {
  return subscriptionRows({
    subscriptions: subs.map((s) => Subscription.parse(s)),
    events: (o.events ?? []).map((e) => Event.parse(e)),
    coupons: new Map((o.coupons ?? []).map((c) => [String(c.id), Coupon.parse(c)])),
    productNames: new Map(),
    tiers: new Map(Object.entries(o.tiers ?? {})),
    today: o.today ?? '2026-11-26',
    timezone: 'UTC',
    convert: converter(o.currency ?? 'USD', o.rates ?? {}),
  }).map(({ id, amount_cents, interval, status, started_on, canceled_on }) => ({
    id,
    amount_cents,
    interval,
    status,
    started_on,
    canceled_on,
  }));
}

const pct = (
  id: string,
  percentOff: number,
  duration: 'once' | 'repeating' | 'forever' = 'forever',
  appliesTo?: string[],
) => coupon({ id, name: id, percentOff, duration, created: T('2024-01-01'), appliesTo });
const off = (id: string, amountOff: number, currency = 'usd') =>
  coupon({ id, name: id, amountOff, currency, duration: 'forever', created: T('2024-01-01') });
const disc = (id: string, c: Obj | string, start: string, end?: string) =>
  discount({
    id,
    coupon: typeof c === 'string' ? c : (c as never),
    customer: 'cus_1QTest',
    subscription: 'sub_1QTest',
    start: T(start),
    end: end ? T(end) : undefined,
  });

describe('subscription rows', () => {
  it('rebuilds a plan change and a seat change from subscription.updated events', () => {
    const starter = monthly('price_starter', 10_000);
    const growth = monthly('price_growth', 30_000);
    const s = sub({ start: '2025-01-01', items: [{ id: 'si_a', price: growth, quantity: 2 }] });
    const after = structuredClone(s);
    after.customer = 'cus_1QTest';
    const items = (s.items as { data: Obj[] }).data;
    const events = [
      // 11-20: 3 seats -> 2 seats (newest first, as listed).
      event({
        id: 'evt_2',
        type: 'customer.subscription.updated',
        created: T('2026-11-20'),
        object: after,
        previousAttributes: { items: { data: [{ ...items[0]!, quantity: 3 }] } },
      }),
      // 11-05: Starter x 3 -> Growth x 3.
      event({
        id: 'evt_1',
        type: 'customer.subscription.updated',
        created: T('2026-11-05'),
        object: { ...after, items: { object: 'list', data: [{ ...items[0]!, quantity: 3 }] } },
        previousAttributes: { items: { data: [{ ...items[0]!, price: starter, quantity: 3 }] } },
      }),
    ];
    const r = rows([s], { events });
    expect(r).toEqual([
      {
        id: 'sub_1QTest@2025-01-01',
        amount_cents: 30_000,
        interval: 'month',
        status: 'canceled',
        started_on: '2025-01-01',
        canceled_on: '2026-11-05',
      },
      {
        id: 'sub_1QTest@2026-11-05',
        amount_cents: 90_000,
        interval: 'month',
        status: 'canceled',
        started_on: '2026-11-05',
        canceled_on: '2026-11-20',
      },
      {
        id: 'sub_1QTest',
        amount_cents: 60_000,
        interval: 'month',
        status: 'active',
        started_on: '2026-11-20',
        canceled_on: undefined,
      },
    ]);
    // The agent reads them as one expansion and one contraction, never churn + new.
    const m = mrrMovements(
      r.map((x) => ({ ...x, customer_id: 'c' })),
      '2026-11-01',
      '2026-11-26',
    );
    expect(m.annual).toMatchObject({ expansion: 720_000, contraction: 360_000, churn: 0, new: 0 });
  });

  it('starts an add-on on its created date and takes a discount from its start', () => {
    const base = monthly('price_base', 10_000);
    const addon = monthly('price_addon', 2_000);
    const c = pct('TEN', 10);
    const s = sub({
      start: '2025-01-01',
      items: [
        { id: 'si_base', price: base },
        { id: 'si_addon', price: addon, quantity: 2, created: '2026-09-15' },
      ],
      discounts: [{ ...disc('di_1', 'TEN', '2026-10-10'), source: { type: 'coupon', coupon: c } }],
    });
    expect(rows([s])).toEqual([
      {
        id: 'sub_1QTest/si_base@2025-01-01',
        amount_cents: 10_000,
        interval: 'month',
        status: 'canceled',
        started_on: '2025-01-01',
        canceled_on: '2026-10-10',
      },
      {
        id: 'sub_1QTest/si_base',
        amount_cents: 9_000,
        interval: 'month',
        status: 'active',
        started_on: '2026-10-10',
        canceled_on: undefined,
      },
      {
        id: 'sub_1QTest/si_addon@2026-09-15',
        amount_cents: 4_000,
        interval: 'month',
        status: 'canceled',
        started_on: '2026-09-15',
        canceled_on: '2026-10-10',
      },
      {
        id: 'sub_1QTest/si_addon',
        amount_cents: 3_600,
        interval: 'month',
        status: 'active',
        started_on: '2026-10-10',
        canceled_on: undefined,
      },
    ]);
  });

  it('shares an amount-off coupon across items in proportion, honouring applies_to', () => {
    const a = monthly('price_a', 10_000);
    const b = monthly('price_b', 20_000);
    const x = monthly('price_x', 5_000);
    const c = coupon({
      id: 'AB',
      name: 'AB',
      amountOff: 1_000,
      duration: 'forever',
      created: T('2024-01-01'),
      appliesTo: ['prod_price_a', 'prod_price_b'],
    });
    const s = sub({
      start: '2025-01-01',
      items: [
        { id: 'si_a', price: a },
        { id: 'si_b', price: b },
        { id: 'si_x', price: x },
      ],
      discounts: [disc('di_ab', 'AB', '2025-01-01')],
    });
    // 1,000 over 10,000 : 20,000 -> 333.33 / 666.67 -> 333 + 667 (largest remainder).
    expect(rows([s], { coupons: [c] }).map((r) => r.amount_cents)).toEqual([9_667, 19_333, 5_000]);
    expect(share(1_000, [10_000, 20_000, 0])).toEqual([333, 667, 0]);
    expect(share(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });

  it("takes an amount-off coupon in the subscription's currency, else fails naming the coupon", () => {
    const s = sub({
      start: '2025-01-01',
      items: [{ id: 'si', price: monthly('price_p', 10_000) }],
      discounts: [disc('di_eur', 'EUR5', '2025-01-01')],
    });
    const eurOnly = off('EUR5', 500, 'eur');
    expect(() => rows([s], { coupons: [eurOnly] })).toThrow(/coupon EUR5.*eur.*usd/);
    const withUsd = { ...eurOnly, currency_options: { usd: { amount_off: 600 } } };
    expect(rows([s], { coupons: [withUsd] })[0]!.amount_cents).toBe(9_400);
  });

  it('leaves once coupons out and applies item-level percent coupons', () => {
    const p = monthly('price_p', 9_999);
    const s = sub({
      start: '2025-01-01',
      items: [
        {
          id: 'si_p',
          price: p,
          discounts: [disc('di_pct', 'P125', '2025-01-01'), disc('di_once', 'FREE', '2025-01-01')],
        },
      ],
    });
    // 12.5% of 9,999 = 1,249.875 -> 1,250 off.
    expect(
      rows([s], { coupons: [pct('P125', 12.5), pct('FREE', 100, 'once')] })[0]!.amount_cents,
    ).toBe(8_749);
  });

  it('turns other intervals into yearly amounts and keeps quarters', () => {
    const mk = (
      id: string,
      interval: 'day' | 'week' | 'month' | 'year',
      n: number,
      amount: number,
    ) =>
      sub({
        id,
        start: '2025-01-01',
        items: [
          {
            id: `si_${id}`,
            price: price({
              id: `price_${id}`,
              product: 'prod',
              nickname: null as never,
              unitAmount: amount,
              interval,
              intervalCount: n,
              created: T('2024-01-01'),
            }),
          },
        ],
      });
    const r = rows([
      mk('sub_q', 'month', 3, 30_000),
      mk('sub_6m', 'month', 6, 50_000),
      mk('sub_w', 'week', 2, 1_000),
      mk('sub_2y', 'year', 2, 100_001),
      mk('sub_d', 'day', 1, 100),
    ]);
    expect(r.map((x) => [x.id, x.interval, x.amount_cents])).toEqual([
      ['sub_q', 'quarter', 30_000],
      ['sub_6m', 'year', 100_000],
      ['sub_w', 'year', 26_000], // 1,000 x 52 / 2
      ['sub_2y', 'year', 50_001], // 100,001 / 2 = 50,000.5, half up
      ['sub_d', 'year', 36_500],
    ]);
  });

  it('prices tiers (graduated and volume), transform_quantity and decimal unit amounts', () => {
    const tiers: Tier[] = [
      { up_to: 5, unit_amount: 1_000, flat_amount: 500 },
      { up_to: null, unit_amount: 800, flat_amount: null },
    ];
    const tiered = (id: string, mode: 'graduated' | 'volume', q: number) =>
      sub({
        id,
        start: '2025-01-01',
        items: [
          {
            id: `si_${id}`,
            quantity: q,
            price: monthly(`price_${id}`, null as never, {
              billingScheme: 'tiered',
              tiersMode: mode,
            }),
          },
        ],
      });
    const packaged = sub({
      id: 'sub_pkg',
      start: '2025-01-01',
      items: [
        {
          id: 'si_pkg',
          quantity: 11,
          price: {
            ...monthly('price_pkg', 2_500),
            transform_quantity: { divide_by: 5, round: 'up' },
          },
        },
      ],
    });
    const decimal = sub({
      id: 'sub_dec',
      start: '2025-01-01',
      items: [
        {
          id: 'si_dec',
          quantity: 3,
          price: { ...monthly('price_dec', 0), unit_amount: null, unit_amount_decimal: '1250.5' },
        },
      ],
    });
    const r = rows(
      [tiered('sub_g', 'graduated', 7), tiered('sub_v', 'volume', 7), packaged, decimal],
      {
        tiers: { price_sub_g: tiers, price_sub_v: tiers },
      },
    );
    expect(r.map((x) => x.amount_cents)).toEqual([
      500 + 5 * 1_000 + 2 * 800, // graduated: the first 5 in tier 1, 2 in tier 2
      7 * 800, // volume: all 7 at tier 2
      3 * 2_500, // 11 / 5 rounded up = 3 packages
      3_752, // 3 x 1,250.5 = 3,751.5 -> half up
    ]);
  });

  it('writes trials as trialing rows and the paid row from trial_end; a trial canceled early has no paid row', () => {
    const p = monthly('price_p', 5_000);
    const converted = sub({
      id: 'sub_conv',
      start: '2026-10-01',
      trial: ['2026-10-01', '2026-10-15'],
      items: [{ id: 'si_1', price: p }],
    });
    const quit = sub({
      id: 'sub_quit',
      status: 'canceled',
      start: '2026-10-01',
      trial: ['2026-10-01', '2026-10-15'],
      endedAt: '2026-10-10',
      items: [{ id: 'si_2', price: p }],
    });
    const still = sub({
      id: 'sub_still',
      status: 'trialing',
      start: '2026-11-20',
      trial: ['2026-11-20', '2026-12-04'],
      items: [{ id: 'si_3', price: p }],
    });
    expect(
      rows([converted, quit, still]).map((r) => [r.id, r.status, r.started_on, r.canceled_on]),
    ).toEqual([
      ['sub_conv#trial', 'trialing', '2026-10-01', '2026-10-15'],
      ['sub_conv', 'active', '2026-10-15', undefined],
      ['sub_quit#trial', 'trialing', '2026-10-01', '2026-10-10'],
      ['sub_still#trial', 'trialing', '2026-11-20', undefined],
    ]);
  });

  it('stops unpaid and paused subscriptions when they entered that status; incomplete gives nothing', () => {
    const p = monthly('price_p', 5_000);
    const unpaid = sub({
      id: 'sub_unpaid',
      status: 'unpaid',
      start: '2025-01-01',
      items: [{ id: 'si_u', price: p }],
    });
    const paused = sub({
      id: 'sub_paused',
      status: 'paused',
      start: '2025-01-01',
      items: [{ id: 'si_p', price: p }],
      extra: {
        status_details: {
          paused: {
            subscription: { reason: 'trial_end_without_payment_method' },
            transitioned_at: T('2026-09-09'),
            type: 'subscription',
          },
        },
      },
    });
    const incomplete = sub({
      id: 'sub_inc',
      status: 'incomplete',
      start: '2026-11-25',
      items: [{ id: 'si_i', price: p }],
    });
    // Without an event, unpaid stops at the start of the item's current period (11-01).
    expect(rows([unpaid, paused, incomplete]).map((r) => [r.id, r.status, r.canceled_on])).toEqual([
      ['sub_unpaid', 'canceled', '2026-11-01'],
      ['sub_paused', 'canceled', '2026-09-09'],
    ]);
  });

  it('keeps a scheduled cancellation active until the day before, with canceled_on ahead', () => {
    const p = monthly('price_p', 5_000);
    const s = sub({ start: '2025-01-01', cancelAt: '2026-12-15', items: [{ id: 'si', price: p }] });
    expect(rows([s])).toEqual([
      {
        id: 'sub_1QTest',
        amount_cents: 5_000,
        interval: 'month',
        status: 'active',
        started_on: '2025-01-01',
        canceled_on: '2026-12-15',
      },
    ]);
  });

  it('converts other currencies with the configured rate, and refuses one without a rate', () => {
    const yen = sub({
      id: 'sub_jpy',
      currency: 'jpy',
      start: '2025-01-01',
      items: [{ id: 'si_j', price: monthly('price_j', 1_500, { currency: 'jpy' }) }],
    });
    // 1,500 JPY x 0.0067 USD = 10.05 USD = 1,005 cents.
    expect(rows([yen], { rates: { JPY: '0.0067' } })[0]!.amount_cents).toBe(1_005);
    expect(() => rows([yen])).toThrow(/JPY.*fx_rates/);
  });
});

describe('money and dates', () => {
  it('converts exactly and formats per currency', () => {
    const c = converter('USD', { EUR: '1.08', KWD: '3.25' });
    expect(c.convert(27_500, 'eur', 'x')).toBe(29_700);
    expect(c.convert(1, 'eur', 'x')).toBe(1); // 1.08 -> 1
    expect(c.convert(1_000, 'kwd', 'x')).toBe(325); // 1.000 KWD = 3.25 USD
    expect([...c.converted().keys()]).toEqual(['EUR', 'KWD']);
    expect(formatAmount(1_388_567, 'usd')).toBe('$13,885.67 USD');
    expect(formatAmount(1_200, 'JPY')).toBe('1,200 JPY');
  });

  it('turns timestamps into dates in a time zone and back', () => {
    expect(dateIn('UTC')(at('2026-10-01T00:30:00Z'))).toBe('2026-10-01');
    expect(dateIn('America/New_York')(at('2026-10-01T00:30:00Z'))).toBe('2026-09-30');
    expect(startOfDay('2026-08-01', 'America/New_York')).toBe(at('2026-08-01T04:00:00Z'));
    expect(startOfDay('2026-12-01', 'America/New_York')).toBe(at('2026-12-01T05:00:00Z'));
    expect(startOfDay('2026-08-01', 'Asia/Kolkata')).toBe(at('2026-07-31T18:30:00Z'));
  });
});

describe('cash overlay', () => {
  const file = [
    {
      month: '2026-09',
      cash_in_cents: '1',
      refunds_cents: '2',
      cash_out_cents: '300',
      closing_balance_cents: '5000',
    },
    { month: '2026-10', cash_in_cents: '1', cash_out_cents: '400', closing_balance_cents: '4000' },
  ];
  const txns = [
    { type: 'charge', date: '2026-10-03', amount: 1_000, fee: 30 },
    { type: 'payment', date: '2026-11-03', amount: 500, fee: 5 },
    { type: 'refund', date: '2026-11-04', amount: -100, fee: 0 },
    { type: 'payout', date: '2026-11-05', amount: -900, fee: 0 },
    { type: 'stripe_fee', date: '2026-11-06', amount: -20, fee: 0 },
  ];
  const base = {
    fileRows: file,
    transactions: txns,
    balance: 777,
    today: '2026-11-26',
    months: 2,
    cashIn: 'net_of_fees' as const,
    closingBalance: 'stripe' as const,
  };

  it('replaces cash in and refunds of the window, adds the current month, keeps expenses', () => {
    expect(overlayCashflow(base)).toEqual([
      file[0], // September is outside a 2-month window
      { ...file[1], cash_in_cents: 970, refunds_cents: 0 },
      {
        month: '2026-11',
        cash_in_cents: 495,
        refunds_cents: 100,
        cash_out_cents: 0,
        closing_balance_cents: 777,
      },
    ]);
  });

  it('keeps fees in with cash_in: gross and adds the bank balance with bank_plus_stripe', () => {
    const r = overlayCashflow({ ...base, cashIn: 'gross', closingBalance: 'bank_plus_stripe' });
    expect(r.at(-1)).toMatchObject({ cash_in_cents: 500, closing_balance_cents: 4_000 + 777 });
    expect(cashByMonth(txns, 'gross').get('2026-10')).toEqual({ cashIn: 1_000, refunds: 0 });
  });

  it('leaves the file alone with months: 0', () => {
    expect(overlayCashflow({ ...base, months: 0 })).toEqual(file);
  });
});
