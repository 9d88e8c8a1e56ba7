/**
 * A webhook receiver as a careful user would write one: a real node:http server on
 * 127.0.0.1 that verifies `X-Boardroom-Signature` against the raw body (401 when wrong)
 * and dedupes on `X-Boardroom-Delivery` (a repeat answers 200 `{ id, duplicate: true }`
 * and is not a new delivery). It can be told how to answer the next requests (500, 503,
 * 429 with Retry-After, 410, 408, a redirect, or never), to test the channel's handling.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenLocally } from './local-server.js';

export type ScriptedAnswer =
  { status: number; retryAfter?: string; location?: string; body?: string } | 'hang';

export interface ReceivedRequest {
  method: string;
  /** The path and query the request was sent to. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver did with it. */
  outcome: 'delivered' | 'duplicate' | 'bad-signature' | 'scripted';
  status: number | 'hang';
}

export interface ReceivedDelivery {
  id: string;
  deliveryId: string;
  body: string;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hooks/<token>?key=<token>`: a path and query that must never leak. */
  url: string;
  /** The part of `url` a leak would show (its path token and query). */
  urlToken: string;
  secret: string;
  /** Accepted deliveries (duplicates excluded), in order. */
  deliveries(): ReceivedDelivery[];
  /** Requests answered as duplicates. */
  duplicates(): ReceivedRequest[];
  /** Every request, whatever happened to it. */
  requests(): ReceivedRequest[];
  /** Answers the next requests that pass the signature check like this, in order. */
  answerNext(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  options: { secret?: string } = {},
): Promise<WebhookReceiver> {
  const secret = options.secret ?? `whsec_${randomBytes(16).toString('hex')}`;
  const urlToken = randomBytes(12).toString('hex');
  const requests: ReceivedRequest[] = [];
  const deliveries: ReceivedDelivery[] = [];
  const byDeliveryId = new Map<string, ReceivedDelivery>();
  const script: ScriptedAnswer[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const record: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: raw.toString('utf8'),
        outcome: 'delivered',
        status: 200,
      };
      requests.push(record);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };

      if (!verify(raw, header(req.headers, 'x-boardroom-signature'), secret)) {
        record.outcome = 'bad-signature';
        json(401, { error: 'invalid signature' });
        return;
      }
      const next = script.shift();
      if (next !== undefined) {
        record.outcome = 'scripted';
        if (next === 'hang') {
          record.status = 'hang';
          return; // Never answers; close() cuts the socket.
        }
        const headers: Record<string, string> = {};
        if (next.retryAfter !== undefined) headers['retry-after'] = next.retryAfter;
        if (next.location !== undefined) headers.location = next.location;
        record.status = next.status;
        res.writeHead(next.status, { 'content-type': 'text/plain', ...headers });
        res.end(next.body ?? `scripted ${next.status}`);
        return;
      }
      const deliveryId = header(req.headers, 'x-boardroom-delivery');
      if (!deliveryId) {
        json(400, { error: 'missing X-Boardroom-Delivery' });
        return;
      }
      const earlier = byDeliveryId.get(deliveryId);
      if (earlier) {
        record.outcome = 'duplicate';
        json(200, { id: earlier.id, duplicate: true });
        return;
      }
      const delivery = { id: `whd_${deliveries.length + 1}`, deliveryId, body: record.body };
      deliveries.push(delivery);
      byDeliveryId.set(deliveryId, delivery);
      json(200, { id: delivery.id });
    });
  });
  const local = await listenLocally(server);
  return {
    url: `${local.url}/hooks/${urlToken}?key=${urlToken}`,
    urlToken,
    secret,
    deliveries: () => [...deliveries],
    duplicates: () => requests.filter((r) => r.outcome === 'duplicate'),
    requests: () => [...requests],
    answerNext: (...answers) => void script.push(...answers),
    close: () => local.close(),
  };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time check of `sha256=<hex>` over the raw bytes, as the docs tell receivers to. */
function verify(raw: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(raw).digest();
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
