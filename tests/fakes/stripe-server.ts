/**
 * A local Stripe API for tests: a `node:http` server on 127.0.0.1 that answers the GET
 * endpoints the stripe connector calls the way api.stripe.com does (API reference,
 * version 2026-10-28.endive): Bearer auth, the `Stripe-Version` header, list envelopes
 * (`object: "list"`, `data`, `has_more`, `url`) newest first with `limit` (1..100,
 * default 10), `starting_after` and `ending_before`, the documented filters
 * (`status`, `type`/`types[]`, `created[gte|gt|lte|lt]`, `subscription`), `expand[]`
 * of the references the fixtures hold (at most 4 levels; anything else is refused like
 * a property that cannot be expanded), unknown parameters refused, and Stripe's error
 * bodies for 400, 401, 403 (restricted key), 404, 429 (with Retry-After) and 500.
 *
 *   const fake = await startFakeStripe({ pageSize: 4 });
 *   settings.base_url = fake.url; env.STRIPE_API_KEY = fake.apiKey;
 *   fake.requests   // every request: method, path, query (parsed), rawQuery, headers
 *   fake.failNext({ status: 429, retryAfter: '7' })
 *   fake.failNext({ path: '/v1/balance', mutate: (body) => ({ ...body, pending: null }) })
 *   await fake.close();
 *
 * The default account is the golden fixture (stripe-fixtures/golden.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { listenLocally } from './local-server.js';
import {
  GOLDEN_API_KEY,
  goldenStripeAccount,
  type StripeAccount,
} from './stripe-fixtures/golden.js';
import type { Obj } from './stripe-fixtures/objects.js';

export { goldenStripeAccount, GOLDEN_API_KEY } from './stripe-fixtures/golden.js';
export {
  GOLDEN_NOW,
  GOLDEN_TODAY,
  GOLDEN_SETTINGS,
  GOLDEN_CASHFLOW_FILE,
  GOLDEN_EXPECTED,
  SUB_IDS,
  ITEM_IDS,
  CUSTOMER_IDS,
  IDS,
} from './stripe-fixtures/golden.js';
export type { StripeAccount } from './stripe-fixtures/golden.js';

export type Query = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed like Stripe does: `a[0]=x&a[1]=y` and `a[]=x` -> arrays, `c[gte]=1` -> objects. */
  query: Query;
  rawQuery: string;
  headers: Record<string, string | undefined>;
}

export interface Failure {
  /** HTTP status to answer with (429, 500, 401, 404, ...). */
  status?: number;
  /** Only for requests to this path (exact, e.g. `/v1/balance`). */
  path?: string;
  /** Retry-After header value (429). */
  retryAfter?: string;
  /** Destroy the socket instead of answering (a connection reset). */
  reset?: boolean;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Answer 200 with this body as it is (e.g. truncated JSON from a broken proxy). */
  raw?: string;
  /** Answer as usual, with the body passed through this first (a changed shape). */
  mutate?: (body: Obj) => Obj;
}

/** Restricted-key resources -> the permission Stripe names in its 403. */
const RAK: Record<string, string> = {
  subscriptions: 'rak_subscription_read',
  subscription_items: 'rak_subscription_read',
  customers: 'rak_customer_read',
  events: 'rak_event_read',
  coupons: 'rak_coupon_read',
  products: 'rak_product_read',
  prices: 'rak_plan_read',
  balance: 'rak_balance_read',
  balance_transactions: 'rak_balance_read',
};

export interface FakeStripeOptions {
  account?: StripeAccount;
  /** The key the fake accepts (default: the golden fixture's). */
  apiKey?: string;
  /** At most this many items per page, whatever `limit` asks (to exercise pagination). */
  pageSize?: number;
  /** The API version the fixtures are rendered in; a request asking for another is refused. */
  apiVersion?: string;
  /** Restricted-key resources this key may not read (`events`, `balance`, `customers`, ...). */
  deny?: string[];
  /** Rewrites a successful response body (to change its shape). */
  transform?: (path: string, body: Obj) => Obj;
}

