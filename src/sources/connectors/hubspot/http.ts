/**
 * The HubSpot transport: the official client (`@hubspot/api-client`) builds every
 * request (paths, query parameters, JSON bodies, the `Authorization: Bearer` header),
 * and a per-call middleware of ours gives each call what the client lacks:
 *
 * - a timeout and cancellation. The client's fetch (node-fetch 2) gets neither a timeout
 *   nor an AbortSignal, so a hung connection would hang the activity. Each call runs on
 *   an http(s).Agent of this connector; on timeout or abort we destroy the agent's
 *   sockets, which fails the in-flight request at once.
 * - the raw response. The middleware buffers the body, so we validate HubSpot's JSON
 *   with zod ourselves (naming the object and the field) instead of the client's
 *   deserializer, which turns a changed shape into `TypeError: data is not iterable`,
 *   and we read the rate-limit headers of every response.
 * - no retries: `numberOfApiCallRetries: 0` and no limiter. The client keeps its
 *   decorators in a process-wide singleton that every `new Client()` resets and that is
 *   applied when an API object is first used, so we take our API objects right after
 *   constructing the client.
 *
 * Note: in @hubspot/api-client 13.5 the `middleware`, `httpAgent` and `defaultHeaders`
 * options of `new Client()` are never applied unless a call passes its own middleware
 * (the generated code starts from an empty middleware list); we pass ours per call
 * with `middlewareMergeStrategy: 'append'`.
 *
 * Requests are sequential (one at a time), which also keeps us within HubSpot's burst
 * limit. Statuses map to error classes by the kit's table (kit/http-status.ts: 401/403
 * SourceAuthError, 429 SourceTransientError with retryAfterMs, 5xx SourceTransientError,
 * 400/404 SourceRequestError); timeouts and connection failures are
 * SourceTransientError, a body we do not understand SourceSchemaError.
 */
import http from 'node:http';
import https from 'node:https';
import { Client } from '@hubspot/api-client';
import type { z } from 'zod';
import { SourceTransientError, type SourceSchemaError } from '../../../shared/errors.js';
import {
  errorForStatus,
  mismatchOf,
  networkErrorCode,
  retryAfterMs,
  sourceSchemaError,
} from '../kit/index.js';

interface WireRequest {
  setAgent(agent: http.Agent | https.Agent): void;
}
interface WireResponse {
  httpStatusCode: number;
  headers: Record<string, string>;
  body: { binary(): Promise<Buffer>; text(): Promise<string> };
}
/** Per-call options in the shape the generated API methods accept. */
export interface CallOptions {
  middlewareMergeStrategy: 'append';
  middleware: {
    pre<T extends WireRequest>(ctx: T): Promise<T>;
    post<T extends WireResponse>(rsp: T): Promise<T>;
  }[];
}

