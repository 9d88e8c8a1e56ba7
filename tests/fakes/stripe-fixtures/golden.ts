/**
 * The golden Stripe account: Northwind-like, as of 2026-11-26 14:00 UTC. Every amount
 * below is chosen so the metrics can be worked out by hand (tests/sources/connectors/
 * stripe-golden.test.ts writes the arithmetic). Annual cents in the comments.
 *
 *  Acme Corp         Scale yearly $12,000                                  1,200,000
 *  Bluefin           Growth monthly $299 - 20% forever = $239.20, cancel scheduled 12-01   287,040
 *  Cedar & Pine      Growth quarterly $840 x 2 seats - $50 off = $1,630    652,000
 *  Dune Analytics    Starter $99 + seats add-on (added 09-10, 5 x $15; cut to 3 on 11-12 by event)
 *  Evergreen Health  Starter $99 -> Growth $299 on 11-05 (event)
 *  Foxglove Media    trialing (never counts)
 *  Granite Labs      trial 10-20..11-03, then Starter $99 (new in November)
 *  Harbor Freight    Growth $299, canceled 11-15 (churn)
 *  Ironwood          Starter $99, canceled 10-20 (churn in October), back 11-18 (reactivation)
 *  Juniper Retail    Growth $299, past due (counts; past-due MRR)
 *  Kestrel Bio       Starter $99, unpaid since 11-08 (event): churn
 *  Lumen Studio      incomplete (no row); Quarry Works incomplete_expired (no row)
 *  Maple Hotels      Growth EUR 275.00 monthly, at 1.08 = $297.00          356,400
 *  Nimbus Data       Starter every 6 months $540 (= $1,080/year); 50% for 3 months from 11-10
 *  Orchid Dental     Starter $99 with a 100%-once coupon (left out) + a metered item (no row)
 *  Pioneer Freight   Growth quarterly $840, canceled 09-12 (churn in September)
 */
import {
  at,
  balance,
  balanceTransaction,
  coupon,
  customer,
  discount,
  event,
  price,
  product,
  stripeId,
  subscription,
  subscriptionItem,
  type Obj,
} from './objects.js';

export const GOLDEN_NOW = new Date('2026-11-26T14:00:00Z');
export const GOLDEN_TODAY = '2026-11-26';
export const GOLDEN_API_KEY = 'rk_test_51QBoardroomGoldenFixtureKey0000000000';

export interface StripeAccount {
  customers: Obj[];
  products: Obj[];
  coupons: Obj[];
  discounts: Obj[];
  subscriptions: Obj[];
  events: Obj[];
  balanceTransactions: Obj[];
  balance: Obj;
  /** Tiers of tiered prices, by price id (returned on `expand[]=tiers`). */
  tiers?: Record<string, Obj[]>;
}

const NOW = at('2026-11-26T14:00:00Z');
const T0 = at('2024-01-10T09:00:00Z');

/** The current billing period of a subscription billed every `months` from `anchor`. */
function period(anchorIso: string, months: number): [number, number] {
  const a = new Date(anchorIso);
  const step = (k: number) =>
    at(
      new Date(
        Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + k * months, a.getUTCDate(), 12),
      ).toISOString(),
    );
  let k = 0;
  while (step(k + 1) <= NOW) k++;
  return [step(k), step(k + 1)];
}

export const IDS = {
  products: {
    starter: 'prod_RStarterPlan01',
    growth: 'prod_RGrowthPlan001',
    scale: 'prod_RScalePlan0001',
    seats: 'prod_RExtraSeats001',
    usage: 'prod_RApiCalls00001',
  },
  prices: {
    starterMonthly: 'price_1QStarterMonthly0001usd',
    starterSemiannual: 'price_1QStarterSixMonths01usd',
    growthMonthly: 'price_1QGrowthMonthly00001usd',
    growthQuarterly: 'price_1QGrowthQuarterly0001usd',
    growthMonthlyEur: 'price_1QGrowthMonthly00001eur',
    scaleYearly: 'price_1QScaleYearly000001usd',
    seatsMonthly: 'price_1QExtraSeatMonthly01usd',
    usageMetered: 'price_1QApiCallsMetered001usd',
  },
  coupons: { pct20: 'LOYAL20', off50: 'FIFTYOFF', once100: 'FIRSTFREE', half3mo: 'HALF3MO' },
} as const;

