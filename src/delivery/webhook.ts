/**
 * The webhook channel: an HTTPS POST of the briefing JSON (docs/briefing.schema.json),
 * signed with HMAC-SHA256 so the receiver can tell it came from us, and carrying the
 * delivery id so the receiver can drop a repeat (a retry after a lost answer, a resumed
 * run). The URL and the secret come from the worker's environment only.
 *
 * Outcomes: 2xx delivered; 408, 429, 5xx, timeouts and network errors are transient
 * (retried, honouring Retry-After); any other 4xx, a redirect, a bad certificate or bad
 * settings are permanent. Messages name the host and the variable to fix, never the
 * secret nor the full URL (its path or query often is a token).
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ChannelSettings, WebhookMessage } from '../contract/delivery.js';
import { DeliveryRejectedError, DeliveryUnavailableError } from '../shared/errors.js';
import {
  isBlank,
  type DeliveryChannel,
  type DeliveryContext,
  type DeliveryReceipt,
} from './channel.js';

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

/** How long one POST may take, answer included: a hung receiver must not hold the activity. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Enough for any `{ id }` answer or short error text; a receiver streaming more is cut off. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The hosts a plain http:// URL may name: this machine only (tests, a local relay). */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `sha256=<hex>`: the HMAC-SHA256 of the body's UTF-8 bytes with the secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface WebhookChannelOptions {
  /** @default WEBHOOK_TIMEOUT_MS */
  timeoutMs?: number;
}

export function createWebhookChannel(
  options: WebhookChannelOptions = {},
): DeliveryChannel<'webhook'> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return {
    name: 'webhook',
    async send(message, settings, ctx) {
      refuseBlank(message);
      return post(message.body, settings, ctx, timeoutMs);
    },
    async sendTest(company, settings, ctx) {
      const body = JSON.stringify({
        test: true,
        company: { id: company.id, name: company.name },
        sentAt: new Date().toISOString(),
      });
      return post(body, settings, ctx, timeoutMs);
    },
  };
}

export const webhookChannel: DeliveryChannel<'webhook'> = createWebhookChannel();

/**
 * Never blank: the body must be a briefing with its text and its departments, or a
 * portfolio with at least one company.
 */
function refuseBlank(message: WebhookMessage): void {
  let briefing: unknown;
  try {
    briefing = JSON.parse(message.body);
  } catch {
    throw new DeliveryRejectedError(
      'the briefing is empty: the webhook body is not JSON (a rendering bug; nothing was sent)',
    );
  }
  const { markdown, agents, companies, totals } = (briefing ?? {}) as {
    markdown?: unknown;
    agents?: unknown;
    companies?: unknown;
    totals?: unknown;
  };
  // A portfolio briefing (src/contract/portfolio.ts) is blank without a company in it.
  if (Array.isArray(companies) && typeof totals === 'object' && totals !== null) {
    if (companies.length === 0)
      throw new DeliveryRejectedError(
        'the portfolio is empty: it has no company (a bug upstream; nothing was sent)',
      );
    return;
  }
  const hasAgents = typeof agents === 'object' && agents !== null && Object.keys(agents).length > 0;
  if (typeof markdown !== 'string' || isBlank(markdown) || !hasAgents) {
    throw new DeliveryRejectedError(
      `the briefing is empty: it has no ${hasAgents ? 'Markdown text' : 'department reports'} (a rendering bug; nothing was sent)`,
    );
  }
}

interface Target {
  url: URL;
  host: string;
  secret: string;
  /** Strings that must not appear in what we throw: the secret and the URL's parts. */
  hidden: string[];
}

function resolveTarget(settings: ChannelSettings['webhook'], env: DeliveryContext['env']): Target {
  const { url_env: urlEnv, secret_env: secretEnv } = settings;
  const raw = env[urlEnv]?.trim();
  if (!raw) {
    throw new DeliveryRejectedError(
      `the webhook's URL is not set: set ${urlEnv} in the worker's environment to the receiver's https:// URL`,
      { variable: urlEnv },
    );
  }
  const secret = env[secretEnv];
  if (!secret) {
    throw new DeliveryRejectedError(
      `the webhook's secret is not set: set ${secretEnv} in the worker's environment to the secret the receiver verifies signatures with`,
      { variable: secretEnv },
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a malformed URL may still hold a token.
    throw new DeliveryRejectedError(
      `${urlEnv} is not a URL: set it to the receiver's https:// URL`,
      {
        variable: urlEnv,
      },
    );
  }
  const host = url.host;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DeliveryRejectedError(
      `${urlEnv} must be an https:// URL (it is ${url.protocol}//${host})`,
      { variable: urlEnv, host },
    );
  }
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
    throw new DeliveryRejectedError(
      `refusing to send the briefing over plain http:// to ${host}: anyone on the way could read it. Set ${urlEnv} to an https:// URL (http:// is allowed for 127.0.0.1 and localhost only)`,
      { variable: urlEnv, host },
    );
  }
  if (url.username || url.password) {
    throw new DeliveryRejectedError(
      `${urlEnv} must not carry a user name or password (${host}): the signature authenticates each delivery`,
      { variable: urlEnv, host },
    );
  }
  const hidden = [secret, raw, url.href, url.pathname + url.search, url.search.slice(1)].filter(
    (s) => s.length >= 4,
  );
  return { url, host, secret, hidden };
}

