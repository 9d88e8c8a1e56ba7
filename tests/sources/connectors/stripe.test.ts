/**
 * The stripe connector against the local fake Stripe API: the requests it makes (auth,
 * API version, pagination, filters, expansions), each error class, changed shapes, and
 * check() messages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  SourceAuthError,
  SourceRequestError,
  SourceSchemaError,
  SourceTransientError,
  ValidationError,
} from '../../../src/shared/errors.js';
import {
  STRIPE_API_VERSION,
  SUBSCRIPTION_EXPAND,
  stripeConnector,
} from '../../../src/sources/connectors/stripe/index.js';
import {
  GOLDEN_CASHFLOW_FILE,
  GOLDEN_NOW,
  GOLDEN_SETTINGS,
  GOLDEN_TODAY,
  CUSTOMER_IDS,
  ITEM_IDS,
  SUB_IDS,
  goldenStripeAccount,
  startFakeStripe,
  type FakeStripe,
  type FakeStripeOptions,
  type RecordedRequest,
} from '../../fakes/stripe-server.js';
import type { Obj } from '../../fakes/stripe-fixtures/objects.js';
import { refusingLocalUrl } from '../../fakes/local-server.js';

let fake: FakeStripe | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeStripeOptions = {}) {
  fake = await startFakeStripe({ pageSize: 4, ...options });
  return fake;
}

function ctx(
  f: { url: string; apiKey: string },
  settings: Record<string, unknown> = {},
  env?: Record<string, string>,
) {
  return {
    companyId: 'golden',
    env: env ?? { STRIPE_API_KEY: f.apiKey },
    settings: { ...GOLDEN_SETTINGS, base_url: f.url, ...settings },
    today: GOLDEN_TODAY,
    asOf: GOLDEN_NOW,
    fileDatasets: { cashflow: GOLDEN_CASHFLOW_FILE },
  };
}

const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const byPath = (reqs: RecordedRequest[], path: string) => reqs.filter((r) => r.path === path);
/** The fixture's ids in Stripe's list order (newest first). */
const listOrder = (objs: Obj[]) =>
  [...objs]
    .sort(
      (a, b) =>
        (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id)),
    )
    .map((o) => String(o.id));

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('stripe connector: requests', () => {
  it('authenticates with Bearer, pins the API version, and pages with limit=100 / starting_after', async () => {
    const f = await start();
    const r = await stripeConnector.load('finance', ctx(f));
    const reqs = f.requests;
    expect(r.sourceCalls).toBe(reqs.length);
    for (const q of reqs) {
      expect(q.method).toBe('GET');
      expect(q.headers.authorization).toBe(`Bearer ${f.apiKey}`);
      expect(q.headers['stripe-version']).toBe(STRIPE_API_VERSION);
      expect(q.headers['stripe-version']).toBe('2026-10-28.endive');
    }

    // Subscriptions: every status, customers/discounts/coupons expanded, 18 in pages of 4.
    const subs = byPath(reqs, '/v1/subscriptions');
    const order = listOrder(goldenStripeAccount.subscriptions);
    expect(order).toHaveLength(18);
    expect(subs).toHaveLength(5);
    subs.forEach((q, i) => {
      expect(q.query).toMatchObject({ status: 'all', limit: '100' });
      expect(q.query.expand).toEqual([
        'data.customer',
        'data.discounts.source.coupon',
        'data.items.data.discounts',
      ]);
      expect(q.rawQuery).toContain('expand[1]=data.discounts.source.coupon');
      expect(q.query.starting_after).toBe(i === 0 ? undefined : order[i * 4 - 1]);
    });
    expect([...SUBSCRIPTION_EXPAND]).toEqual(subs[0]!.query.expand);

    // Events: only subscription updates of the last 30 days (Stripe keeps 30).
    const events = byPath(reqs, '/v1/events');
    expect(events).toHaveLength(2); // 6 updates in pages of 4
    expect(events[0]!.query).toEqual({
      type: 'customer.subscription.updated',
      created: { gte: String(at('2026-10-27T14:00:00Z')) },
      limit: '100',
    });
    expect(events[1]!.query.starting_after).toMatch(/^evt_/);

    // Item-level discounts come with coupon ids only: the coupons list resolves them.
    expect(byPath(reqs, '/v1/coupons')).toHaveLength(1);
    expect(byPath(reqs, '/v1/products').map((q) => q.query.starting_after ?? null)).toEqual([
      null,
      expect.stringMatching(/^prod_/),
    ]);

    // Cash: balance transactions from the first day of the 4-month window (August).
    const txns = byPath(reqs, '/v1/balance_transactions');
    expect(txns).toHaveLength(4); // 15 in the window, pages of 4
    for (const q of txns) {
      expect(q.query.created).toEqual({ gte: String(at('2026-08-01T00:00:00Z')) });
      expect(q.query.limit).toBe('100');
    }
    expect(byPath(reqs, '/v1/balance')).toHaveLength(1);
    expect(reqs).toHaveLength(5 + 2 + 1 + 2 + 4 + 1);
  });

  it('reads subscriptions only for customer success', async () => {
    const f = await start();
    const r = await stripeConnector.load('customer-success', ctx(f));
    expect(Object.keys(r.datasets)).toEqual(['subscriptions']);
    expect(f.requests.map((q) => q.path)).not.toContain('/v1/balance');
    expect(f.requests.map((q) => q.path)).not.toContain('/v1/balance_transactions');
  });

  it('refuses agents it does not supply', async () => {
    const f = await start();
    await expect(stripeConnector.load('sales', ctx(f))).rejects.toBeInstanceOf(ConfigError);
    expect(stripeConnector.supplies).toEqual({
      finance: ['subscriptions', 'cashflow'],
      'customer-success': ['subscriptions'],
    });
  });

  it('fetches the remaining items of a subscription whose embedded items list has more', async () => {
    const dune = SUB_IDS.dune!;
    const f = await start({
      transform: (path, body) => {
        if (path !== '/v1/subscriptions') return body;
        for (const s of body.data as Obj[]) {
          if (s.id !== dune) continue;
          const items = s.items as { data: Obj[]; has_more: boolean };
          items.data = items.data.slice(0, 1);
          items.has_more = true;
        }
        return body;
      },
    });
    const r = await stripeConnector.load('customer-success', ctx(f));
    const items = byPath(f.requests, '/v1/subscription_items');
    expect(items).toHaveLength(1);
    expect(items[0]!.query).toEqual({
      subscription: dune,
      limit: '100',
      expand: ['data.discounts'],
    });
    const rows = r.datasets.subscriptions as { id: string }[];
    expect(rows.map((row) => row.id)).toContain(`${dune}/${ITEM_IDS.duneSeats}`);
  });

  it('retrieves the tiers of a tiered price with expand[]=tiers', async () => {
    const account = structuredClone(goldenStripeAccount);
    const acme = account.subscriptions.find((s) => s.id === SUB_IDS.acme)!;
    const item = (acme.items as { data: Obj[] }).data[0]!;
    const price = item.price as Obj;
    Object.assign(price, {
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      unit_amount: null,
      unit_amount_decimal: null,
    });
    item.quantity = 12;
    account.tiers = {
      [String(price.id)]: [
        {
          flat_amount: 100_000,
          flat_amount_decimal: '100000',
          unit_amount: 50_000,
          unit_amount_decimal: '50000',
          up_to: 10,
        },
        {
          flat_amount: null,
          flat_amount_decimal: null,
          unit_amount: 30_000,
          unit_amount_decimal: '30000',
          up_to: null,
        },
      ],
    };
    const f = await start({ account });
    const r = await stripeConnector.load('customer-success', ctx(f));
    const retrieve = f.requests.filter((q) => q.path.startsWith('/v1/prices/'));
    expect(retrieve.map((q) => [q.path, q.query])).toEqual([
      [`/v1/prices/${String(price.id)}`, { expand: ['tiers'] }],
    ]);
    // Graduated: 100,000 flat + 10 x 50,000 + 2 x 30,000 = 660,000 a year.
    const row = (r.datasets.subscriptions as { id: string; amount_cents: number }[]).find(
      (s) => s.id === SUB_IDS.acme,
    );
    expect(row?.amount_cents).toBe(660_000);
  });

  it('maps customers to workspace ids through customer_id_metadata', async () => {
    const f = await start();
    const r = await stripeConnector.load(
      'customer-success',
      ctx(f, { customer_id_metadata: 'boardroom_id' }),
    );
    const rows = r.datasets.subscriptions as { id: string; customer_id: string }[];
    expect(rows.find((s) => s.id === SUB_IDS.acme)?.customer_id).toBe('C-001');
    expect(rows.find((s) => s.id === SUB_IDS.cedar)?.customer_id).toBe(CUSTOMER_IDS.cedar);
  });

  it('leaves cashflow to the file with cash_months: 0, and skips the balance with closing_balance: file', async () => {
    const f = await start();
    const none = await stripeConnector.load('finance', ctx(f, { cash_months: 0 }));
    expect(Object.keys(none.datasets)).toEqual(['subscriptions']);
    expect(f.requests.map((q) => q.path)).not.toContain('/v1/balance_transactions');
    f.requests.length = 0;
    const file = await stripeConnector.load('finance', ctx(f, { closing_balance: 'file' }));
    expect(f.requests.map((q) => q.path)).not.toContain('/v1/balance');
    const nov = (file.datasets.cashflow as Obj[]).find((m) => m.month === '2026-11');
    expect(nov).toMatchObject({ closing_balance_cents: '7700000', cash_in_cents: 492_914 });
  });

  it('dates transactions in settings.timezone', async () => {
    const f = await start();
    const r = await stripeConnector.load('finance', ctx(f, { timezone: 'America/New_York' }));
    const months = Object.fromEntries(
      (r.datasets.cashflow as Obj[]).map((m) => [m.month, m.cash_in_cents]),
    );
    // The 2026-10-01 00:30 UTC charge (1,000,000 - 29,030) is 2026-09-30 20:30 in New York.
    expect(months['2026-09']).toBe(873_870 + 970_970);
    expect(months['2026-10']).toBe(197_000);
    const since = byPath(f.requests, '/v1/balance_transactions')[0]!.query.created;
    expect(since).toEqual({ gte: String(at('2026-08-01T04:00:00Z')) }); // EDT midnight
  });
});