export interface FakeStripe {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  failNext(failure: Failure): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Obj,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message));
  }
}

const invalid = (message: string, extra: Obj = {}, status = 400) =>
  new HttpError(status, { message, type: 'invalid_request_error', ...extra });

/** Parses a query string into Stripe's nested parameters. */
export function parseQuery(raw: string): Query {
  const out: Query = {};
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(key);
    if (!m) continue;
    const parts = [...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((p) => p[1]!);
    let target: Record<string, unknown> = out;
    let name = m[1]!;
    for (const part of parts) {
      const isIndex = part === '' || /^\d+$/.test(part);
      if (isIndex) {
        const arr = (target[name] as unknown[] | undefined) ?? [];
        target[name] = arr;
        if (part === '') {
          arr.push(value);
          name = '';
          break;
        }
        // Nested objects inside arrays are not needed by these endpoints.
        arr[Number(part)] = value;
        name = '';
        break;
      }
      const next = (target[name] as Record<string, unknown> | undefined) ?? {};
      target[name] = next;
      target = next;
      name = part;
    }
    if (name !== '') target[name] = value;
  }
  return out;
}

/** Which referenced object each expandable field holds, per object type. */
const REFERENCES: Record<string, Record<string, keyof StripeAccount>> = {
  subscription: { customer: 'customers', discounts: 'discounts' },
  subscription_item: { discounts: 'discounts' },
  discount: { customer: 'customers' },
};
/** Fields that are not expandable but can be walked through to one that is. */
const TRAVERSABLE = new Set(['items', 'data', 'source']);

function findIn(account: StripeAccount, coll: keyof StripeAccount, id: string): Obj | undefined {
  const list = account[coll] as Obj[];
  return list.find((o) => o.id === id);
}

function expandPath(account: StripeAccount, obj: Obj, path: string[], full: string): void {
  const [field, ...rest] = path;
  if (field === undefined) return;
  const type = String(obj.object ?? '');
  const value = obj[field];
  const coll =
    REFERENCES[type]?.[field] ??
    (type === '' && field === 'coupon' ? ('coupons' as const) : undefined);
  if (coll) {
    const resolve = (v: unknown) => {
      if (typeof v !== 'string') return v;
      const found = findIn(account, coll, v);
      return found ? structuredClone(found) : v;
    };
    obj[field] = Array.isArray(value) ? value.map(resolve) : resolve(value);
  } else if (!TRAVERSABLE.has(field) || value === null || typeof value !== 'object') {
    throw invalid(`This property cannot be expanded (${full}).`, { param: 'expand' });
  }
  const next = obj[field];
  if (rest.length === 0) return;
  for (const child of Array.isArray(next) ? next : [next]) {
    if (child && typeof child === 'object') expandPath(account, child as Obj, rest, full);
  }
}

function applyExpand(account: StripeAccount, obj: Obj, paths: string[], list: boolean): Obj {
  for (const full of paths) {
    const parts = full.split('.');
    if (parts.length > 4) {
      throw invalid(`You cannot expand more than 4 levels of a property. Property: ${full}`, {
        param: 'expand',
      });
    }
    if (list) {
      if (parts[0] !== 'data') {
        throw invalid(`This property cannot be expanded (${full}).`, { param: 'expand' });
      }
      parts.shift();
    }
    expandPath(account, obj, parts, full);
  }
  return obj;
}

function expandList(q: Query): string[] {
  const e = q.expand;
  if (e === undefined) return [];
  return Array.isArray(e) ? (e as string[]) : [String(e)];
}

function intParam(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) {
    throw invalid(`Invalid integer: ${String(v)}`, {
      param: name,
      code: 'parameter_invalid_integer',
    });
  }
  return Number(v);
}