const P = IDS.prices;
const prices: Record<keyof typeof P, Obj> = {
  starterMonthly: price({
    id: P.starterMonthly,
    product: IDS.products.starter,
    nickname: 'Starter monthly',
    unitAmount: 9_900,
    interval: 'month',
    created: T0,
  }),
  starterSemiannual: price({
    id: P.starterSemiannual,
    product: IDS.products.starter,
    nickname: 'Starter every 6 months',
    unitAmount: 54_000,
    interval: 'month',
    intervalCount: 6,
    created: T0,
  }),
  growthMonthly: price({
    id: P.growthMonthly,
    product: IDS.products.growth,
    nickname: 'Growth monthly',
    unitAmount: 29_900,
    interval: 'month',
    created: T0,
  }),
  growthQuarterly: price({
    id: P.growthQuarterly,
    product: IDS.products.growth,
    nickname: 'Growth quarterly',
    unitAmount: 84_000,
    interval: 'month',
    intervalCount: 3,
    created: T0,
  }),
  growthMonthlyEur: price({
    id: P.growthMonthlyEur,
    product: IDS.products.growth,
    nickname: 'Growth monthly (EUR)',
    unitAmount: 27_500,
    interval: 'month',
    currency: 'eur',
    created: T0,
  }),
  scaleYearly: price({
    id: P.scaleYearly,
    product: IDS.products.scale,
    nickname: 'Scale yearly',
    unitAmount: 1_200_000,
    interval: 'year',
    created: T0,
  }),
  seatsMonthly: price({
    id: P.seatsMonthly,
    product: IDS.products.seats,
    nickname: 'Extra seat',
    unitAmount: 1_500,
    interval: 'month',
    created: T0,
  }),
  usageMetered: price({
    id: P.usageMetered,
    product: IDS.products.usage,
    nickname: 'API calls',
    unitAmount: 2,
    interval: 'month',
    usageType: 'metered',
    created: T0,
  }),
};

const products = [
  product(IDS.products.starter, 'Starter', T0),
  product(IDS.products.growth, 'Growth', T0),
  product(IDS.products.scale, 'Scale', T0),
  product(IDS.products.seats, 'Extra seats', T0),
  product(IDS.products.usage, 'API calls', T0),
];

const coupons = [
  coupon({
    id: IDS.coupons.pct20,
    name: 'Loyalty 20%',
    percentOff: 20,
    duration: 'forever',
    created: T0,
  }),
  coupon({
    id: IDS.coupons.off50,
    name: '$50 off',
    amountOff: 5_000,
    duration: 'forever',
    created: T0,
  }),
  coupon({
    id: IDS.coupons.once100,
    name: 'First month free',
    percentOff: 100,
    duration: 'once',
    created: T0,
  }),
  coupon({
    id: IDS.coupons.half3mo,
    name: 'Half price for 3 months',
    percentOff: 50,
    duration: 'repeating',
    durationInMonths: 3,
    created: T0,
  }),
];

