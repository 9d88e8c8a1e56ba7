/**
 * The official Stripe client, pointed at `settings.base_url`, with its own retries off
 * (Temporal's retry policy is the only one) and a request timeout; list pagination
 * (`limit=100`, `starting_after`, `has_more`) with every page validated; Stripe errors
 * mapped to boardroom's source errors.
 */
import Stripe from 'stripe';
import type { z } from 'zod';
import { BoardroomError, SourceTransientError } from '../../../shared/errors.js';
import {
  errorForStatus,
  parseShape,
  preview,
  retryAfterMs,
  shapeError,
  sourceSchemaError,
  type ShapeWording,
} from '../kit/index.js';
import { ListPage } from './schemas.js';
import { PERMISSIONS_TEXT, type StripeSettings } from './settings.js';

/** The API version every request pins (the client library's own); the zod schemas match it. */
export const STRIPE_API_VERSION = Stripe.API_VERSION;
/** Stripe's maximum page size. */
export const PAGE_LIMIT = 100;

export function createStripe(key: string, s: StripeSettings): Stripe {
  const url = new URL(s.base_url);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(key, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 0,
    timeout: s.timeout_ms,
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    telemetry: false,
    appInfo: { name: 'boardroom' },
  });
}

/** Counts the HTTP requests a load or check makes; checks cancellation between them. */
export class Calls {
  count = 0;
  constructor(private readonly signal?: AbortSignal) {}
  async run<T>(what: string, keyEnv: string, fn: () => Promise<T>): Promise<T> {
    this.signal?.throwIfAborted();
    this.count++;
    try {
      return await fn();
    } catch (e) {
      throw mapStripeError(e, what, keyEnv);
    }
  }
}

export interface ListResult<T> {
  items: T[];
  pages: number;
}

/**
 * Every page of one list endpoint: `fetchPage(startingAfter)` asks for `limit=100`
 * items after the last id of the previous page while `has_more` is true. Each item is
 * validated with `schema`; `objectType` names it in errors.
 */
export async function listAll<S extends z.ZodType>(
  calls: Calls,
  keyEnv: string,
  what: string,
  objectType: string,
  schema: S,
  fetchPage: (startingAfter: string | undefined) => Promise<unknown>,
): Promise<ListResult<z.output<S>>> {
  const items: z.output<S>[] = [];
  let pages = 0;
  let after: string | undefined;
  for (;;) {
    const raw = await calls.run(what, keyEnv, () => fetchPage(after));
    pages++;
    const page = ListPage.safeParse(raw);
    if (!page.success) {
      throw shapeError('stripe', page.error, raw, { object: `list of ${objectType}` }, wording);
    }
    for (const item of page.data.data) items.push(parseObject(schema, item, objectType));
    if (!page.data.has_more) break;
    const last = page.data.data.at(-1) as { id?: unknown } | undefined;
    if (typeof last?.id !== 'string') {
      throw sourceSchemaError(
        'stripe',
        `stripe: list of ${objectType} says has_more but its last item has no "id" to continue after`,
        { object: objectType, field: 'data.id' },
      );
    }
    if (last.id === after) {
      throw sourceSchemaError(
        'stripe',
        `stripe: list of ${objectType} repeats its page after ${after} (has_more never ends)`,
        { object: objectType, field: 'has_more' },
      );
    }
    after = last.id;
  }
  return { items, pages };
}

/** Validates one API object; a mismatch names the object, its id and the field. */
export function parseObject<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  objectType: string,
): z.output<S> {
  const id =
    raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
      ? (raw as { id: string }).id
      : undefined;
  return parseShape('stripe', schema, raw, { object: objectType, id }, wording);
}

const wording: ShapeWording = ({ subject, field, expected, found }) =>
  `stripe: ${subject.object}${subject.id ? ` ${subject.id}` : ''}: field "${field}" is not what the connector reads ` +
  `(${expected}; ${found === undefined ? 'it is missing' : `got ${preview(found)}`}). ` +
  'The API response changed shape or the account uses a feature this connector does not read.';

const PERMISSION_OF: Record<string, string> = {
  subscriptions: 'Subscriptions (and Customers, for the expanded customer)',
  'subscription items': 'Subscriptions',
  events: 'Events',
  products: 'Products',
  prices: 'Prices',
  coupons: 'Coupons',
  balance: 'Balance',
  'balance transactions': 'Balance',
};

/** A Stripe library error -> boardroom's source errors. The key never appears. */
export function mapStripeError(e: unknown, what: string, keyEnv: string): unknown {
  if (e instanceof BoardroomError) return e;
  if (!(e instanceof Stripe.errors.StripeError)) return e;
  const status = e.statusCode;
  const context = { status, requestId: e.requestId, request: what };
  if (e.type === 'StripeConnectionError' || status === undefined) {
    return new SourceTransientError(
      `stripe: could not get ${what} from Stripe: ${e.message} (network error or timeout; retried by the workflow)`,
      context,
    );
  }
  return errorForStatus(status, (kind) => {
    switch (kind) {
      case 'unauthorized':
        return {
          message: `stripe: ${keyEnv} is rejected (401) on ${what}: check that it is a current secret (sk_...) or restricted (rk_...) key of the right account and mode (test keys see only test data), not revoked or rolled; it needs Read on ${PERMISSIONS_TEXT}`,
          context,
        };
      case 'forbidden': {
        const named = /'(rak_[a-z_]+)'/.exec(e.message)?.[1];
        return {
          message: `stripe: ${keyEnv} may not read ${what} (403): give the restricted key Read on ${PERMISSION_OF[what] ?? what}${named ? ` (Stripe asks for '${named}')` : ''}; in all it needs Read on ${PERMISSIONS_TEXT}`,
          context: { ...context, permission: named },
        };
      }
      case 'rate-limited':
        return {
          message: `stripe: rate limited (429) on ${what}; retried later`,
          context: { ...context, retryAfterMs: retryAfterMs(e.headers?.['retry-after']) },
        };
      case 'unavailable':
        return {
          message: `stripe: Stripe failed on ${what} (${status}${e.requestId ? `, request ${e.requestId}` : ''}): ${e.message}`,
          context,
        };
      case 'rejected':
        return {
          message: `stripe: Stripe rejected the request for ${what} (${status}${e.code ? ` ${e.code}` : ''}): ${e.message}`,
          context: { ...context, code: e.code, param: e.param },
        };
    }
  });
}
