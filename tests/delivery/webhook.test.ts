/**
 * The webhook channel against a real local receiver (tests/fakes/webhook-receiver.ts)
 * that verifies the signature and dedupes on the delivery id.
 */
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../../src/contract/delivery.js';
import type { DeliveryContext } from '../../src/delivery/channel.js';
import {
  createWebhookChannel,
  parseRetryAfter,
  signBody,
  webhookChannel,
} from '../../src/delivery/webhook.js';
import { DeliveryRejectedError, DeliveryUnavailableError } from '../../src/shared/errors.js';
import { refusingLocalUrl } from '../fakes/local-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { webhookFixture } from './webhook-fixture.js';

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

const settings: WebhookDelivery = {
  url_env: 'BOARDROOM_WEBHOOK_URL',
  secret_env: 'BOARDROOM_WEBHOOK_SECRET',
};

/** A briefing body with non-ASCII text: the signature must cover the UTF-8 bytes. */
const briefing = JSON.stringify({
  schemaVersion: 1,
  companyId: 'northwind',
  companyName: 'Northwind Café',
  workflowId: 'briefing-northwind-2025-03-14',
  health: 72,
  agents: { finance: { status: 'ok' } },
  markdown: '# Northwind Café — 2025-03-14\n\nHealth 72/100: revenue €12,400.',
});
const message = { body: briefing };
const DELIVERY_ID = 'briefing-northwind-2025-03-14:webhook';

let receiver: WebhookReceiver;
let ctx: DeliveryContext;
/** Every error a test provoked: none may carry the secret or the URL's token. */
let errors: unknown[];

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  ctx = {
    deliveryId: DELIVERY_ID,
    env: { BOARDROOM_WEBHOOK_URL: receiver.url, BOARDROOM_WEBHOOK_SECRET: receiver.secret },
  };
  errors = [];
});

afterEach(async () => {
  await receiver.close();
  for (const error of errors) {
    const seen = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    expect(seen).not.toContain(receiver.secret);
    expect(seen).not.toContain(receiver.urlToken);
  }
});

