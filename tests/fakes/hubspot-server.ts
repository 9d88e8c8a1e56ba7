/**
 * A local HubSpot: a node:http server on 127.0.0.1 that answers the CRM v3 calls the
 * connector makes, as HubSpot's API reference documents them:
 *
 *   GET  /crm/v3/pipelines/deals
 *   GET  /crm/v3/objects/deals       limit (<= 100, <= 50 with propertiesWithHistory), after,
 *                                    properties, propertiesWithHistory, associations, archived
 *   GET  /crm/v3/objects/companies   limit, after, properties
 *   POST /crm/v3/objects/companies/batch/read   (207 with `errors` for ids it lacks)
 *   GET  /crm/v3/owners              limit (<= 500), after, archived
 *   POST /crm/v3/objects/{contacts,deals,companies}/search
 *        filterGroups (OR of ANDs; EQ NEQ LT LTE GT GTE BETWEEN IN HAS_PROPERTY
 *        NOT_HAS_PROPERTY), sorts, properties, limit (<= 200), after, `total`
 *
 * Cursor pagination (`paging.next.after`), `Authorization: Bearer` private-app tokens with
 * scopes (401 INVALID_AUTHENTICATION, 403 MISSING_SCOPES bodies), the X-HubSpot-RateLimit-*
 * headers on every non-search response (a 10-second window; 429 with Retry-After when it
 * is spent), and injected failures: any status with HubSpot's error body, a hang, a
 * connection reset, or a changed response shape. Every request is recorded.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { listenLocally } from './local-server.js';
import { HUBSPOT_GOLDEN_ACCOUNT, HUBSPOT_GOLDEN_TOKEN } from './hubspot-fixtures/golden.js';

export interface FakeStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: { isClosed: string; probability: string };
}
export interface FakePipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: FakeStage[];
}
export interface FakeObject {
  id: string;
  properties: Record<string, string | null>;
}
export interface FakeDeal extends FakeObject {
  /** Oldest first (served newest first, as HubSpot does). */
  stageHistory: { value: string; timestamp: string }[];
  companies: { id: string; type: string }[];
}
export type FakeContact = FakeObject;
export interface FakeOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  [key: string]: unknown;
}
export interface FakeAccount {
  portalId: number;
  pipelines: FakePipeline[];
  owners: FakeOwner[];
  companies: FakeObject[];
  deals: FakeDeal[];
  contacts: FakeContact[];
}

export interface RecordedRequest {
  method: string;
  /** The path without a trailing slash (the SDK asks for `/crm/v3/owners/`). */
  path: string;
  rawPath: string;
  /** Query parameters, each with every value it was given (repeated keys kept). */
  query: Record<string, string[]>;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body of a POST. */
  body: unknown;
  at: number;
}

export type FakeFailure =
  | {
      /** Answer with this status and HubSpot's error body for it. */
      status: number;
      /** Only a request whose "METHOD /path" contains this. */
      path?: string;
      /** Retry-After header of a 429 (seconds); null to leave it out. Default "2". */
      retryAfter?: string | null;
      /** Replace the body (a string is sent as text/html). */
      body?: unknown;
    }
  | { kind: 'hang'; path?: string }
  | { kind: 'reset'; path?: string }
  | { kind: 'mutate'; path?: string; mutate: (body: Record<string, unknown>) => unknown };

export interface FakeHubSpotOptions {
  account?: FakeAccount;
  /** The private app token the server accepts. */
  token?: string;
  /** The app's scopes (default: all the connector needs). */
  scopes?: string[];
  /** The burst window: `max` requests per `intervalMs` (default 190 per 10 s). */
  rateLimit?: { max: number; intervalMs: number };
}

export interface FakeHubSpot {
  url: string;
  requests: RecordedRequest[];
  account: FakeAccount;
  /** Queues a failure for the next matching request. */
  failNext(failure: FakeFailure): void;
  /** Requests to one path ("GET /crm/v3/objects/deals"). */
  requestsTo(route: string): RecordedRequest[];
  close(): Promise<void>;
}

export const ALL_SCOPES = [
  'crm.objects.deals.read',
  'crm.objects.contacts.read',
  'crm.objects.companies.read',
  'crm.objects.owners.read',
];

const DAILY_LIMIT = 1_000_000;