interface Captured {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** The rate-limit headers of the last response that had them. */
export interface RateLimitState {
  max?: number;
  remaining?: number;
  intervalMs?: number;
  dailyRemaining?: number;
}

export interface HubSpotHttpOptions {
  token: string;
  tokenEnv: string;
  baseUrl: string;
  timeoutMs: number;
  rateLimitReserve: number;
  rateLimitMaxPauseMs: number;
  searchIntervalMs: number;
  signal?: AbortSignal;
}

/** Which scope each endpoint needs, for the 403 message when HubSpot does not say. */
export const ENDPOINT_SCOPES: Record<string, string> = {
  'GET /crm/v3/pipelines/deals': 'crm.objects.deals.read',
  'GET /crm/v3/objects/deals': 'crm.objects.deals.read',
  'POST /crm/v3/objects/deals/search': 'crm.objects.deals.read',
  'GET /crm/v3/owners': 'crm.objects.owners.read',
  'GET /crm/v3/objects/companies': 'crm.objects.companies.read',
  'POST /crm/v3/objects/companies/batch/read': 'crm.objects.companies.read',
  'POST /crm/v3/objects/contacts/search': 'crm.objects.contacts.read',
};

const ErrorBody = {
  parse(text: string): {
    message?: string;
    category?: string;
    policyName?: string;
    correlationId?: string;
    scopes: string[];
  } {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { scopes: [] };
    }
    if (typeof body !== 'object' || body === null) return { scopes: [] };
    const b = body as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const scopes: string[] = [];
    if (Array.isArray(b.errors)) {
      for (const e of b.errors as unknown[]) {
        const context = (e as { context?: Record<string, unknown> } | null)?.context;
        for (const key of ['requiredGranularScopes', 'requiredScopes']) {
          const list = context?.[key];
          if (Array.isArray(list)) scopes.push(...list.filter((s) => typeof s === 'string'));
        }
      }
    }
    return {
      message: str(b.message),
      category: str(b.category) ?? str(b.errorType),
      policyName: str(b.policyName),
      correlationId: str(b.correlationId),
      scopes: [...new Set(scopes)],
    };
  },
};

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}...` : s);

export class HubSpotHttp {
  /** Requests sent (pages included). */
  calls = 0;
  /** The latest rate-limit headers seen. */
  rateLimit: RateLimitState = {};
  readonly api;
  private agent: http.Agent | https.Agent;
  private pauseMs = 0;
  private lastSearchAt = 0;

  constructor(private readonly o: HubSpotHttpOptions) {
    this.agent = this.newAgent();
    const client = new Client({
      accessToken: o.token,
      basePath: o.baseUrl,
      numberOfApiCallRetries: 0,
    });
    // Taken at once: the client's (process-wide) decorators are applied here.
    this.api = {
      pipelines: client.crm.pipelines.pipelinesApi,
      deals: client.crm.deals.basicApi,
      dealsSearch: client.crm.deals.searchApi,
      owners: client.crm.owners.ownersApi,
      companies: client.crm.companies.basicApi,
      companiesBatch: client.crm.companies.batchApi,
      contactsSearch: client.crm.contacts.searchApi,
    };
  }

  private newAgent(): http.Agent | https.Agent {
    return this.o.baseUrl.startsWith('https:')
      ? new https.Agent({ keepAlive: true })
      : new http.Agent({ keepAlive: true });
  }

  /** Closes the idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  /**
   * Sends one request through the client and returns its body validated by `schema`.
   * `object` names what the response lists ("deal", "contact") for error messages.
   */
  async request<S extends z.ZodType>(
    endpoint: string,
    object: string,
    schema: S,
    send: (options: CallOptions) => Promise<unknown>,
  ): Promise<z.output<S>> {
    const isSearch = endpoint.endsWith('/search');
    if (this.pauseMs > 0) {
      const ms = this.pauseMs;
      this.pauseMs = 0;
      await this.sleep(ms);
    }
    if (isSearch && this.o.searchIntervalMs > 0) {
      const wait = this.lastSearchAt + this.o.searchIntervalMs - Date.now();
      if (wait > 0) await this.sleep(wait);
    }
    this.o.signal?.throwIfAborted();

    let captured: Captured | undefined;
    const options: CallOptions = {
      middlewareMergeStrategy: 'append',
      middleware: [
        {
          pre: async (ctx) => {
            ctx.setAgent(this.agent);
            this.calls++;
            if (isSearch) this.lastSearchAt = Date.now();
            return ctx;
          },
          post: async (rsp) => {
            const buf = await rsp.body.binary();
            const text = buf.toString('utf8');
            captured = { status: rsp.httpStatusCode, headers: rsp.headers, text };
            rsp.body = { binary: async () => buf, text: async () => text };
            return rsp;
          },
        },
      ],
    };

    const outcome = await this.withDeadline(send(options));
    if (captured) {
      this.readRateLimit(captured.headers);
      if (captured.status >= 200 && captured.status < 300) {
        return this.validate(endpoint, object, schema, captured.text);
      }
      throw this.httpError(endpoint, captured);
    }
    if (outcome.kind === 'timeout') {
      throw new SourceTransientError(
        `hubspot: ${endpoint} did not answer within ${this.o.timeoutMs} ms (settings timeout_ms)`,
        { endpoint, timeoutMs: this.o.timeoutMs },
      );
    }
    if (outcome.kind === 'aborted') {
      throw this.o.signal?.reason ?? new SourceTransientError(`hubspot: ${endpoint} was cancelled`);
    }
    const err = outcome.kind === 'error' ? outcome.error : undefined;
    const code = networkErrorCode(err);
    const detail = (code ? `${code}: ` : '') + (err instanceof Error ? err.message : String(err));
    throw new SourceTransientError(
      `hubspot: could not reach ${this.o.baseUrl} for ${endpoint} (${clip(detail, 200)})`,
      { endpoint, code },
    );
  }

  private withDeadline(
    p: Promise<unknown>,
  ): Promise<{ kind: 'ok' } | { kind: 'error'; error: unknown } | { kind: 'timeout' | 'aborted' }> {
    const signal = this.o.signal;
    return new Promise((resolve) => {
      const cut = (kind: 'timeout' | 'aborted') => {
        // Fails the in-flight request; later requests get a fresh agent.
        this.agent.destroy();
        this.agent = this.newAgent();
        resolve({ kind });
      };
      const timer = setTimeout(() => cut('timeout'), this.o.timeoutMs);
      const onAbort = () => cut('aborted');
      signal?.addEventListener('abort', onAbort, { once: true });
      p.then(
        () => resolve({ kind: 'ok' }),
        (error: unknown) => resolve({ kind: 'error', error }),
      ).finally(() => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
    });
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.o.signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Rate limits: when X-HubSpot-RateLimit-Remaining is at or below the reserve, the next
   * request waits for the rest of the window (X-HubSpot-RateLimit-Interval-Milliseconds,
   * capped by rate_limit_max_pause_ms), so we do not run into a 429 ourselves nor starve
   * the account's other integrations. Search responses carry no such headers; searches
   * are spaced by search_interval_ms instead.
   */
  private readRateLimit(headers: Record<string, string>): void {
    const num = (name: string) => {
      const v = headers[name];
      const n = v === undefined ? NaN : Number(v);
      return Number.isFinite(n) ? n : undefined;
    };
    const remaining = num('x-hubspot-ratelimit-remaining');
    if (remaining === undefined) return;
    this.rateLimit = {
      max: num('x-hubspot-ratelimit-max'),
      remaining,
      intervalMs: num('x-hubspot-ratelimit-interval-milliseconds'),
      dailyRemaining: num('x-hubspot-ratelimit-daily-remaining'),
    };
    if (remaining <= this.o.rateLimitReserve) {
      this.pauseMs = Math.min(this.rateLimit.intervalMs ?? 10_000, this.o.rateLimitMaxPauseMs);
    }
  }

  private validate<S extends z.ZodType>(
    endpoint: string,
    object: string,
    schema: S,
    text: string,
  ): z.output<S> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw sourceSchemaError(
        'hubspot',
        `hubspot: ${endpoint} answered with a body that is not JSON (${clip(JSON.stringify(text), 80)})`,
        { object: `${endpoint} response` },
        { endpoint },
      );
    }
    const result = schema.safeParse(body);
    if (result.success) return result.data;
    const { path, expected } = mismatchOf(result.error, body);
    throw schemaError(endpoint, object, body, path, expected);
  }

  private httpError(endpoint: string, c: Captured): Error {
    const body = ErrorBody.parse(c.text);
    const tag = `${c.status}${body.category ? ` ${body.category}` : ''}`;
    const context = {
      endpoint,
      status: c.status,
      category: body.category,
      correlationId: body.correlationId,
    };
    const env = this.o.tokenEnv;
    return errorForStatus(c.status, (kind) => {
      switch (kind) {
        case 'unauthorized':
          return {
            message:
              `hubspot: ${env} is rejected (${tag}) on ${endpoint}: check that it holds the access token of a private app ` +
              `that is still installed (HubSpot > Settings > Integrations > Private Apps > your app > Auth); rotate it if it leaked`,
            context,
          };
        case 'forbidden': {
          const scopes =
            body.scopes.length > 0 ? body.scopes : [ENDPOINT_SCOPES[endpoint] ?? 'a read scope'];
          return {
            message: `hubspot: ${env} lacks the scope ${scopes.join(' or ')} needed by ${endpoint} (${tag}): add it under Private Apps > your app > Scopes, commit, and use the app's token`,
            context: { ...context, scopes },
          };
        }
        case 'rate-limited': {
          // The search endpoints' per-second limit (policy SECONDLY) clears within a second.
          const wait = retryAfter(c.headers, body.policyName === 'SECONDLY' ? 1000 : 10_000);
          return {
            message: `hubspot: rate limited on ${endpoint} (${c.status}${body.policyName ? ` ${body.policyName}` : ''}); retry after ${Math.ceil(wait / 1000)} s`,
            context: { ...context, retryAfterMs: wait, policyName: body.policyName },
          };
        }
        case 'unavailable':
          return {
            message: `hubspot: ${endpoint} failed with ${tag}${body.message ? `: ${clip(body.message, 160)}` : ''}`,
            context,
          };
        case 'rejected':
          return {
            message: `hubspot: ${endpoint} was refused (${tag})${body.message ? `: ${clip(body.message)}` : ''}`,
            context,
          };
      }
    });
  }
}

