/**
 * Talking to Linear: one GraphQL request at a time through the official SDK's transport
 * (`new LinearClient({ apiKey, apiUrl }).client.rawRequest`), cursor pagination, and the
 * translation of every failure into boardroom's error classes.
 *
 * Why `rawRequest` with our own documents and not the SDK's models (`client.projects()`):
 * the models fetch every field of a type and resolve relations (a project's lead, an
 * issue's state) with one more request each, which costs Linear's complexity budget and
 * hundreds of round trips; our documents ask for the fields we map in one request per
 * page. The SDK still does the auth header (`Authorization: <key>`, no Bearer), the URL
 * check and the error parsing, and it has no retries of its own (Temporal's retry policy
 * is the only one). A fresh client per request carries that request's timeout signal.
 */
import { LinearClient, LinearError, LinearErrorType } from '@linear/sdk';
import type { z } from 'zod';
import {
  SourceAuthError,
  SourceRequestError,
  SourceSchemaError,
  SourceTransientError,
  type BoardroomError,
} from '../../../shared/errors.js';
import { KEY_ADVICE, type LinearSettings } from './settings.js';
import { Connection } from './queries.js';

export interface ConnectionPage<T> {
  nodes: T[];
  pages: number;
}

interface RawGraphqlError {
  message?: string;
  extensions?: { code?: string; type?: string; userPresentableMessage?: string };
}

export class LinearApi {
  /** HTTP requests made (successful or not). */
  calls = 0;
  private readonly apiUrl: string;

  constructor(
    private readonly apiKey: string,
    private readonly settings: LinearSettings,
    private readonly signal?: AbortSignal,
  ) {
    this.apiUrl = `${settings.base_url}/graphql`;
  }

  /** One GraphQL request; returns `data`. */
  async request(operation: string, document: string, variables: Record<string, unknown> = {}) {
    this.calls += 1;
    const timeout = AbortSignal.timeout(this.settings.timeout_ms);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    try {
      const client = new LinearClient({ apiKey: this.apiKey, apiUrl: this.apiUrl, signal });
      const response = await client.client.rawRequest<unknown, Record<string, unknown>>(
        document,
        variables,
      );
      return response.data;
    } catch (error) {
      if (this.signal?.aborted) throw this.signal.reason ?? error;
      throw translateError(error, operation, this.settings);
    }
  }

  /**
   * Every node of a root connection (`projects`, `issues`, ...), page by page with
   * `first`/`after` until `pageInfo.hasNextPage` is false. Each node is validated with
   * `schema`; a node that does not fit names its type, id and field.
   */
  async paginate<S extends z.ZodType>(opts: {
    operation: string;
    document: string;
    root: string;
    typename: string;
    schema: S;
    variables?: Record<string, unknown>;
    pageSize?: number;
  }): Promise<ConnectionPage<z.output<S>>> {
    const nodes: z.output<S>[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      if (pages >= this.settings.max_pages) {
        throw new SourceRequestError(
          `linear: ${opts.root} has more than ${this.settings.max_pages} pages of ${opts.pageSize ?? this.settings.page_size}: narrow it with settings.team_keys or raise settings.max_pages`,
          { source: 'linear', operation: opts.operation },
        );
      }
      const data = await this.request(opts.operation, opts.document, {
        ...opts.variables,
        first: opts.pageSize ?? this.settings.page_size,
        after,
      });
      pages += 1;
      const connection = parseShape(
        Connection,
        (data as Record<string, unknown> | undefined)?.[opts.root],
        `${opts.typename}Connection`,
        undefined,
        opts.root,
      );
      for (const node of connection.nodes) nodes.push(parseNode(opts.schema, node, opts.typename));
      if (!connection.pageInfo.hasNextPage) break;
      if (!connection.pageInfo.endCursor || connection.pageInfo.endCursor === after) {
        throw new SourceSchemaError(
          `linear: ${opts.typename}Connection (${opts.root}), field "pageInfo.endCursor": hasNextPage is true but the cursor ${connection.pageInfo.endCursor === null ? 'is null' : 'did not move'}`,
          { source: 'linear', object: `${opts.typename}Connection`, field: 'pageInfo.endCursor' },
        );
      }
      after = connection.pageInfo.endCursor;
    }
    return { nodes, pages };
  }
}

/** Validates one node; a mismatch names the type, the node's id (and name) and the field. */
export function parseNode<S extends z.ZodType>(
  schema: S,
  node: unknown,
  typename: string,
): z.output<S> {
  const obj = (node ?? {}) as Record<string, unknown>;
  const id = typeof obj.id === 'string' ? obj.id : undefined;
  const label =
    typeof obj.identifier === 'string'
      ? obj.identifier
      : typeof obj.name === 'string'
        ? obj.name
        : undefined;
  return parseShape(schema, node, typename, id, undefined, label);
}

export function parseShape<S extends z.ZodType>(
  schema: S,
  value: unknown,
  typename: string,
  id?: string,
  prefix?: string,
  label?: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
  const got = valueAt(value, issue.path);
  const what = `${typename}${id ? ` ${id}` : ''}${label ? ` (${JSON.stringify(label)})` : ''}`;
  return failShape(
    `linear: ${what}${field ? `, field "${field}"` : ''}: ${issue.message}${got === undefined ? ' (missing)' : `, got ${preview(got)}`}: the Linear API answered with a shape boardroom does not know`,
    { source: 'linear', object: typename, ...(id ? { id } : {}), ...(field ? { field } : {}) },
  );
}