interface CustomerSpec {
  key: string;
  name: string;
  email: string;
  currency?: string;
  metadata?: Record<string, string>;
}
const CUSTOMERS: CustomerSpec[] = [
  {
    key: 'acme',
    name: 'Acme Corp',
    email: 'billing@acme.example',
    metadata: { boardroom_id: 'C-001' },
  },
  { key: 'bluefin', name: 'Bluefin Logistics', email: 'ap@bluefin.example' },
  { key: 'cedar', name: 'Cedar & Pine Co', email: 'finance@cedarpine.example' },
  { key: 'dune', name: 'Dune Analytics', email: 'ops@dune.example' },
  { key: 'evergreen', name: 'Evergreen Health', email: 'billing@evergreen.example' },
  { key: 'foxglove', name: 'Foxglove Media', email: 'hello@foxglove.example' },
  { key: 'granite', name: 'Granite Labs', email: 'billing@granite.example' },
  { key: 'harbor', name: 'Harbor Freight Co', email: 'ap@harbor.example' },
  { key: 'ironwood', name: 'Ironwood Partners', email: 'accounts@ironwood.example' },
  { key: 'juniper', name: 'Juniper Retail', email: 'billing@juniper.example' },
  { key: 'kestrel', name: 'Kestrel Bio', email: 'finance@kestrel.example' },
  { key: 'lumen', name: 'Lumen Studio', email: 'studio@lumen.example' },
  { key: 'maple', name: 'Maple Hotels', email: 'compta@maple.example', currency: 'eur' },
  { key: 'nimbus', name: 'Nimbus Data', email: 'billing@nimbus.example' },
  { key: 'orchid', name: 'Orchid Dental', email: 'office@orchid.example' },
  { key: 'pioneer', name: 'Pioneer Freight', email: 'ap@pioneer.example' },
  { key: 'quarry', name: 'Quarry Works', email: 'billing@quarry.example' },
];
export const CUSTOMER_IDS = Object.fromEntries(
  CUSTOMERS.map((c) => [c.key, stripeId('cus', c.key).slice(0, 18)]),
) as Record<string, string>;
const customers = CUSTOMERS.map((c) =>
  customer({
    id: CUSTOMER_IDS[c.key]!,
    name: c.name,
    email: c.email,
    currency: c.currency,
    metadata: c.metadata,
    created: T0,
  }),
);

const subId = (key: string) => stripeId('sub', key);
const itemId = (key: string) => stripeId('si', key).slice(0, 17);
const discId = (key: string) => stripeId('di', key).slice(0, 27);

/** Every subscription id of the fixture, by a readable key. */
export const SUB_IDS = Object.fromEntries(
  [
    'acme',
    'bluefin',
    'cedar',
    'dune',
    'evergreen',
    'foxglove',
    'granite',
    'harbor',
    'ironwood',
    'juniper',
    'kestrel',
    'lumen',
    'maple',
    'ironwood2',
    'nimbus',
    'orchid',
    'pioneer',
    'quarry',
  ].map((k) => [k, subId(k)]),
) as Record<string, string>;
export const ITEM_IDS = {
  duneStarter: itemId('dune-starter'),
  duneSeats: itemId('dune-seats'),
  evergreen: itemId('evergreen'),
  orchidStarter: itemId('orchid-starter'),
  orchidUsage: itemId('orchid-usage'),
};

interface SubSpec {
  key: string;
  customer: string;
  status: string;
  start: string;
  items: { key: string; price: Obj; quantity?: number; created?: string; discounts?: string[] }[];
  months: number;
  currency?: string;
  discounts?: string[];
  cancelAt?: string;
  endedAt?: string;
  trial?: [string, string];
}

function buildSub(spec: SubSpec): Obj {
  const id = subId(spec.key);
  const anchor = spec.trial ? spec.trial[1] : spec.start;
  const [ps, pe] = spec.endedAt ? [at(spec.start), at(spec.endedAt)] : period(anchor, spec.months);
  return subscription({
    id,
    customer: CUSTOMER_IDS[spec.customer]!,
    status: spec.status,
    currency: spec.currency,
    created: at(spec.trial ? spec.trial[0] : spec.start),
    startDate: at(spec.start),
    discounts: spec.discounts,
    cancelAt: spec.cancelAt ? at(spec.cancelAt) : null,
    canceledAt: spec.endedAt ? at(spec.endedAt) : null,
    endedAt: spec.endedAt ? at(spec.endedAt) : null,
    trialStart: spec.trial ? at(spec.trial[0]) : null,
    trialEnd: spec.trial ? at(spec.trial[1]) : null,
    items: spec.items.map((i) =>
      subscriptionItem({
        id: i.key.startsWith('si_') ? i.key : itemId(i.key),
        subscription: id,
        price: i.price,
        quantity: i.quantity,
        created: at(i.created ?? (spec.trial ? spec.trial[0] : spec.start)),
        periodStart: ps,
        periodEnd: pe,
        discounts: i.discounts,
      }),
    ),
  });
}