describe('stripe connector: errors', () => {
  it('rejects a wrong key with SourceAuthError naming the env var, never the key', async () => {
    const f = await start();
    const e = await rejection(
      stripeConnector.load(
        'finance',
        ctx(f, {}, { STRIPE_API_KEY: 'sk_test_wrong_key_123456789' }),
      ),
    );
    expect(e).toBeInstanceOf(SourceAuthError);
    expect(e.message).toContain('STRIPE_API_KEY is rejected (401)');
    expect(e.message).not.toContain('wrong_key');
    expect(f.requests).toHaveLength(1); // no retry
  });

  it('names the missing env var (or the configured one)', async () => {
    const f = await start();
    const e = await rejection(stripeConnector.load('finance', ctx(f, {}, {})));
    expect(e).toBeInstanceOf(SourceAuthError);
    expect(e.message).toContain('STRIPE_API_KEY is not set');
    const custom = await rejection(
      stripeConnector.load('finance', ctx(f, { api_key_env: 'ACME_STRIPE_KEY' }, {})),
    );
    expect(custom.message).toContain('ACME_STRIPE_KEY is not set');
    expect(f.requests).toHaveLength(0);
  });

  it('says which permission a restricted key lacks (403)', async () => {
    const f = await start({ deny: ['events'] });
    const e = await rejection(stripeConnector.load('finance', ctx(f)));
    expect(e).toBeInstanceOf(SourceAuthError);
    expect(e.message).toContain('may not read events (403)');
    expect(e.message).toContain('Read on Events');
    expect(e.message).toContain("'rak_event_read'");
    expect(e.message).not.toContain(f.apiKey.slice(-4));
  });

  it('maps 404 and 400 to SourceRequestError', async () => {
    const f = await start();
    f.failNext({ status: 404, path: '/v1/events' });
    const e404 = await rejection(stripeConnector.load('finance', ctx(f)));
    expect(e404).toBeInstanceOf(SourceRequestError);
    expect(e404.message).toContain('(404 resource_missing)');
    f.failNext({ status: 400 });
    expect(await rejection(stripeConnector.load('finance', ctx(f)))).toBeInstanceOf(
      SourceRequestError,
    );
  });

  it('maps 429 to SourceTransientError with Retry-After, without retrying itself', async () => {
    const f = await start();
    f.failNext({ status: 429, retryAfter: '7', path: '/v1/subscriptions' });
    const e = await rejection(stripeConnector.load('finance', ctx(f)));
    expect(e).toBeInstanceOf(SourceTransientError);
    expect((e as SourceTransientError).context.retryAfterMs).toBe(7_000);
    expect(f.requests).toHaveLength(1);
  });

  it('maps 500 to SourceTransientError, one request only', async () => {
    const f = await start();
    f.failNext({ status: 500, path: '/v1/balance' });
    const e = await rejection(stripeConnector.load('finance', ctx(f)));
    expect(e).toBeInstanceOf(SourceTransientError);
    expect(e.message).toContain('(500');
    expect(byPath(f.requests, '/v1/balance')).toHaveLength(1);
  });

  it('maps a timeout to SourceTransientError (settings.timeout_ms)', async () => {
    const f = await start();
    f.failNext({ delayMs: 1_000, status: 500 });
    const e = await rejection(stripeConnector.load('finance', ctx(f, { timeout_ms: 200 })));
    expect(e).toBeInstanceOf(SourceTransientError);
    expect(e.message).toContain('timeout');
  });

  it('maps connection resets to SourceTransientError', async () => {
    const f = await start();
    // stripe-node retries a closed connection once even with maxNetworkRetries: 0.
    f.failNext({ reset: true, times: 2 });
    expect(await rejection(stripeConnector.load('finance', ctx(f)))).toBeInstanceOf(
      SourceTransientError,
    );
  });

  it('maps an unreachable host to SourceTransientError', async () => {
    const url = await refusingLocalUrl();
    const e = await rejection(stripeConnector.load('finance', ctx({ url, apiKey: 'rk_test_x' })));
    expect(e).toBeInstanceOf(SourceTransientError);
  });

  it('fails loudly on a changed shape, naming the object and the field', async () => {
    const f = await start({
      transform: (path, body) => {
        if (path !== '/v1/subscriptions') return body;
        const first = (body.data as Obj[])[0]!;
        const item = (first.items as { data: Obj[] }).data[0]!;
        (item.price as Obj).unit_amount = '9900';
        return body;
      },
    });
    const e = await rejection(stripeConnector.load('finance', ctx(f)));
    expect(e).toBeInstanceOf(SourceSchemaError);
    const first = listOrder(goldenStripeAccount.subscriptions)[0];
    expect(e.message).toContain(`subscription ${first}: field "items.data.0.price.unit_amount"`);
    expect((e as SourceSchemaError).context).toMatchObject({
      object: 'subscription',
      id: first,
      field: 'items.data.0.price.unit_amount',
    });
  });

  it('names the balance field that changed', async () => {
    const f = await start({
      transform: (path, body) => {
        if (path === '/v1/balance') delete body.pending;
        return body;
      },
    });
    const e = await rejection(stripeConnector.load('finance', ctx(f)));
    expect(e).toBeInstanceOf(SourceSchemaError);
    expect(e.message).toContain('balance: field "pending"');
  });

  it('refuses to sum a currency without a rate', async () => {
    const f = await start();
    const e = await rejection(stripeConnector.load('finance', ctx(f, { fx_rates: {} })));
    expect(e).toBeInstanceOf(SourceRequestError);
    expect(e.message).toContain('EUR');
    expect(e.message).toContain('fx_rates');
  });

  it('rejects bad settings with a ValidationError naming the key', async () => {
    const f = await start();
    const e = await rejection(stripeConnector.load('finance', ctx(f, { closing_balance: 'bank' })));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toContain('"closing_balance"');
  });
});

