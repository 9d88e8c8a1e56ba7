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
  SourceRequestError,
  SourceTransientError,
  type BoardroomError,
} from '../../../shared/errors.js';
import {
  errorOfKind,
  networkErrorCode,
  parseShape as parseKitShape,
  retryAfterMs as retryAfterHeaderMs,
  sourceSchemaError,
  statusKind,
  type StatusKind,
} from '../kit/index.js';
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
        throw sourceSchemaError(
          'linear',
          `linear: ${opts.typename}Connection (${opts.root}), field "pageInfo.endCursor": hasNextPage is true but the cursor ${connection.pageInfo.endCursor === null ? 'is null' : 'did not move'}`,
          { object: `${opts.typename}Connection`, field: 'pageInfo.endCursor' },
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

/** Validates a value of the response; a mismatch names the type, id, label and field. */
export function parseShape<S extends z.ZodType>(
  schema: S,
  value: unknown,
  typename: string,
  id?: string,
  prefix?: string,
  label?: string,
): z.output<S> {
  return parseKitShape('linear', schema, value, { object: typename, id, label, prefix });
}

// ---------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------

/** Seconds (or an HTTP date) in Retry-After; else Linear's X-RateLimit-*-Reset (epoch ms). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const fromHeader = retryAfterHeaderMs(headers.get('retry-after'), now);
  if (fromHeader !== undefined) return fromHeader;
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
    const code = networkErrorCode(error);
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

  const stands = standsFor(error, code);
  if (stands === 200 && !first) {
    return sourceSchemaError(
      'linear',
      `linear: ${operation}: the response has no "data" (HTTP 200): the Linear API answered with a shape boardroom does not know`,
      { object: 'Query', field: 'data' },
      ctx,
    );
  }
  const kind: StatusKind = stands === undefined ? 'rejected' : statusKind(stands);
  const key = settings.api_key_env;
  const wait = kind === 'rate-limited' ? retryAfterMs(headers) : undefined;
  const message = ((): string => {
    switch (kind) {
      case 'rate-limited':
        return `linear: rate limited (${what})${wait !== undefined ? `, retry in ${Math.ceil(wait / 1000)} s` : ''}`;
      case 'unauthorized':
        return `linear: ${key} is rejected (${what}): ${KEY_ADVICE}, and put it in ${key} as it is (no "Bearer" prefix)`;
      case 'forbidden':
        return `linear: ${key} may not read what boardroom asks for (${what})${detail}: give the key the Read permission and access to the teams whose projects boardroom reads (settings.team_keys)`;
      case 'unavailable':
        return `linear: ${operation} failed on Linear's side (${what})${detail}`;
      case 'rejected':
        return status === 404
          ? `linear: ${settings.base_url}/graphql answered 404: check settings.base_url (default https://api.linear.app)`
          : `linear: Linear rejected ${operation} (${what})${detail}${code === 'GRAPHQL_VALIDATION_FAILED' ? ': the API may have changed; boardroom needs an update' : ''}`;
    }
  })();
  const authContext = kind === 'unauthorized' || kind === 'forbidden' ? { env: key } : {};
  return errorOfKind(kind, message, {
    ...ctx,
    ...authContext,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  });
}

/**
 * The HTTP status a Linear error stands for. Linear answers most failures with HTTP 400
 * and says what happened in `extensions.code` (or the SDK in `type`), so those decide
 * before the status does.
 */
function standsFor(error: LinearError, code: string | undefined): number | undefined {
  const { status, type } = error;
  if (code === 'RATELIMITED' || status === 429 || type === LinearErrorType.Ratelimited) return 429;
  if (code === 'AUTHENTICATION_ERROR' || status === 401) return 401;
  if (code === 'FORBIDDEN' || status === 403 || type === LinearErrorType.Forbidden) return 403;
  if (
    code === 'INTERNAL_SERVER_ERROR' ||
    type === LinearErrorType.InternalError ||
    type === LinearErrorType.NetworkError ||
    type === LinearErrorType.LockTimeout
  ) {
    return 500;
  }
  return status;
}