const D = {
  bluefin: discId('bluefin'),
  cedar: discId('cedar'),
  nimbus: discId('nimbus'),
  orchid: discId('orchid'),
};
const discounts = [
  discount({
    id: D.bluefin,
    coupon: IDS.coupons.pct20,
    customer: CUSTOMER_IDS.bluefin!,
    subscription: subId('bluefin'),
    start: at('2025-06-01T12:00:00Z'),
  }),
  discount({
    id: D.cedar,
    coupon: IDS.coupons.off50,
    customer: CUSTOMER_IDS.cedar!,
    subscription: subId('cedar'),
    start: at('2024-11-01T12:00:00Z'),
  }),
  discount({
    id: D.nimbus,
    coupon: IDS.coupons.half3mo,
    customer: CUSTOMER_IDS.nimbus!,
    subscription: subId('nimbus'),
    start: at('2026-11-10T16:20:00Z'),
    end: at('2027-02-10T16:20:00Z'),
  }),
  discount({
    id: D.orchid,
    coupon: IDS.coupons.once100,
    customer: CUSTOMER_IDS.orchid!,
    subscription: subId('orchid'),
    subscriptionItem: ITEM_IDS.orchidStarter,
    start: at('2026-08-05T12:00:00Z'),
  }),
];

const SPECS: SubSpec[] = [
  {
    key: 'acme',
    customer: 'acme',
    status: 'active',
    start: '2025-03-15T12:00:00Z',
    months: 12,
    items: [{ key: 'acme', price: prices.scaleYearly }],
  },
  {
    key: 'bluefin',
    customer: 'bluefin',
    status: 'active',
    start: '2025-06-01T12:00:00Z',
    months: 1,
    items: [{ key: 'bluefin', price: prices.growthMonthly }],
    discounts: [D.bluefin],
    cancelAt: '2026-12-01T12:00:00Z',
  },
  {
    key: 'cedar',
    customer: 'cedar',
    status: 'active',
    start: '2024-11-01T12:00:00Z',
    months: 3,
    items: [{ key: 'cedar', price: prices.growthQuarterly, quantity: 2 }],
    discounts: [D.cedar],
  },
  {
    key: 'dune',
    customer: 'dune',
    status: 'active',
    start: '2025-01-20T12:00:00Z',
    months: 1,
    items: [
      { key: ITEM_IDS.duneStarter, price: prices.starterMonthly },
      {
        key: ITEM_IDS.duneSeats,
        price: prices.seatsMonthly,
        quantity: 3,
        created: '2026-09-10T10:00:00Z',
      },
    ],
  },
  {
    key: 'evergreen',
    customer: 'evergreen',
    status: 'active',
    start: '2024-05-05T12:00:00Z',
    months: 1,
    items: [{ key: ITEM_IDS.evergreen, price: prices.growthMonthly }],
  },
  {
    key: 'foxglove',
    customer: 'foxglove',
    status: 'trialing',
    start: '2026-11-20T12:00:00Z',
    months: 1,
    items: [{ key: 'foxglove', price: prices.growthMonthly }],
    trial: ['2026-11-20T12:00:00Z', '2026-12-04T12:00:00Z'],
  },
  {
    key: 'granite',
    customer: 'granite',
    status: 'active',
    start: '2026-10-20T12:00:00Z',
    months: 1,
    items: [{ key: 'granite', price: prices.starterMonthly }],
    trial: ['2026-10-20T12:00:00Z', '2026-11-03T12:00:00Z'],
  },
  {
    key: 'harbor',
    customer: 'harbor',
    status: 'canceled',
    start: '2025-02-10T12:00:00Z',
    months: 1,
    items: [{ key: 'harbor', price: prices.growthMonthly }],
    endedAt: '2026-11-15T09:30:00Z',
  },
  {
    key: 'ironwood',
    customer: 'ironwood',
    status: 'canceled',
    start: '2025-08-01T12:00:00Z',
    months: 1,
    items: [{ key: 'ironwood', price: prices.starterMonthly }],
    endedAt: '2026-10-20T08:00:00Z',
  },
  {
    key: 'juniper',
    customer: 'juniper',
    status: 'past_due',
    start: '2025-09-01T12:00:00Z',
    months: 1,
    items: [{ key: 'juniper', price: prices.growthMonthly }],
  },
  {
    key: 'kestrel',
    customer: 'kestrel',
    status: 'unpaid',
    start: '2025-04-10T12:00:00Z',
    months: 1,
    items: [{ key: 'kestrel', price: prices.starterMonthly }],
  },
  {
    key: 'lumen',
    customer: 'lumen',
    status: 'incomplete',
    start: '2026-11-24T12:00:00Z',
    months: 1,
    items: [{ key: 'lumen', price: prices.growthMonthly }],
  },
  {
    key: 'maple',
    customer: 'maple',
    status: 'active',
    start: '2026-02-01T12:00:00Z',
    months: 1,
    currency: 'eur',
    items: [{ key: 'maple', price: prices.growthMonthlyEur }],
  },
  {
    key: 'ironwood2',
    customer: 'ironwood',
    status: 'active',
    start: '2026-11-18T12:00:00Z',
    months: 1,
    items: [{ key: 'ironwood2', price: prices.starterMonthly }],
  },
  {
    key: 'nimbus',
    customer: 'nimbus',
    status: 'active',
    start: '2026-06-15T12:00:00Z',
    months: 6,
    items: [{ key: 'nimbus', price: prices.starterSemiannual }],
    discounts: [D.nimbus],
  },
  {
    key: 'orchid',
    customer: 'orchid',
    status: 'active',
    start: '2026-08-05T12:00:00Z',
    months: 1,
    items: [
      { key: ITEM_IDS.orchidStarter, price: prices.starterMonthly, discounts: [D.orchid] },
      { key: ITEM_IDS.orchidUsage, price: prices.usageMetered },
    ],
  },
  {
    key: 'pioneer',
    customer: 'pioneer',
    status: 'canceled',
    start: '2025-12-12T12:00:00Z',
    months: 3,
    items: [{ key: 'pioneer', price: prices.growthQuarterly }],
    endedAt: '2026-09-12T12:00:00Z',
  },
  {
    key: 'quarry',
    customer: 'quarry',
    status: 'incomplete_expired',
    start: '2026-10-02T12:00:00Z',
    months: 1,
    items: [{ key: 'quarry', price: prices.growthMonthly }],
    endedAt: '2026-10-03T12:00:00Z',
  },
];