const DEFAULT_PROPERTIES: Record<string, string[]> = {
  deals: [
    'dealname',
    'amount',
    'closedate',
    'pipeline',
    'dealstage',
    'createdate',
    'hs_lastmodifieddate',
    'hs_object_id',
  ],
  contacts: ['firstname', 'lastname', 'email', 'lastmodifieddate', 'hs_object_id', 'createdate'],
  companies: ['name', 'domain', 'createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly category: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** HubSpot's error body for a status. */
function errorBody(
  status: number,
  message?: string,
  category?: string,
  extra: Record<string, unknown> = {},
) {
  const correlationId = randomUUID();
  switch (status) {
    case 401:
      return {
        status: 'error',
        message:
          message ??
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        correlationId,
        category: category ?? 'INVALID_AUTHENTICATION',
      };
    case 403:
      return {
        status: 'error',
        message:
          message ??
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        correlationId,
        errors: [
          {
            message: 'One or more of the following scopes are required.',
            context: { requiredGranularScopes: extra.scopes ?? ['crm.objects.deals.read'] },
          },
        ],
        links: { scopes: 'https://developers.hubspot.com/scopes' },
        category: category ?? 'MISSING_SCOPES',
      };
    case 429:
      return {
        status: 'error',
        message: message ?? 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId,
        policyName: 'TEN_SECONDLY_ROLLING',
        groupName: 'publicapi:private-app-id:2816453',
      };
    case 404:
      return {
        status: 'error',
        message: message ?? 'resource not found',
        correlationId,
        category: category ?? 'OBJECT_NOT_FOUND',
      };
    case 400:
      return {
        status: 'error',
        message: message ?? 'Invalid input JSON on line 1, column 2',
        correlationId,
        category: category ?? 'VALIDATION_ERROR',
        ...extra,
      };
    default:
      return { status: 'error', message: message ?? 'internal error', correlationId };
  }
}

const listParam = (q: Record<string, string[]>, key: string): string[] | undefined =>
  q[key]
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

const intParam = (q: Record<string, string[]>, key: string, fallback: number): number => {
  const v = q[key]?.[0];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new HttpFailure(400, 'VALIDATION_ERROR', `${key} must be a positive integer, got ${v}`);
  return n;
};

/** A property value comparable with a filter value: date-times and numbers as numbers. */
function comparable(v: string): number | string {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(ms) ? ms : v.toLowerCase();
}

function matches(obj: FakeObject, filter: Record<string, unknown>): boolean {
  const name = String(filter.propertyName);
  const raw = obj.properties[name] ?? (name === 'hs_object_id' ? obj.id : null);
  const op = String(filter.operator);
  if (op === 'HAS_PROPERTY') return raw !== null && raw !== '';
  if (op === 'NOT_HAS_PROPERTY') return raw === null || raw === '';
  if (raw === null || raw === '') return op === 'NEQ';
  const v = comparable(raw);
  const f = comparable(String(filter.value ?? ''));
  switch (op) {
    case 'EQ':
      return v === f;
    case 'NEQ':
      return v !== f;
    case 'LT':
      return v < f;
    case 'LTE':
      return v <= f;
    case 'GT':
      return v > f;
    case 'GTE':
      return v >= f;
    case 'BETWEEN':
      return v >= f && v <= comparable(String(filter.highValue ?? ''));
    case 'IN':
      return ((filter.values as string[] | undefined) ?? []).map(comparable).includes(v);
    default:
      throw new HttpFailure(400, 'VALIDATION_ERROR', `Unsupported operator ${op}`);
  }
}

function project(obj: FakeObject, properties: string[], always: string[]) {
  const props: Record<string, string | null> = {};
  for (const p of new Set([...properties, ...always])) {
    props[p] = p === 'hs_object_id' ? obj.id : (obj.properties[p] ?? null);
  }
  const created = obj.properties.createdate ?? '2026-01-01T00:00:00.000Z';
  const updated = obj.properties.hs_lastmodifieddate ?? obj.properties.lastmodifieddate ?? created;
  return { id: obj.id, properties: props, createdAt: created, updatedAt: updated, archived: false };
}

const byId = (a: { id: string }, b: { id: string }) =>
  a.id.length - b.id.length || a.id.localeCompare(b.id);

/** One page starting after the object whose id is `after` (HubSpot's cursors are opaque). */
function pageOf<T extends { id: string }>(items: T[], after: string | undefined, limit: number) {
  const sorted = [...items].sort(byId);
  const start = after === undefined ? 0 : sorted.findIndex((x) => x.id === after);
  if (start < 0) throw new HttpFailure(400, 'VALIDATION_ERROR', `Invalid after: ${after}`);
  const page = sorted.slice(start, start + limit);
  const next = sorted[start + limit];
  return { page, next: next?.id };
}

export async function startFakeHubSpot(options: FakeHubSpotOptions = {}): Promise<FakeHubSpot> {
  const account = options.account ?? HUBSPOT_GOLDEN_ACCOUNT;
  const token = options.token ?? HUBSPOT_GOLDEN_TOKEN;
  const scopes = new Set(options.scopes ?? ALL_SCOPES);
  const limit = options.rateLimit ?? { max: 190, intervalMs: 10_000 };
  const requests: RecordedRequest[] = [];
  const failures: FakeFailure[] = [];
  let windowStart = Date.now();
  let usedInWindow = 0;
  let usedToday = 0;
  let url = '';

  const takeFailure = (route: string): FakeFailure | undefined => {
    const i = failures.findIndex((f) => f.path === undefined || route.includes(f.path));
    return i < 0 ? undefined : failures.splice(i, 1)[0];
  };

  const nextLink = (path: string, query: Record<string, string[]>, after: string) => {
    const q = new URLSearchParams();
    for (const [k, vs] of Object.entries(query))
      if (k !== 'after') vs.forEach((v) => q.append(k, v));
    q.set('after', after);
    return `${url}${path}?${q}`;
  };

  function route(
    method: string,
    path: string,
    query: Record<string, string[]>,
    body: unknown,
  ): { status: number; body: unknown; scope: string } {
    const need = (scope: string) => {
      if (!scopes.has(scope)) {
        throw new HttpFailure(403, 'MISSING_SCOPES', '', { scopes: [scope] });
      }
      return scope;
    };
    if (method === 'GET' && path === '/crm/v3/pipelines/deals') {
      const scope = need('crm.objects.deals.read');
      return {
        status: 200,
        scope,
        body: {
          results: account.pipelines.map((p) => ({
            label: p.label,
            displayOrder: p.displayOrder,
            id: p.id,
            stages: p.stages.map((s) => ({
              label: s.label,
              displayOrder: s.displayOrder,
              metadata: s.metadata,
              id: s.id,
              createdAt: '2025-01-10T09:00:00.000Z',
              updatedAt: '2025-01-10T09:00:00.000Z',
              archived: false,
              writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
            })),
            createdAt: '2025-01-10T09:00:00.000Z',
            updatedAt: '2025-01-10T09:00:00.000Z',
            archived: false,
          })),
        },
      };
    }
    if (method === 'GET' && path === '/crm/v3/objects/deals') {
      const scope = need('crm.objects.deals.read');
      const withHistory = listParam(query, 'propertiesWithHistory') ?? [];
      const max = withHistory.length > 0 ? 50 : 100;
      const n = intParam(query, 'limit', 10);
      if (n > max) {
        throw new HttpFailure(
          400,
          'VALIDATION_ERROR',
          `limit must be at most ${max}${withHistory.length > 0 ? ' when requesting propertiesWithHistory' : ''}`,
        );
      }
      const props = listParam(query, 'properties') ?? DEFAULT_PROPERTIES.deals!;
      const assoc = listParam(query, 'associations') ?? [];
      const { page, next } = pageOf(account.deals, query.after?.[0], n);
      return {
        status: 200,
        scope,
        body: {
          results: page.map((d) => {
            const o: Record<string, unknown> = project(d, props, [
              'hs_object_id',
              'createdate',
              'hs_lastmodifieddate',
            ]);
            if (withHistory.length > 0) {
              o.propertiesWithHistory = Object.fromEntries(
                withHistory.map((p) => [
                  p,
                  p === 'dealstage'
                    ? [...d.stageHistory].reverse().map((h) => ({
                        value: h.value,
                        timestamp: h.timestamp,
                        sourceType: 'CRM_UI',
                        sourceId: 'userId:9130001',
                        updatedByUserId: 9130001,
                      }))
                    : d.properties[p] == null
                      ? []
                      : [
                          {
                            value: d.properties[p],
                            timestamp: d.properties.createdate,
                            sourceType: 'CRM_UI',
                          },
                        ],
                ]),
              );
            }
            if (assoc.includes('companies') && d.companies.length > 0) {
              o.associations = { companies: { results: d.companies } };
            }
            return o;
          }),
          ...(next ? { paging: { next: { after: next, link: nextLink(path, query, next) } } } : {}),
        },
      };
    }
    if (method === 'GET' && path === '/crm/v3/objects/companies') {
      const scope = need('crm.objects.companies.read');
      const n = intParam(query, 'limit', 10);
      if (n > 100) throw new HttpFailure(400, 'VALIDATION_ERROR', 'limit must be at most 100');
      const props = listParam(query, 'properties') ?? DEFAULT_PROPERTIES.companies!;
      const { page, next } = pageOf(account.companies, query.after?.[0], n);
      return {
        status: 200,
        scope,
        body: {
          results: page.map((c) =>
            project(c, props, ['hs_object_id', 'createdate', 'hs_lastmodifieddate']),
          ),
          ...(next ? { paging: { next: { after: next, link: nextLink(path, query, next) } } } : {}),
        },
      };
    }
    if (method === 'POST' && path === '/crm/v3/objects/companies/batch/read') {
      const scope = need('crm.objects.companies.read');
      const b = body as { inputs?: { id?: unknown }[]; properties?: string[] } | undefined;
      if (!b || !Array.isArray(b.inputs))
        throw new HttpFailure(400, 'VALIDATION_ERROR', 'inputs is required');
      if (b.inputs.length > 100)
        throw new HttpFailure(400, 'VALIDATION_ERROR', 'Batch input is limited to 100 inputs');
      const ids = b.inputs.map((i) => String(i.id));
      const found = account.companies.filter((c) => ids.includes(c.id));
      const missing = ids.filter((id) => !found.some((c) => c.id === id));
      const now = new Date().toISOString();
      return {
        status: missing.length > 0 ? 207 : 200,
        scope,
        body: {
          status: 'COMPLETE',
          results: found.map((c) =>
            project(c, b.properties ?? DEFAULT_PROPERTIES.companies!, [
              'hs_object_id',
              'createdate',
              'hs_lastmodifieddate',
            ]),
          ),
          ...(missing.length > 0
            ? {
                numErrors: 1,
                errors: [
                  {
                    status: 'error',
                    category: 'OBJECT_NOT_FOUND',
                    message:
                      'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.',
                    context: { ids: missing },
                  },
                ],
              }
            : {}),
          startedAt: now,
          completedAt: now,
        },
      };
    }
    if (method === 'GET' && path === '/crm/v3/owners') {
      const scope = need('crm.objects.owners.read');
      const n = intParam(query, 'limit', 100);
      if (n > 500) throw new HttpFailure(400, 'VALIDATION_ERROR', 'limit must be at most 500');
      const { page, next } = pageOf(account.owners, query.after?.[0], n);
      return {
        status: 200,
        scope,
        body: {
          results: page,
          ...(next ? { paging: { next: { after: next, link: nextLink(path, query, next) } } } : {}),
        },
      };
    }
    const search = /^\/crm\/v3\/objects\/(contacts|deals|companies)\/search$/.exec(path);
    if (method === 'POST' && search) {
      const type = search[1] as 'contacts' | 'deals' | 'companies';
      const scope = need(`crm.objects.${type}.read`);
      const b = (body ?? {}) as {
        filterGroups?: { filters?: Record<string, unknown>[] }[];
        sorts?: (string | { propertyName: string; direction?: string })[];
        properties?: string[];
        limit?: number;
        after?: string;
      };
      const groups = b.filterGroups ?? [];
      if (groups.length > 5)
        throw new HttpFailure(400, 'VALIDATION_ERROR', 'Too many filter groups (max 5)');
      if (groups.some((g) => (g.filters ?? []).length > 6)) {
        throw new HttpFailure(
          400,
          'VALIDATION_ERROR',
          'Too many filters in a filter group (max 6)',
        );
      }
      const n = b.limit ?? 10;
      if (!Number.isInteger(n) || n < 1 || n > 200) {
        throw new HttpFailure(400, 'VALIDATION_ERROR', 'limit must be between 1 and 200');
      }
      const offset = b.after === undefined ? 0 : Number(b.after);
      if (!Number.isInteger(offset) || offset < 0)
        throw new HttpFailure(400, 'VALIDATION_ERROR', `Invalid after: ${b.after}`);
      if (offset + n > 10_000) {
        throw new HttpFailure(
          400,
          'VALIDATION_ERROR',
          'Paging beyond 10,000 results is not supported',
        );
      }
      const all: FakeObject[] =
        type === 'contacts'
          ? account.contacts
          : type === 'deals'
            ? account.deals
            : account.companies;
      let hits = all.filter(
        (o) =>
          groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(o, f))),
      );
      const sort = b.sorts?.[0];
      const sortBy = typeof sort === 'string' ? sort : sort?.propertyName;
      hits = [...hits].sort(byId);
      if (sortBy && sortBy !== 'hs_object_id') {
        const key = (o: FakeObject) => comparable(o.properties[sortBy] ?? '');
        hits.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
      }
      if (typeof sort === 'object' && sort?.direction === 'DESCENDING') hits.reverse();
      const page = hits.slice(offset, offset + n);
      const props = b.properties ?? DEFAULT_PROPERTIES[type]!;
      return {
        status: 200,
        scope,
        body: {
          total: hits.length,
          results: page.map((o) => project(o, props, ['hs_object_id', 'createdate'])),
          ...(offset + n < hits.length ? { paging: { next: { after: String(offset + n) } } } : {}),
        },
      };
    }
    throw new HttpFailure(404, 'OBJECT_NOT_FOUND', `No route for ${method} ${path}`);
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const rawPath = u.pathname;
      u.pathname = rawPath.replace(/(.)\/+$/, '$1');
      const query: Record<string, string[]> = {};
      for (const [k, v] of u.searchParams) (query[k] ??= []).push(v);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const method = req.method ?? 'GET';
      requests.push({
        method,
        path: u.pathname,
        rawPath,
        query,
        headers: req.headers,
        body,
        at: Date.now(),
      });
      const routeName = `${method} ${u.pathname}`;
      const isSearch = u.pathname.endsWith('/search');

      const headers: Record<string, string> = {
        'content-type': 'application/json;charset=utf-8',
        'x-hubspot-correlation-id': randomUUID(),
      };
      const send = (status: number, payload: unknown) => {
        const out = typeof payload === 'string' ? payload : JSON.stringify(payload);
        if (typeof payload === 'string') headers['content-type'] = 'text/html';
        res.writeHead(status, headers);
        res.end(out);
      };

      const failure = takeFailure(routeName);
      if (failure && 'kind' in failure && failure.kind === 'hang') return; // never answers
      if (failure && 'kind' in failure && failure.kind === 'reset') {
        req.socket.destroy();
        return;
      }

      // The burst window (search has its own per-second limit and no headers).
      if (!isSearch) {
        const now = Date.now();
        if (now - windowStart >= limit.intervalMs) {
          windowStart = now;
          usedInWindow = 0;
        }
        usedInWindow++;
        usedToday++;
        const remaining = limit.max - usedInWindow;
        Object.assign(headers, {
          'x-hubspot-ratelimit-daily': String(DAILY_LIMIT),
          'x-hubspot-ratelimit-daily-remaining': String(DAILY_LIMIT - usedToday),
          'x-hubspot-ratelimit-interval-milliseconds': String(limit.intervalMs),
          'x-hubspot-ratelimit-max': String(limit.max),
          'x-hubspot-ratelimit-remaining': String(Math.max(0, remaining)),
        });
        if (remaining < 0) {
          headers['retry-after'] = String(Math.ceil((windowStart + limit.intervalMs - now) / 1000));
          return send(429, errorBody(429));
        }
      }

      if (failure && 'status' in failure) {
        if (failure.status === 429 && failure.retryAfter !== null)
          headers['retry-after'] = failure.retryAfter ?? '2';
        return send(failure.status, failure.body ?? errorBody(failure.status));
      }

      const auth = req.headers.authorization;
      if (auth !== `Bearer ${token}`) return send(401, errorBody(401));
      try {
        const result = route(method, u.pathname, query, body);
        const out =
          failure && 'kind' in failure && failure.kind === 'mutate'
            ? failure.mutate(structuredClone(result.body) as Record<string, unknown>)
            : result.body;
        send(result.status, out);
      } catch (err) {
        if (err instanceof HttpFailure) {
          return send(
            err.status,
            errorBody(err.status, err.message || undefined, err.category, err.extra),
          );
        }
        send(500, errorBody(500));
      }
    });
  };

  const server = await listenLocally(http.createServer(handler));
  url = server.url;

  return {
    url,
    requests,
    account,
    failNext: (f) => void failures.push(f),
    requestsTo: (r) => requests.filter((q) => `${q.method} ${q.path}` === r),
    close: server.close,
  };
}