async function post(
  body: string,
  settings: ChannelSettings['webhook'],
  ctx: DeliveryContext,
  timeoutMs: number,
): Promise<DeliveryReceipt> {
  const target = resolveTarget(settings, ctx.env);
  const { host } = target;
  const bytes = Buffer.from(body, 'utf8');
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
  let status: number;
  let retryAfter: string | null;
  let location: string | null;
  let answer: string;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': `boardroom/${VERSION}`,
        'X-Boardroom-Delivery': ctx.deliveryId,
        'X-Boardroom-Signature': signBody(body, target.secret),
      },
      body: bytes,
      redirect: 'manual',
      signal,
    });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    location = response.headers.get('location');
    answer = await readCapped(response);
  } catch (error) {
    // Cancelled by the activity: let its reason (Temporal's cancellation) through as is.
    if (ctx.signal?.aborted) throw ctx.signal.reason ?? error;
    if (timeout.aborted) {
      throw new DeliveryUnavailableError(
        `the webhook at ${host} did not answer within ${formatSeconds(timeoutMs)}: the receiver is slow or hangs; it will be retried`,
        { host, timeoutMs },
      );
    }
    throw networkError(error, target);
  }
  if (status >= 200 && status < 300) {
    const receipt: DeliveryReceipt = {
      target: host,
      messageId: answerId(answer) ?? ctx.deliveryId,
    };
    if (isDuplicateAnswer(answer)) receipt.alreadySent = true;
    return receipt;
  }
  throw statusError(status, { retryAfter, location, answer }, target, settings);
}

/** The body of the answer, at most MAX_ANSWER_BYTES of it. */
async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_ANSWER_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8');
}

function parseAnswer(answer: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(answer);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The receiver's own id for the delivery, when it answers `{ "id": ... }`. */
function answerId(answer: string): string | undefined {
  const id = parseAnswer(answer)?.id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id === 'string' && id.trim() !== '') return id.trim().slice(0, 200);
  return undefined;
}

/** A receiver that recognised the delivery id says `{ "duplicate": true }`. */
function isDuplicateAnswer(answer: string): boolean {
  return parseAnswer(answer)?.duplicate === true;
}

function statusError(
  status: number,
  answer: { retryAfter: string | null; location: string | null; answer: string },
  target: Target,
  settings: ChannelSettings['webhook'],
): Error {
  const { host } = target;
  const said = receiverSaid(answer.answer, target);
  const context = { host, status };
  if ((status >= 300 && status < 400) || status === 0) {
    const to = locationHost(answer.location, target.url);
    return new DeliveryRejectedError(
      `the webhook answered a redirect (HTTP ${status} from ${host}${to ? ` to ${to}` : ''}): redirects are not followed, so the signed body never goes elsewhere. Set ${settings.url_env} to the final URL`,
      context,
    );
  }
  if (status === 408 || status === 429) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, Date.now());
    const wait =
      retryAfterMs === undefined ? '' : `; it asks to wait ${formatSeconds(retryAfterMs)}`;
    return new DeliveryUnavailableError(
      `the webhook at ${host} ${status === 429 ? 'is rate-limiting (HTTP 429)' : 'timed out reading the request (HTTP 408)'}${wait}; it will be retried${said}`,
      retryAfterMs === undefined ? context : { ...context, retryAfterMs },
    );
  }
  if (status >= 400 && status < 500) {
    return new DeliveryRejectedError(
      `the webhook at ${host} refused the delivery (HTTP ${status}): ${fixFor(status, settings)}${said}`,
      context,
    );
  }
  return new DeliveryUnavailableError(
    `the webhook at ${host} failed (HTTP ${status}); it will be retried${said}`,
    context,
  );
}

/** What to do about a permanent 4xx. */
function fixFor(status: number, settings: ChannelSettings['webhook']): string {
  switch (status) {
    case 401:
    case 403:
      return `the receiver does not accept the signature or the caller; check that ${settings.secret_env} holds the secret the receiver verifies with`;
    case 404:
      return `nothing is there; check ${settings.url_env}`;
    case 410:
      return `the receiver says this webhook is gone; set ${settings.url_env} to its new URL or remove webhook from delivery.yaml`;
    case 413:
      return 'the briefing is larger than the receiver accepts; raise its body limit';
    default:
      return `the receiver will not take this request as it is; check ${settings.url_env} and the receiver's logs`;
  }
}

/** A short quote of the receiver's answer, with the secret and the URL's parts blotted out. */
function receiverSaid(answer: string, target: Target): string {
  const text = redact(answer.replace(/\s+/g, ' ').trim(), target.hidden);
  if (text === '') return '';
  return ` (the receiver said: ${text.length > 200 ? `${text.slice(0, 200)}...` : text})`;
}

function redact(text: string, hidden: string[]): string {
  // Longest first, so a part inside a longer hidden string does not leave the rest behind.
  return [...hidden]
    .sort((a, b) => b.length - a.length)
    .reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

function locationHost(location: string | null, base: URL): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base).host;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds or as an HTTP-date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is the receiver running?',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed before the answer',
  ENOTFOUND: 'the host name does not resolve (check the URL, or DNS)',
  EAI_AGAIN: 'DNS did not answer',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
};

/** fetch's "fetch failed" hides the reason in `cause` (sometimes two levels down). */
function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function networkError(error: unknown, target: Target): Error {
  const { host } = target;
  const code = errorCode(error);
  if (code && CERTIFICATE_CODES.has(code)) {
    // A certificate does not fix itself between retries: a person must.
    return new DeliveryRejectedError(
      `the webhook at ${host} presented a TLS certificate that is not trusted (${code}): renew or fix the receiver's certificate`,
      { host, code },
    );
  }
  const reason = (code && NETWORK_REASONS[code]) ?? 'the request failed on the network';
  return new DeliveryUnavailableError(
    `could not reach the webhook at ${host}: ${reason}${code ? ` (${code})` : ''}; it will be retried`,
    code ? { host, code } : { host },
  );
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