function failShape(message: string, context: Record<string, unknown>): never {
  throw new SourceSchemaError(message, context);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// ---------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------

/** Seconds (or an HTTP date) in Retry-After; else Linear's X-RateLimit-*-Reset (epoch ms). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  for (const name of ['x-ratelimit-requests-reset', 'x-ratelimit-complexity-reset']) {
    const raw = headers.get(name);
    const n = raw ? Number(raw) : NaN;
    if (!Number.isFinite(n) || n <= 0) continue;
    // Linear sends epoch milliseconds; accept epoch seconds too.
    const at = n > 1e12 ? n : n * 1000;
    return Math.max(0, at - now);
  }
  return undefined;
}

/** Connection errors that mean the host was never reached. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function causeCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Any failure of one request -> the boardroom error a person (or Temporal) can act on. */
export function translateError(
  error: unknown,
  operation: string,
  settings: Pick<LinearSettings, 'api_key_env' | 'base_url' | 'timeout_ms'>,
): BoardroomError {
  const url = `${settings.base_url}/graphql`;
  const ctx = { source: 'linear', operation };
  if (error instanceof LinearError) return translateLinearError(error, operation, settings);
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SourceTransientError(
      `linear: ${operation} timed out after ${settings.timeout_ms} ms (${url}); raise settings.timeout_ms if Linear is slow`,
      { ...ctx, timeoutMs: settings.timeout_ms },
    );
  }
  if (error instanceof SyntaxError) {
    return new SourceTransientError(`linear: ${operation}: unreadable JSON from ${url}`, ctx);
  }
  if (error instanceof TypeError) {
    const code = causeCode(error);
    const unreachable = !code || UNREACHABLE.has(code);
    return new SourceTransientError(
      unreachable
        ? `linear: cannot reach ${url}${code ? ` (${code})` : ''}: check the network and settings.base_url`
        : `linear: the connection to ${url} broke during ${operation} (${code})`,
      { ...ctx, ...(code ? { code } : {}) },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SourceTransientError(`linear: ${operation} failed: ${message}`, ctx);
}

function translateLinearError(
  error: LinearError,
  operation: string,
  settings: Pick<LinearSettings, 'api_key_env' | 'base_url'>,
): BoardroomError {
  const raw = (error.raw ?? {}) as {
    response?: { errors?: RawGraphqlError[]; headers?: Headers; error?: unknown };
  };
  const first = raw.response?.errors?.[0];
  const code = first?.extensions?.code;
  const status = error.status;
  const headers = raw.response?.headers;
  const said = first?.extensions?.userPresentableMessage ?? first?.message;
  const what =
    [code, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ') || error.type;
  const ctx = {
    source: 'linear',
    operation,
    ...(status ? { status } : {}),
    ...(code ? { code } : {}),
  };
  const detail = said ? `: ${said}` : '';

  if (code === 'RATELIMITED' || status === 429 || error.type === LinearErrorType.Ratelimited) {
    const wait = retryAfterMs(headers);
    return new SourceTransientError(
      `linear: rate limited (${what})${wait !== undefined ? `, retry in ${Math.ceil(wait / 1000)} s` : ''}`,
      { ...ctx, ...(wait !== undefined ? { retryAfterMs: wait } : {}) },
    );
  }
  if (code === 'AUTHENTICATION_ERROR' || status === 401) {
    return new SourceAuthError(
      `linear: ${settings.api_key_env} is rejected (${what}): ${KEY_ADVICE}, and put it in ${settings.api_key_env} as it is (no "Bearer" prefix)`,
      { ...ctx, env: settings.api_key_env },
    );
  }
  if (code === 'FORBIDDEN' || status === 403 || error.type === LinearErrorType.Forbidden) {
    return new SourceAuthError(
      `linear: ${settings.api_key_env} may not read what boardroom asks for (${what})${detail}: give the key the Read permission and access to the teams whose projects boardroom reads (settings.team_keys)`,
      { ...ctx, env: settings.api_key_env },
    );
  }
  if (
    (status !== undefined && status >= 500) ||
    code === 'INTERNAL_SERVER_ERROR' ||
    error.type === LinearErrorType.InternalError ||
    error.type === LinearErrorType.NetworkError ||
    error.type === LinearErrorType.LockTimeout
  ) {
    return new SourceTransientError(
      `linear: ${operation} failed on Linear's side (${what})${detail}`,
      ctx,
    );
  }
  if (status === 200 && !first) {
    return new SourceSchemaError(
      `linear: ${operation}: the response has no "data" (HTTP 200): the Linear API answered with a shape boardroom does not know`,
      { ...ctx, object: 'Query', field: 'data' },
    );
  }
  if (status === 404) {
    return new SourceRequestError(
      `linear: ${settings.base_url}/graphql answered 404: check settings.base_url (default https://api.linear.app)`,
      ctx,
    );
  }
  return new SourceRequestError(
    `linear: Linear rejected ${operation} (${what})${detail}${code === 'GRAPHQL_VALIDATION_FAILED' ? ': the API may have changed; boardroom needs an update' : ''}`,
    ctx,
  );
}