const subscriptions = SPECS.map(buildSub);
const subByKey = (key: string) => subscriptions.find((s) => s.id === subId(key))!;
const itemsOf = (s: Obj) => (s.items as { data: Obj[] }).data;

/** A subscription as an event renders it: the same object, with a few fields changed. */
function asOf(s: Obj, changes: Obj = {}, itemChanges: (item: Obj) => Obj = (i) => i): Obj {
  const copy = structuredClone(s);
  const items = copy.items as { data: Obj[] };
  items.data = items.data.map(itemChanges);
  return { ...copy, ...changes };
}
const withPrice = (item: Obj, pr: Obj) => ({
  ...item,
  price: pr,
  plan: {
    ...(item.plan as Obj),
    id: pr.id,
    amount: pr.unit_amount,
    amount_decimal: pr.unit_amount_decimal,
    nickname: pr.nickname,
    product: pr.product,
  },
});

const ev = (
  key: string,
  iso: string,
  object: Obj,
  previousAttributes?: Obj,
  type = 'customer.subscription.updated',
) => event({ id: stripeId('evt', key), type, created: at(iso), object, previousAttributes });

const dune = subByKey('dune');
const evergreen = subByKey('evergreen');
const granite = subByKey('granite');
const kestrel = subByKey('kestrel');
const nimbus = subByKey('nimbus');
const bluefin = subByKey('bluefin');

