/**
 * The Stripe connector: finance's `subscriptions` and `cashflow`, and customer
 * success's `subscriptions`, from a Stripe account (docs/sources/stripe.md).
 *
 * Calls (all GET, `limit=100` pages with `starting_after` while `has_more`):
 *   /v1/subscriptions?status=all&expand[]=data.customer&expand[]=data.discounts.source.coupon&expand[]=data.items.data.discounts
 *   /v1/subscription_items?subscription=...   (only for a subscription with more items than embedded)
 *   /v1/events?type=customer.subscription.updated&created[gte]=...   (plan-change history)
 *   /v1/coupons        (only when an item-level discount's coupon is not expanded)
 *   /v1/products       (plan names)
 *   /v1/prices/:id?expand[]=tiers   (only for tiered prices)
 *   /v1/balance_transactions?created[gte]=...   (finance: cash in and refunds by month)
 *   /v1/balance        (finance: the closing balance)
 */
import type Stripe from 'stripe';
import type { AgentName } from '../../../contract/report.js';
import {
  BoardroomError,
  ConfigError,
  SourceAuthError,
  SourceTransientError,
} from '../../../shared/errors.js';
import type { CheckResult, Connector, ConnectorContext, ConnectorResult } from '../connector.js';
import { overlayCashflow, firstCashMonth, type CashTransaction } from './cashflow.js';
import { Calls, PAGE_LIMIT, createStripe, listAll, parseObject } from './client.js';
import { dateIn, startOfDay } from './dates.js';
import { converter, formatAmount, type Converter } from './money.js';
import {
  Balance,
  BalanceTransaction,
  Coupon,
  Event,
  Price,
  Product,
  Subscription,
  SubscriptionItem,
  type Discount,
  type Tier,
} from './schemas.js';
import { STRIPE_SUPPLIES, apiKeyFrom, parseSettings, type StripeSettings } from './settings.js';
import { subscriptionRows, type SubscriptionRow } from './subscriptions.js';

export { STRIPE_API_VERSION } from './client.js';
export { StripeSettings, DEFAULT_KEY_ENV, PERMISSIONS } from './settings.js';
export type { SubscriptionRow } from './subscriptions.js';

/** Expansions on the subscriptions list (each at most 4 levels deep, Stripe's limit). */
export const SUBSCRIPTION_EXPAND = [
  'data.customer',
  'data.discounts.source.coupon',
  'data.items.data.discounts',
] as const;

export const EVENT_TYPE = 'customer.subscription.updated';

const SUPPLIES = STRIPE_SUPPLIES;

interface Session {
  stripe: Stripe;
  calls: Calls;
  s: StripeSettings;
  conv: Converter;
}

function open(ctx: Omit<ConnectorContext, 'fileDatasets'>): Session {
  const s = parseSettings(ctx);
  const key = apiKeyFrom(ctx.env, s);
  return {
    stripe: createStripe(key, s),
    calls: new Calls(ctx.signal),
    s,
    conv: converter(s.currency, s.fx_rates),
  };
}

const after = (id: string | undefined) => (id ? { starting_after: id } : {});

/** Every subscription (all statuses), with customers, discounts and coupons expanded. */
async function fetchSubscriptions(x: Session) {
  const env = x.s.api_key_env;
  const { items: subs, pages } = await listAll(
    x.calls,
    env,
    'subscriptions',
    'subscription',
    Subscription,
    (id) =>
      x.stripe.subscriptions.list({
        status: 'all',
        limit: PAGE_LIMIT,
        expand: [...SUBSCRIPTION_EXPAND],
        ...after(id),
      }),
  );
  for (const sub of subs) {
    if (!sub.items.has_more) continue;
    const { items } = await listAll(
      x.calls,
      env,
      'subscription items',
      'subscription_item',
      SubscriptionItem,
      (id) =>
        x.stripe.subscriptionItems.list({
          subscription: sub.id,
          limit: PAGE_LIMIT,
          expand: ['data.discounts'],
          ...after(id),
        }),
    );
    sub.items = { ...sub.items, data: items, has_more: false };
  }
  return { subs, pages };
}