/** Retry-After (seconds or an HTTP date), else the rate-limit window, else the fallback. */
function retryAfter(headers: Record<string, string>, fallbackMs: number): number {
  const fromHeader = retryAfterMs(headers['retry-after']);
  if (fromHeader !== undefined) return fromHeader;
  const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  return Number.isFinite(interval) && interval > 0 ? interval : fallbackMs;
}

/**
 * A SourceSchemaError naming the object (type and id) and the field:
 * `results[3].properties.dealstage` of a deals page -> deal 18000000004, field
 * properties.dealstage.
 */
export function schemaError(
  endpoint: string,
  object: string,
  body: unknown,
  path: PropertyKey[],
  message: string,
): SourceSchemaError {
  let where = `the ${endpoint} response`;
  let fieldPath = path;
  let id: string | undefined;
  if (path[0] === 'results' && typeof path[1] === 'number') {
    const item = (body as { results?: unknown[] }).results?.[path[1]];
    const rawId = (item as { id?: unknown } | undefined)?.id;
    id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
    where = `${object} ${id ?? `#${path[1] + 1} (no id)`}`;
    fieldPath = path.slice(2);
  }
  const field =
    fieldPath
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
      .join('') || '(the object itself)';
  return sourceSchemaError(
    'hubspot',
    `hubspot: ${endpoint} returned ${where} with an unexpected field "${field}": ${message}. ` +
      `The HubSpot API or this account's data differs from what boardroom reads (docs/sources/hubspot.md)`,
    { object, id, field },
    { endpoint },
  );
}