/** The error `promise` rejects with, kept for the secret check. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected the delivery to fail');
    },
    (e: unknown) => e,
  );
  errors.push(error);
  return error as Error;
}

const host = () => new URL(receiver.url).host;

describe('signBody', () => {
  it('is sha256=<hex HMAC-SHA256> (RFC 4231 test case 2)', () => {
    expect(signBody('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP-dates', () => {
    const now = Date.parse('2025-03-14T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Fri, 14 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 14 Mar 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('webhookChannel.send', () => {
  it('POSTs the exact body, signed, with the delivery id; the receiver verifies and accepts it', async () => {
    const receipt = await webhookChannel.send(message, settings, ctx);

    expect(receipt).toEqual({ target: host(), messageId: 'whd_1' });
    expect(receipt.target).not.toContain('/');
    expect(receiver.deliveries()).toEqual([
      { id: 'whd_1', deliveryId: DELIVERY_ID, body: briefing },
    ]);
    const [request] = receiver.requests();
    expect(request?.method).toBe('POST');
    expect(request?.outcome).toBe('delivered');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe(`boardroom/${VERSION}`);
    expect(request?.headers['x-boardroom-delivery']).toBe(DELIVERY_ID);
    expect(request?.headers['x-boardroom-signature']).toBe(signBody(briefing, receiver.secret));
    expect(request?.headers['content-length']).toBe(String(Buffer.byteLength(briefing)));
  });

  it('a second send of the same delivery is answered as a duplicate, not delivered again', async () => {
    const first = await webhookChannel.send(message, settings, ctx);
    const second = await webhookChannel.send(message, settings, ctx);

    expect(first).toEqual({ target: host(), messageId: 'whd_1' });
    expect(second).toEqual({ target: host(), messageId: 'whd_1', alreadySent: true });
    expect(receiver.deliveries()).toHaveLength(1);
    expect(receiver.duplicates()).toHaveLength(1);
  });

  it('a wrong secret: the receiver answers 401 and the delivery is rejected, naming the variable', async () => {
    const wrong = { ...ctx, env: { ...ctx.env, BOARDROOM_WEBHOOK_SECRET: 'whsec_wrong' } };
    const error = await failure(webhookChannel.send(message, settings, wrong));

    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(
      `the webhook at ${host()} refused the delivery (HTTP 401): the receiver does not accept the signature or the caller; check that BOARDROOM_WEBHOOK_SECRET holds the secret the receiver verifies with (the receiver said: {"error":"invalid signature"})`,
    );
    expect(receiver.requests().map((r) => r.outcome)).toEqual(['bad-signature']);
    expect(receiver.deliveries()).toEqual([]);
  });

  it('a 2xx without a JSON id: the receipt carries the delivery id', async () => {
    receiver.answerNext({ status: 204, body: '' });
    const receipt = await webhookChannel.send(message, settings, ctx);
    expect(receipt).toEqual({ target: host(), messageId: DELIVERY_ID });
  });

  it.each([
    [410, 'permanent', 'the receiver says this webhook is gone'],
    [404, 'permanent', 'nothing is there; check BOARDROOM_WEBHOOK_URL'],
    [400, 'permanent', 'the receiver will not take this request as it is'],
    [408, 'transient', 'timed out reading the request (HTTP 408); it will be retried'],
    [500, 'transient', 'failed (HTTP 500); it will be retried'],
    [503, 'transient', 'failed (HTTP 503); it will be retried'],
  ] as const)('HTTP %i is %s', async (status, kind, text) => {
    const type = kind === 'permanent' ? DeliveryRejectedError : DeliveryUnavailableError;
    receiver.answerNext({ status });
    const error = await failure(webhookChannel.send(message, settings, ctx));

    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(`the webhook at ${host()} `);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain(text);
    expect((error as DeliveryRejectedError).context).toMatchObject({ host: host(), status });
    expect(receiver.deliveries()).toEqual([]);
  });

  it('a retry after a transient failure delivers once', async () => {
    receiver.answerNext({ status: 503 });
    await failure(webhookChannel.send(message, settings, ctx));
    const receipt = await webhookChannel.send(message, settings, ctx);

    expect(receipt).toEqual({ target: host(), messageId: 'whd_1' });
    expect(receiver.deliveries()).toHaveLength(1);
    expect(receiver.requests()).toHaveLength(2);
  });

  it('429 with Retry-After in seconds: transient, retryAfterMs', async () => {
    receiver.answerNext({ status: 429, retryAfter: '7' });
    const error = await failure(webhookChannel.send(message, settings, ctx));

    expect(error).toBeInstanceOf(DeliveryUnavailableError);
    expect((error as DeliveryUnavailableError).context).toEqual({
      host: host(),
      status: 429,
      retryAfterMs: 7000,
    });
    expect(error.message).toBe(
      `the webhook at ${host()} is rate-limiting (HTTP 429); it asks to wait 7 s; it will be retried (the receiver said: scripted 429)`,
    );
  });

  it('429 with Retry-After as an HTTP-date', async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    receiver.answerNext({ status: 429, retryAfter: at.toUTCString() });
    const error = await failure(webhookChannel.send(message, settings, ctx));

    const { retryAfterMs } = (error as DeliveryUnavailableError).context as {
      retryAfterMs: number;
    };
    expect(retryAfterMs).toBeGreaterThan(55_000);
    expect(retryAfterMs).toBeLessThanOrEqual(61_000);
  });

  it('a receiver that hangs: transient after the timeout', async () => {
    receiver.answerNext('hang');
    const started = Date.now();
    const error = await failure(
      createWebhookChannel({ timeoutMs: 300 }).send(message, settings, ctx),
    );
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(DeliveryUnavailableError);
    expect(error.message).toBe(
      `the webhook at ${host()} did not answer within 0.3 s: the receiver is slow or hangs; it will be retried`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
  });

  it('a cancelled activity: the abort reason comes through at once', async () => {
    receiver.answerNext('hang');
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 100);
    const error = await failure(
      webhookChannel.send(message, settings, { ...ctx, signal: controller.signal }),
    );
    expect(error).toBe(reason);
  });

  it('a redirect is not followed', async () => {
    receiver.answerNext({ status: 302, location: `${receiver.url}&moved=1` });
    const error = await failure(webhookChannel.send(message, settings, ctx));

    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(
      `the webhook answered a redirect (HTTP 302 from ${host()} to ${host()}): redirects are not followed, so the signed body never goes elsewhere. Set BOARDROOM_WEBHOOK_URL to the final URL`,
    );
    expect(receiver.requests()).toHaveLength(1);
  });

  it('refuses plain http:// to a host other than this machine, before sending', async () => {
    const env = {
      ...ctx.env,
      BOARDROOM_WEBHOOK_URL: 'http://hooks.example.com/in?token=t0ps3cret',
    };
    const error = await failure(webhookChannel.send(message, settings, { ...ctx, env }));

    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(
      'refusing to send the briefing over plain http:// to hooks.example.com: anyone on the way could read it. Set BOARDROOM_WEBHOOK_URL to an https:// URL (http:// is allowed for 127.0.0.1 and localhost only)',
    );
    expect(error.message).not.toContain('t0ps3cret');
  });

  it('allows http://localhost', async () => {
    const local = receiver.url.replace('127.0.0.1', 'localhost');
    const env = { ...ctx.env, BOARDROOM_WEBHOOK_URL: local };
    const receipt = await webhookChannel.send(message, settings, { ...ctx, env });
    expect(receipt.target).toBe(new URL(local).host);
    expect(receiver.deliveries()).toHaveLength(1);
  });

  it.each([
    [
      { BOARDROOM_WEBHOOK_SECRET: 's3cret-value' },
      "the webhook's URL is not set: set BOARDROOM_WEBHOOK_URL in the worker's environment to the receiver's https:// URL",
    ],
    [
      { BOARDROOM_WEBHOOK_URL: 'https://hooks.example.com/in' },
      "the webhook's secret is not set: set BOARDROOM_WEBHOOK_SECRET in the worker's environment to the secret the receiver verifies signatures with",
    ],
    [
      { BOARDROOM_WEBHOOK_URL: 'hooks.example.com/s3cret-path', BOARDROOM_WEBHOOK_SECRET: 'x' },
      "BOARDROOM_WEBHOOK_URL is not a URL: set it to the receiver's https:// URL",
    ],
    [
      { BOARDROOM_WEBHOOK_URL: 'ftp://hooks.example.com/in', BOARDROOM_WEBHOOK_SECRET: 'x' },
      'BOARDROOM_WEBHOOK_URL must be an https:// URL (it is ftp://hooks.example.com)',
    ],
    [
      {
        BOARDROOM_WEBHOOK_URL: 'https://me:s3cret-pass@hooks.example.com/in',
        BOARDROOM_WEBHOOK_SECRET: 'x',
      },
      'BOARDROOM_WEBHOOK_URL must not carry a user name or password (hooks.example.com): the signature authenticates each delivery',
    ],
  ])('bad settings are rejected, naming the variable: %j', async (env, expected) => {
    const error = await failure(webhookChannel.send(message, settings, { ...ctx, env }));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(expected);
    expect(error.message).not.toMatch(/s3cret/);
    expect(receiver.requests()).toEqual([]);
  });

  it('connection refused: transient, names the host', async () => {
    const url = `${await refusingLocalUrl()}/hooks/x`;
    const env = { ...ctx.env, BOARDROOM_WEBHOOK_URL: url };
    const error = await failure(webhookChannel.send(message, settings, { ...ctx, env }));

    expect(error).toBeInstanceOf(DeliveryUnavailableError);
    expect(error.message).toBe(
      `could not reach the webhook at ${new URL(url).host}: connection refused: is the receiver running? (ECONNREFUSED); it will be retried`,
    );
  });

  it("the receiver's answer is quoted with the secret and the URL's token blotted out", async () => {
    receiver.answerNext({
      status: 422,
      body: `bad payload for ${receiver.url} signed with ${receiver.secret}`,
    });
    const error = await failure(webhookChannel.send(message, settings, ctx));

    expect(error.message).toBe(
      `the webhook at ${host()} refused the delivery (HTTP 422): the receiver will not take this request as it is; check BOARDROOM_WEBHOOK_URL and the receiver's logs (the receiver said: bad payload for [redacted] signed with [redacted])`,
    );
  });

  it.each([
    ['empty Markdown', { agents: { finance: {} }, markdown: '  \n' }, 'Markdown text'],
    ['no agents', { agents: {}, markdown: '# Briefing' }, 'department reports'],
    ['agents missing', { markdown: '# Briefing' }, 'department reports'],
  ])('never blank: %s is refused before sending', async (_, body, what) => {
    const error = await failure(webhookChannel.send({ body: JSON.stringify(body) }, settings, ctx));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(
      `the briefing is empty: it has no ${what} (a rendering bug; nothing was sent)`,
    );
    expect(receiver.requests()).toEqual([]);
  });

  it('never blank: a body that is not JSON is refused', async () => {
    const error = await failure(webhookChannel.send({ body: '' }, settings, ctx));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toMatch(/^the briefing is empty/);
    expect(receiver.requests()).toEqual([]);
  });
});

describe('webhookChannel.sendTest', () => {
  it('POSTs a signed test body the receiver accepts', async () => {
    const before = Date.now();
    const receipt = await webhookChannel.sendTest(
      { id: 'northwind', name: 'Northwind Café' },
      settings,
      { ...ctx, deliveryId: 'test:northwind:webhook:1' },
    );

    expect(receipt).toEqual({ target: host(), messageId: 'whd_1' });
    const [delivery] = receiver.deliveries();
    expect(delivery?.deliveryId).toBe('test:northwind:webhook:1');
    const body = JSON.parse(delivery?.body ?? '') as { sentAt: string };
    expect(body).toEqual({
      test: true,
      company: { id: 'northwind', name: 'Northwind Café' },
      sentAt: body.sentAt,
    });
    expect(Date.parse(body.sentAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(receiver.requests()[0]?.headers['x-boardroom-signature']).toBe(
      signBody(delivery?.body ?? '', receiver.secret),
    );
  });

  it('a wrong secret fails the test with 401, rejected', async () => {
    const error = await failure(
      webhookChannel.sendTest({ id: 'northwind', name: 'Northwind' }, settings, {
        ...ctx,
        env: { ...ctx.env, BOARDROOM_WEBHOOK_SECRET: 'whsec_wrong' },
      }),
    );
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toContain('(HTTP 401)');
  });
});

describe('webhookFixture (for the conformance suite)', () => {
  it('fails as told, lists accepted deliveries without duplicates, refuses bad credentials', async () => {
    const server = await webhookFixture.start();
    try {
      const send = (env = server.env, settings = server.settings) =>
        webhookFixture.channel.send(message, settings, { deliveryId: DELIVERY_ID, env });

      server.failNext('permanent');
      expect(await failure(send())).toBeInstanceOf(DeliveryRejectedError);
      server.failNext('transient');
      expect(await failure(send())).toBeInstanceOf(DeliveryUnavailableError);
      const bad = server.badCredentials();
      expect(await failure(send(bad.env, bad.settings))).toBeInstanceOf(DeliveryRejectedError);
      await send();
      await send();

      expect(await server.received()).toEqual([{ deliveryId: DELIVERY_ID, text: briefing }]);
      expect(server.receiver.duplicates()).toHaveLength(1);
      expect(server.receiver.requests().map((r) => r.status)).toEqual([410, 503, 401, 200, 200]);
      for (const error of errors) {
        for (const secret of server.secrets) expect(String(error)).not.toContain(secret);
      }
    } finally {
      await server.close();
    }
  });
});