async function loadSubscriptions(x: Session, ctx: ConnectorContext): Promise<SubscriptionRow[]> {
  const env = x.s.api_key_env;
  const { subs } = await fetchSubscriptions(x);

  let events: Event[] = [];
  if (x.s.history_days > 0) {
    const since = Math.floor(ctx.asOf.getTime() / 1000) - x.s.history_days * 86_400;
    events = (
      await listAll(x.calls, env, 'events', 'event', Event, (id) =>
        x.stripe.events.list({
          type: EVENT_TYPE,
          created: { gte: since },
          limit: PAGE_LIMIT,
          ...after(id),
        }),
      )
    ).items;
  }

  // Coupons: expanded on subscription-level discounts; item-level ones come as ids.
  const coupons = new Map<string, Coupon>();
  const wanted = new Set<string>();
  const note = (refs: readonly (string | Discount)[]) => {
    for (const d of refs) {
      if (typeof d === 'string' || d.source.coupon === null) continue;
      if (typeof d.source.coupon === 'string') wanted.add(d.source.coupon);
      else coupons.set(d.source.coupon.id, d.source.coupon);
    }
  };
  for (const sub of subs) {
    note(sub.discounts);
    for (const item of sub.items.data) note(item.discounts);
  }
  if ([...wanted].some((id) => !coupons.has(id))) {
    const listed = await listAll(x.calls, env, 'coupons', 'coupon', Coupon, (id) =>
      x.stripe.coupons.list({ limit: PAGE_LIMIT, ...after(id) }),
    );
    for (const c of listed.items) if (!coupons.has(c.id)) coupons.set(c.id, c);
  }

  const productNames = new Map<string, string>();
  if (subs.length > 0) {
    const products = await listAll(x.calls, env, 'products', 'product', Product, (id) =>
      x.stripe.products.list({ limit: PAGE_LIMIT, ...after(id) }),
    );
    for (const p of products.items) productNames.set(p.id, p.name);
  }

  // Tiered prices carry their tiers only when expanded: one retrieve per such price.
  const tiers = new Map<string, Tier[]>();
  const tiered = new Set<string>();
  for (const sub of subs) {
    for (const item of sub.items.data) {
      if (item.price.billing_scheme === 'tiered' && !item.price.tiers) tiered.add(item.price.id);
    }
  }
  for (const priceId of tiered) {
    const raw = await x.calls.run('prices', env, () =>
      x.stripe.prices.retrieve(priceId, { expand: ['tiers'] }),
    );
    const price = parseObject(Price, raw, 'price');
    if (price.tiers) tiers.set(priceId, price.tiers);
  }

  return subscriptionRows({
    subscriptions: subs,
    events,
    coupons,
    productNames,
    tiers,
    today: ctx.today,
    timezone: x.s.timezone,
    convert: x.conv,
    customerIdMetadata: x.s.customer_id_metadata,
  });
}

/** The Stripe balance (available + pending), in the reporting currency. */
async function fetchBalance(x: Session): Promise<{ total: number; livemode: boolean }> {
  const raw = await x.calls.run('balance', x.s.api_key_env, () => x.stripe.balance.retrieve());
  const balance = parseObject(Balance, raw, 'balance');
  let total = 0;
  for (const part of [...balance.available, ...balance.pending]) {
    total += x.conv.convert(part.amount, part.currency, 'the Stripe balance');
  }
  return { total, livemode: balance.livemode };
}

async function loadCashflow(x: Session, ctx: ConnectorContext): Promise<unknown[]> {
  const env = x.s.api_key_env;
  const first = firstCashMonth(ctx.today, x.s.cash_months);
  const since = startOfDay(`${first}-01`, x.s.timezone);
  const { items } = await listAll(
    x.calls,
    env,
    'balance transactions',
    'balance_transaction',
    BalanceTransaction,
    (id) =>
      x.stripe.balanceTransactions.list({
        created: { gte: since },
        limit: PAGE_LIMIT,
        ...after(id),
      }),
  );
  const dateOf = dateIn(x.s.timezone);
  const transactions: CashTransaction[] = items.map((t) => ({
    type: t.type,
    date: dateOf(t.created),
    amount: x.conv.convert(t.amount, t.currency, `balance transaction ${t.id}`),
    fee: x.conv.convert(t.fee, t.currency, `balance transaction ${t.id}`),
  }));
  const balance = x.s.closing_balance === 'file' ? undefined : (await fetchBalance(x)).total;
  const fileRows = ctx.fileDatasets.cashflow;
  return overlayCashflow({
    fileRows: Array.isArray(fileRows) ? fileRows : [],
    transactions,
    balance,
    today: ctx.today,
    months: x.s.cash_months,
    cashIn: x.s.cash_in,
    closingBalance: x.s.closing_balance,
  });
}