function createdFilter(q: Query): (o: Obj) => boolean {
  const c = q.created;
  if (c === undefined) return () => true;
  if (typeof c === 'string') {
    const n = intParam(q, 'created')!;
    return (o) => o.created === n;
  }
  const r = c as Record<string, string>;
  const bound = (k: string) => {
    if (r[k] === undefined) return undefined;
    if (!/^\d+$/.test(r[k]!)) {
      throw invalid(`Invalid integer: ${r[k]}`, {
        param: `created[${k}]`,
        code: 'parameter_invalid_integer',
      });
    }
    return Number(r[k]);
  };
  for (const k of Object.keys(r)) {
    if (!['gt', 'gte', 'lt', 'lte'].includes(k)) {
      throw invalid(`Received unknown parameter: created[${k}]`, {
        param: `created[${k}]`,
        code: 'parameter_unknown',
      });
    }
  }
  const [gt, gte, lt, lte] = ['gt', 'gte', 'lt', 'lte'].map(bound);
  return (o) => {
    const t = o.created as number;
    return (
      (gt === undefined || t > gt) &&
      (gte === undefined || t >= gte) &&
      (lt === undefined || t < lt) &&
      (lte === undefined || t <= lte)
    );
  };
}

function checkParams(q: Query, allowed: string[]): void {
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k)) {
      throw invalid(`Received unknown parameter: ${k}`, { param: k, code: 'parameter_unknown' });
    }
  }
}