/** Newest first, as Stripe lists them. */
const events = [
  // Dune cuts its seats from 5 to 3.
  ev('dune-seats', '2026-11-12T15:30:00Z', asOf(dune), {
    items: {
      data: itemsOf(dune).map((i) => (i.id === ITEM_IDS.duneSeats ? { ...i, quantity: 5 } : i)),
    },
  }),
  // Nimbus gets half price for three months.
  ev('nimbus-coupon', '2026-11-10T16:20:00Z', asOf(nimbus), { discounts: [] }),
  // Kestrel's retries are exhausted: past_due -> unpaid.
  ev('kestrel-unpaid', '2026-11-08T06:00:00Z', asOf(kestrel), { status: 'past_due' }),
  // Evergreen upgrades Starter -> Growth on the same item.
  ev('evergreen-upgrade', '2026-11-05T11:00:00Z', asOf(evergreen), {
    items: { data: itemsOf(evergreen).map((i) => withPrice(i, prices.starterMonthly)) },
  }),
  // Granite's trial converts.
  ev('granite-converts', '2026-11-03T12:00:00Z', asOf(granite), { status: 'trialing' }),
  // Bluefin renews: only the billing period changes (no new row).
  ev('bluefin-renews', '2026-11-01T12:00:00Z', asOf(bluefin), {
    items: {
      data: itemsOf(bluefin).map((i) => ({
        ...i,
        current_period_start: at('2026-10-01T12:00:00Z'),
        current_period_end: at('2026-11-01T12:00:00Z'),
      })),
    },
    latest_invoice: stripeId('in', 'bluefin-october'),
  }),
  // Another type, filtered out by the request's `type`.
  ev(
    'ironwood-back',
    '2026-11-18T12:00:00Z',
    asOf(subByKey('ironwood2')),
    undefined,
    'customer.subscription.created',
  ),
].sort((a, b) => (b.created as number) - (a.created as number));

const bt = (key: string, type: string, iso: string, amount: number, fee = 0, currency = 'usd') =>
  balanceTransaction({ id: stripeId('txn', key), type, amount, fee, currency, created: at(iso) });

/** Cash: July is before the 4-month window (never requested); amounts in cents. */
const balanceTransactions = [
  bt('jul-charge', 'charge', '2026-07-20T10:00:00Z', 650_000, 18_880),
  bt('aug-charge-1', 'charge', '2026-08-03T10:00:00Z', 500_000, 14_530),
  bt('aug-charge-2', 'charge', '2026-08-17T10:00:00Z', 300_000, 8_730),
  bt('aug-refund', 'refund', '2026-08-21T10:00:00Z', -20_000),
  bt('aug-payout', 'payout', '2026-08-25T10:00:00Z', -700_000),
  bt('sep-charge', 'charge', '2026-09-02T10:00:00Z', 900_000, 26_130),
  bt('sep-refund', 'refund', '2026-09-15T10:00:00Z', -10_000),
  bt('sep-billing-fee', 'stripe_fee', '2026-09-30T10:00:00Z', -2_000),
  bt('sep-payout', 'payout', '2026-09-25T10:00:00Z', -850_000),
  bt('oct-charge', 'charge', '2026-10-01T00:30:00Z', 1_000_000, 29_030),
  bt('oct-ach', 'payment', '2026-10-14T10:00:00Z', 200_000, 3_000),
  bt('oct-refund', 'payment_refund', '2026-10-31T23:30:00Z', -50_000),
  bt('oct-payout', 'payout', '2026-10-25T10:00:00Z', -1_100_000),
  bt('nov-charge', 'charge', '2026-11-02T10:00:00Z', 400_000, 11_630),
  bt('nov-charge-eur', 'charge', '2026-11-03T10:00:00Z', 100_000, 3_200, 'eur'),
  bt('nov-refund', 'refund', '2026-11-20T10:00:00Z', -5_000),
].sort((a, b) => (b.created as number) - (a.created as number));

export const goldenStripeAccount: StripeAccount = {
  customers,
  products,
  coupons,
  discounts,
  subscriptions,
  events,
  balanceTransactions,
  balance: balance({
    available: [
      { amount: 1_234_567, currency: 'usd' },
      { amount: 50_000, currency: 'eur' },
    ],
    pending: [{ amount: 100_000, currency: 'usd' }],
  }),
};