async function load(agent: AgentName, ctx: ConnectorContext): Promise<ConnectorResult> {
  if (agent !== 'finance' && agent !== 'customer-success') {
    throw new ConfigError(
      `stripe supplies finance (subscriptions, cashflow) and customer-success (subscriptions), not ${agent}: fix sources.yaml`,
      { agent },
    );
  }
  const x = open(ctx);
  const datasets: Record<string, unknown> = {
    subscriptions: await loadSubscriptions(x, ctx),
  };
  if (agent === 'finance' && x.s.cash_months > 0) datasets.cashflow = await loadCashflow(x, ctx);
  return { datasets, sourceCalls: x.calls.count, dataAsOf: new Date() };
}

/** Which restricted-key permission each probe needs. */
const PROBES: { permission: string; what: string; call: (x: Session) => Promise<unknown> }[] = [
  {
    permission: 'Events',
    what: 'events',
    call: (x) => x.stripe.events.list({ type: EVENT_TYPE, limit: 1 }),
  },
  {
    permission: 'Balance',
    what: 'balance transactions',
    call: (x) => x.stripe.balanceTransactions.list({ limit: 1 }),
  },
  { permission: 'Products', what: 'products', call: (x) => x.stripe.products.list({ limit: 1 }) },
  { permission: 'Coupons', what: 'coupons', call: (x) => x.stripe.coupons.list({ limit: 1 }) },
];

async function check(ctx: Omit<ConnectorContext, 'fileDatasets'>): Promise<CheckResult> {
  let x: Session;
  try {
    x = open(ctx);
  } catch (e) {
    if (e instanceof BoardroomError) return { ok: false, message: e.message };
    throw e;
  }
  try {
    const active = await listAll(
      x.calls,
      x.s.api_key_env,
      'subscriptions',
      'subscription',
      Subscription,
      (id) =>
        x.stripe.subscriptions.list({
          status: 'active',
          limit: PAGE_LIMIT,
          expand: ['data.customer'],
          ...after(id),
        }),
    );
    const balance = await fetchBalance(x);
    const missing: string[] = [];
    for (const probe of PROBES) {
      try {
        await x.calls.run(probe.what, x.s.api_key_env, () => probe.call(x));
      } catch (e) {
        if (e instanceof SourceAuthError && e.context.status === 403)
          missing.push(probe.permission);
        else throw e;
      }
    }
    const n = active.items.length;
    const found = `${n} active subscription${n === 1 ? '' : 's'} (${active.pages} page${active.pages === 1 ? '' : 's'}), balance ${formatAmount(balance.total, x.conv.currency)}`;
    const rates = [...x.conv.converted()].map(([c, r]) => `${c} at ${r}`);
    const notes = [
      ...(rates.length ? [`converted to ${x.conv.currency}: ${rates.join(', ')}`] : []),
      ...(balance.livemode ? [] : ['test mode']),
    ];
    const summary = `stripe: ${found}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    if (missing.length > 0) {
      return {
        ok: false,
        message: `${summary}; but ${x.s.api_key_env} may not read ${missing.join(', ')} (403): give the restricted key Read on ${missing.join(', ')}`,
      };
    }
    return { ok: true, message: summary };
  } catch (e) {
    if (e instanceof SourceTransientError && e.context.status === undefined) {
      return {
        ok: false,
        message: `stripe: cannot reach ${x.s.base_url}: ${e.message}; check base_url and the network`,
      };
    }
    if (e instanceof BoardroomError) return { ok: false, message: e.message };
    return { ok: false, message: `stripe: unexpected failure: ${(e as Error).message}` };
  }
}

export const stripeConnector: Connector = {
  name: 'stripe',
  supplies: SUPPLIES,
  load,
  check,
};