const newestFirst = (a: Obj, b: Obj) =>
  (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id));

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const account = options.account ?? goldenStripeAccount;
  const apiKey = options.apiKey ?? GOLDEN_API_KEY;
  const apiVersion = options.apiVersion ?? Stripe.API_VERSION;
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  let seq = 0;

  const page = (url: string, all: Obj[], q: Query, objectName: string, expand: string[]) => {
    const limit = intParam(q, 'limit') ?? 10;
    if (limit < 1 || limit > 100) {
      throw invalid(`This value must be less than or equal to 100 (it currently is '${limit}').`, {
        param: 'limit',
        code: 'parameter_invalid_integer',
      });
    }
    const sorted = [...all].sort(newestFirst);
    let start = 0;
    let end = sorted.length;
    for (const [param, isAfter] of [
      ['starting_after', true],
      ['ending_before', false],
    ] as const) {
      const cursor = q[param];
      if (cursor === undefined) continue;
      const i = sorted.findIndex((o) => o.id === cursor);
      if (i < 0) {
        throw invalid(`No such ${objectName}: '${String(cursor)}'`, {
          param,
          code: 'resource_missing',
          doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
        });
      }
      if (isAfter) start = i + 1;
      else end = i;
    }
    const size = Math.min(limit, options.pageSize ?? limit);
    const slice =
      q.ending_before !== undefined
        ? sorted.slice(Math.max(start, end - size), end)
        : sorted.slice(start, start + size);
    const hasMore = q.ending_before !== undefined ? end - size > start : start + size < end;
    return {
      object: 'list',
      data: slice.map((o) => applyExpand(account, structuredClone(o), expand, true)),
      has_more: hasMore,
      url,
    } as Obj;
  };

  const deny = new Set(options.deny ?? []);
  /** Stripe's 403 for a restricted key without the permission a resource needs. */
  const permissionDenied = (resource: string) => {
    const masked = `${apiKey.slice(0, 8)}${'*'.repeat(Math.max(0, apiKey.length - 12))}${apiKey.slice(-4)}`;
    return invalid(
      `The provided key '${masked}' does not have the required permissions for this endpoint on account 'acct_1QBoardroomFake01'. Having the '${RAK[resource] ?? 'rak_read'}' permission would allow this request to continue.`,
      {},
      403,
    );
  };
  const requireRead = (resource: string) => {
    if (deny.has(resource)) throw permissionDenied(resource);
  };

  const route = (path: string, q: Query): Obj => {
    const expand = expandList(q);
    if (expand.some((e) => e.split('.').includes('customer'))) requireRead('customers');
    if (path === '/v1/subscriptions') {
      requireRead('subscriptions');
      checkParams(q, [
        'automatic_tax',
        'collection_method',
        'created',
        'current_period_end',
        'current_period_start',
        'customer',
        'customer_account',
        'ending_before',
        'expand',
        'limit',
        'price',
        'starting_after',
        'status',
        'test_clock',
      ]);
      const statuses = [
        'active',
        'all',
        'canceled',
        'ended',
        'incomplete',
        'incomplete_expired',
        'past_due',
        'paused',
        'trialing',
        'unpaid',
      ];
      const status = q.status as string | undefined;
      if (status !== undefined && !statuses.includes(status)) {
        throw invalid(`Invalid status: must be one of ${statuses.join(', ')}`, {
          param: 'status',
          code: 'parameter_invalid_string',
        });
      }
      const created = createdFilter(q);
      const rows = (account.subscriptions as Obj[]).filter((s) => {
        const st = s.status as string;
        const statusOk =
          status === 'all'
            ? true
            : status === 'ended'
              ? st === 'canceled' || st === 'incomplete_expired'
              : status === undefined
                ? st !== 'canceled' && st !== 'incomplete_expired'
                : st === status;
        return statusOk && created(s) && (q.customer === undefined || s.customer === q.customer);
      });
      return page('/v1/subscriptions', rows, q, 'subscription', expand);
    }
    if (path === '/v1/subscription_items') {
      requireRead('subscription_items');
      checkParams(q, ['ending_before', 'expand', 'limit', 'starting_after', 'subscription']);
      if (q.subscription === undefined) {
        throw invalid('Missing required param: subscription.', {
          param: 'subscription',
          code: 'parameter_missing',
        });
      }
      const sub = (account.subscriptions as Obj[]).find((s) => s.id === q.subscription);
      if (!sub) {
        throw invalid(`No such subscription: '${String(q.subscription)}'`, {
          param: 'subscription',
          code: 'resource_missing',
        });
      }
      const items = (sub.items as { data: Obj[] }).data;
      return page(`/v1/subscription_items`, items, q, 'subscription_item', expand);
    }
    if (path === '/v1/events') {
      requireRead('events');
      checkParams(q, [
        'created',
        'delivery_success',
        'ending_before',
        'expand',
        'limit',
        'starting_after',
        'type',
        'types',
      ]);
      const created = createdFilter(q);
      const types = q.types as string[] | undefined;
      const typeOk = (t: string) => {
        const one = q.type as string | undefined;
        const match = (pattern: string) =>
          pattern.endsWith('.*') ? t.startsWith(pattern.slice(0, -1)) : t === pattern;
        return (one === undefined || match(one)) && (types === undefined || types.some(match));
      };
      const rows = (account.events as Obj[]).filter((e) => created(e) && typeOk(String(e.type)));
      return page('/v1/events', rows, q, 'event', expand);
    }
    if (path === '/v1/coupons') {
      requireRead('coupons');
      checkParams(q, ['created', 'ending_before', 'expand', 'limit', 'starting_after']);
      return page(
        '/v1/coupons',
        (account.coupons as Obj[]).filter(createdFilter(q)),
        q,
        'coupon',
        expand,
      );
    }
    if (path === '/v1/products') {
      requireRead('products');
      checkParams(q, [
        'active',
        'created',
        'ending_before',
        'expand',
        'ids',
        'limit',
        'shippable',
        'starting_after',
        'url',
      ]);
      return page(
        '/v1/products',
        (account.products as Obj[]).filter(createdFilter(q)),
        q,
        'product',
        expand,
      );
    }
    if (path === '/v1/balance_transactions') {
      requireRead('balance_transactions');
      checkParams(q, [
        'created',
        'currency',
        'ending_before',
        'expand',
        'limit',
        'payout',
        'source',
        'starting_after',
        'type',
      ]);
      const created = createdFilter(q);
      const rows = (account.balanceTransactions as Obj[]).filter(
        (t) =>
          created(t) &&
          (q.type === undefined || t.type === q.type) &&
          (q.currency === undefined || t.currency === q.currency),
      );
      return page('/v1/balance_transactions', rows, q, 'balance_transaction', expand);
    }
    if (path === '/v1/balance') {
      requireRead('balance');
      checkParams(q, ['expand']);
      return structuredClone(account.balance);
    }
    const priceMatch = /^\/v1\/prices\/([^/]+)$/.exec(path);
    if (priceMatch) {
      requireRead('prices');
      checkParams(q, ['expand']);
      const id = decodeURIComponent(priceMatch[1]!);
      const found = (account.subscriptions as Obj[])
        .flatMap((s) => (s.items as { data: Obj[] }).data.map((i) => i.price as Obj))
        .find((p) => p.id === id);
      if (!found) {
        throw invalid(
          `No such price: '${id}'`,
          {
            param: 'price',
            code: 'resource_missing',
            doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
          },
          404,
        );
      }
      const copy = structuredClone(found);
      for (const e of expand) {
        if (e !== 'tiers')
          throw invalid(`This property cannot be expanded (${e}).`, { param: 'expand' });
        copy.tiers = structuredClone(account.tiers?.[id] ?? []);
      }
      return copy;
    }
    throw invalid(
      `Unrecognized request URL (GET: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      {},
      404,
    );
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: Obj,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body, null, 2);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': `req_${(++seq).toString(36).padStart(14, '0')}`,
      'stripe-version': apiVersion,
      'cache-control': 'no-cache, no-store',
      ...headers,
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawQuery = url.search.replace(/^\?/, '');
    const query = parseQuery(rawQuery);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers))
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, rawQuery, headers });

    let mutate: Failure['mutate'];
    const i = failures.findIndex((f) => f.path === undefined || url.pathname === f.path);
    if (i >= 0) {
      const f = failures[i]!;
      mutate = f.mutate;
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) failures.splice(i, 1);
      if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
      if (f.reset) {
        req.socket.destroy();
        return;
      }
      if (f.raw !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_raw' });
        res.end(f.raw);
        return;
      }
      if (f.status === 403) {
        const denied = permissionDenied(url.pathname.split('/')[2] ?? '');
        send(res, 403, { error: denied.body });
        return;
      }
      if (f.status !== undefined) {
        const body: Obj =
          f.status === 429
            ? {
                code: 'rate_limit',
                doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
                message:
                  'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
                type: 'invalid_request_error',
              }
            : f.status >= 500
              ? { message: 'An unknown error occurred', type: 'api_error' }
              : f.status === 401
                ? {
                    message: 'Invalid API Key provided: sk_test_********************0000',
                    type: 'invalid_request_error',
                  }
                : {
                    message: `No such resource: '${url.pathname}'`,
                    code: 'resource_missing',
                    type: 'invalid_request_error',
                  };
        send(res, f.status, { error: body }, f.retryAfter ? { 'retry-after': f.retryAfter } : {});
        return;
      }
    }

    try {
      if (req.method !== 'GET') {
        throw invalid(`Unrecognized request URL (${req.method}: ${url.pathname}).`, {}, 404);
      }
      const auth = headers.authorization;
      if (!auth) {
        throw invalid(
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
          {},
          401,
        );
      }
      const given = auth.replace(/^Bearer\s+/i, '');
      if (given !== apiKey) {
        const masked = `${given.slice(0, 8)}${'*'.repeat(Math.max(0, given.length - 12))}${given.slice(-4)}`;
        throw invalid(`Invalid API Key provided: ${masked}`, {}, 401);
      }
      const version = headers['stripe-version'];
      if (version !== undefined && version !== apiVersion) {
        throw invalid(
          `This fake renders objects in API version ${apiVersion} only; the request asked for ${version}.`,
          { param: 'Stripe-Version' },
        );
      }
      let body = route(url.pathname, query);
      if (options.transform) body = options.transform(url.pathname, body);
      if (mutate) body = mutate(body);
      send(res, 200, body);
    } catch (e) {
      if (e instanceof HttpError) send(res, e.status, { error: e.body }, e.headers);
      else send(res, 500, { error: { message: String(e), type: 'api_error' } });
    }
  };

  const server = await listenLocally(createServer((req, res) => void handle(req, res)));
  return {
    url: server.url,
    apiKey,
    requests,
    failNext: (f) => failures.push({ ...f }),
    close: server.close,
  };
}