/** The connector settings the golden test uses (sources.yaml's stripe block). */
export const GOLDEN_SETTINGS = {
  api_key_env: 'STRIPE_API_KEY',
  currency: 'USD',
  fx_rates: { EUR: 1.08 },
  // The golden arithmetic takes cash on hand from Stripe alone (the default adds the bank's).
  closing_balance: 'stripe',
};

/** The workspace's cashflow.csv rows (as the CSV loader gives them): expenses and the books. */
export const GOLDEN_CASHFLOW_FILE = [
  {
    month: '2026-07',
    cash_in_cents: '650000',
    refunds_cents: '0',
    cash_out_cents: '1400000',
    revenue_cents: '760000',
    cost_of_revenue_cents: '190000',
    closing_balance_cents: '10700000',
  },
  {
    month: '2026-08',
    cash_in_cents: '700000',
    refunds_cents: '0',
    cash_out_cents: '1500000',
    revenue_cents: '800000',
    cost_of_revenue_cents: '200000',
    closing_balance_cents: '10000000',
  },
  {
    month: '2026-09',
    cash_in_cents: '800000',
    refunds_cents: '0',
    cash_out_cents: '1600000',
    revenue_cents: '850000',
    cost_of_revenue_cents: '210000',
    closing_balance_cents: '9200000',
  },
  {
    month: '2026-10',
    cash_in_cents: '900000',
    refunds_cents: '0',
    cash_out_cents: '2000000',
    revenue_cents: '900000',
    cost_of_revenue_cents: '220000',
    closing_balance_cents: '8100000',
  },
  {
    month: '2026-11',
    cash_in_cents: '100000',
    refunds_cents: undefined,
    cash_out_cents: '500000',
    revenue_cents: undefined,
    cost_of_revenue_cents: undefined,
    closing_balance_cents: '7700000',
  },
];

/**
 * What the golden account gives through the connector and the agents with
 * GOLDEN_SETTINGS, GOLDEN_CASHFLOW_FILE and today = GOLDEN_TODAY (closing_balance: stripe).
 * The arithmetic, by hand: tests/sources/connectors/stripe-golden.test.ts.
 */
export const GOLDEN_EXPECTED = {
  finance: {
    mrr: 3163.53,
    arr: 37962.36, // 316,353 x 12
    customers: 11,
    arpa: 287.59,
    mrrStart: 3238.53,
    mrrNew: 99,
    mrrExpansion: 200,
    mrrReactivation: 99,
    mrrContraction: 75,
    mrrChurn: 398,
    netNewMrr: -75,
    mrrGrowthPct: -2.32,
    grossMrrChurnPct: 14.61,
    newCustomers: 1,
    reactivatedCustomers: 1,
    churnedCustomers: 2,
    quickRatio: 0.63,
    mrrStartLastMonth: 3337.53,
    mrrNewLastMonth: 0,
    mrrExpansionLastMonth: 0,
    mrrReactivationLastMonth: 0,
    mrrContractionLastMonth: 0,
    mrrChurnLastMonth: 99,
    netNewMrrLastMonth: -99,
    mrrGrowthPctLastMonth: -2.97,
    grossMrrChurnPctLastMonth: 2.97,
    monthlyRevenueChurnPct: 3.67,
    pastDueMrr: 299,
    cashBalance: 13885.67,
    grossBurn: 17000,
    netBurn: 7871.4,
    runwayMonths: 1.8,
    netBurnLastMonth: 8820.3,
    netBurnChangePct: 19.82,
    revenueLastMonth: 8500, // 900,000 - 50,000 refunds
    refundsLastMonth: 500,
    grossMarginPct: 74.49,
    ltv: 5835.61,
  },
  customerSuccess: {
    accounts: 11,
    trackedArr: 37962.4,
    customersLost: 2,
    customerChurnRatePct: 18.18,
    grrPct: 85.39,
    nrrPct: 91.57,
    customerChurnRatePctLastMonth: 8.33,
    grrPctLastMonth: 97.03,
    nrrPctLastMonth: 97.03,
    paymentFailureAccounts: 1,
  },
} as const;