describe('stripe connector: check()', () => {
  const checkCtx = (
    f: { url: string; apiKey: string },
    settings = {},
    env?: Record<string, string>,
  ) => {
    const { fileDatasets: _ignored, ...rest } = ctx(f, settings, env);
    return rest;
  };

  it('reports what it found', async () => {
    const f = await start();
    const r = await stripeConnector.check(checkCtx(f));
    // Active (not past due, trialing, canceled...): Acme, Bluefin, Cedar, Dune, Evergreen,
    // Granite, Maple, Ironwood (back), Nimbus, Orchid = 10, in pages of 4.
    expect(r).toEqual({
      ok: true,
      message:
        'stripe: 10 active subscriptions (3 pages), balance $13,885.67 USD (converted to USD: EUR at 1.08; test mode)',
    });
    const subs = byPath(f.requests, '/v1/subscriptions');
    expect(subs[0]!.query).toEqual({ status: 'active', limit: '100', expand: ['data.customer'] });
    // One cheap probe per other permission.
    for (const path of ['/v1/events', '/v1/balance_transactions', '/v1/products', '/v1/coupons']) {
      expect(byPath(f.requests, path).map((q) => q.query.limit)).toEqual(['1']);
    }
  });

  it('says the key is rejected', async () => {
    const f = await start();
    const r = await stripeConnector.check(checkCtx(f, {}, { STRIPE_API_KEY: 'rk_test_nope' }));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^stripe: STRIPE_API_KEY is rejected \(401\)/);
  });

  it('says which permissions are missing', async () => {
    const f = await start({ deny: ['events', 'coupons'] });
    const r = await stripeConnector.check(checkCtx(f));
    expect(r.ok).toBe(false);
    expect(r.message).toContain('may not read Events, Coupons (403)');
  });

  it('says the key is not set', async () => {
    const f = await start();
    const r = await stripeConnector.check(checkCtx(f, {}, {}));
    expect(r).toMatchObject({ ok: false });
    expect(r.message).toContain('STRIPE_API_KEY is not set');
  });

  it('says the API cannot be reached', async () => {
    const url = await refusingLocalUrl();
    const r = await stripeConnector.check(checkCtx({ url, apiKey: 'rk_test_x' }));
    expect(r.ok).toBe(false);
    expect(r.message).toContain(`stripe: cannot reach ${url}`);
  });

  it('says a setting is wrong', async () => {
    const f = await start();
    const r = await stripeConnector.check(checkCtx(f, { base_url: 'ftp://example' }));
    expect(r.ok).toBe(false);
    expect(r.message).toContain('"base_url"');
  });
});
