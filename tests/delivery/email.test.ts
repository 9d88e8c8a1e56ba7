/**
 * The e-mail channel against a real SMTP server in-process (tests/fakes/smtp-server.ts),
 * read back with mailparser: AUTH, STARTTLS and implicit TLS on a self-signed
 * certificate, and each failure a server produces, mapped to "fix it" (rejected) or
 * "retry" (unavailable), with the password in none of them.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { renderEmail } from '../../src/ceo/render-email.js';
import type { EmailDelivery, EmailMessage } from '../../src/contract/delivery.js';
import { createEmailChannel, emailChannel, messageIdFor } from '../../src/delivery/email.js';
import { DeliveryRejectedError, DeliveryUnavailableError } from '../../src/shared/errors.js';
import { reports, task } from '../helpers/reports.js';
import { emailFixture } from './email-fixture.js';
import {
  selfSignedCertificate,
  startSmtpServer,
  type FakeSmtpServer,
} from '../fakes/smtp-server.js';

const LOGIN = { user: 'briefings@northwind.example', pass: 'Sup3r:s3cret/pass@word' };
const SETTINGS: EmailDelivery = {
  smtp_url_env: 'SMTP_URL',
  from: 'Boardroom <briefings@northwind.example>',
  to: ['founder@northwind.example', 'coo@northwind.example'],
};
const DELIVERY_ID = 'briefing-northwind-2026-12-01:email';

function briefing() {
  return composeBriefing({
    companyId: 'northwind',
    companyName: 'Northwind Analytics',
    workflowId: 'briefing-northwind-2026-12-01',
    briefingDate: '2026-12-01',
    generatedAt: '2026-12-01T07:00:00.000Z',
    reports: reports({ finance: { metrics: { mrr: 15000, arr: 180000, runwayMonths: 9.7 } } }),
    founderTasks: [
      task({ id: 'acme', title: 'Close Acme Corp deal ($50K ARR)', revenueImpact: 95 }),
    ],
    goals: ['revenue'],
    energy: 'medium',
    risks: { rules: [] },
    history: {
      finance: [
        { date: '2026-11-17', metrics: { mrr: 14000, runwayMonths: 10.5 } },
        { date: '2026-11-24', metrics: { mrr: 14500, runwayMonths: 10.2 } },
      ],
    },
  });
}

const message: EmailMessage = renderEmail(briefing(), { briefingUrl: 'https://app.example/b/1' });

let cert: { key: string; cert: string };
let server: FakeSmtpServer;
let trusting: ReturnType<typeof createEmailChannel>;
const env = (url: string) => ({ SMTP_URL: url });
const ctx = (url: string, deliveryId = DELIVERY_ID) => ({ deliveryId, env: env(url) });

beforeAll(async () => {
  cert = await selfSignedCertificate();
  server = await startSmtpServer({ users: [LOGIN], tls: cert });
  trusting = createEmailChannel({ tls: { ca: cert.cert } });
});
afterAll(() => server.close());

/** What a failed send threw. */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the send to fail');
}

/** The password, in any form, appears in nothing the channel throws. */
function expectNoSecret(err: Error): void {
  const everything = `${err.message} ${JSON.stringify(err)} ${JSON.stringify((err as DeliveryRejectedError).context)}`;
  for (const s of [LOGIN.pass, encodeURIComponent(LOGIN.pass), server.url(LOGIN)]) {
    expect(everything).not.toContain(s);
  }
}

describe('emailChannel over STARTTLS with AUTH', () => {
  it('delivers a multipart/alternative mail: text, HTML, inline PNG charts the HTML references', async () => {
    const before = server.raw.length;
    const receipt = await trusting.send(message, SETTINGS, ctx(server.url(LOGIN)));
    expect(receipt).toEqual({
      target: 'founder@northwind.example, coo@northwind.example',
      messageId: '<briefing-northwind-2026-12-01-email@boardroom>',
    });
    expect(server.raw.length).toBe(before + 1);
    expect(server.secureSessions.at(-1)).toBe(true); // STARTTLS was used
    expect(server.logins.at(-1)).toEqual({ user: LOGIN.user, method: 'PLAIN', accepted: true });

    const raw = server.raw.at(-1)!;
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(raw).toMatch(/^Content-Type: multipart\/related/m);
    expect(raw).not.toMatch(/svg/i);

    const mail = (await server.messages()).at(-1)!;
    expect(mail.subject).toBe(
      'Northwind Analytics, 2026-12-01: health 80, 1. Close Acme Corp deal ($50K ARR)',
    );
    expect(mail.messageId).toBe('<briefing-northwind-2026-12-01-email@boardroom>');
    expect(mail.headers.get('x-boardroom-delivery')).toBe(DELIVERY_ID);
    expect(mail.from?.value).toEqual([
      { name: 'Boardroom', address: 'briefings@northwind.example' },
    ]);
    expect(mail.text).toBe(message.text);
    expect(mail.html).toBe(message.html);

    const images = mail.attachments;
    expect(images.map((a) => [a.contentId, a.contentType, a.related])).toEqual([
      ['<spark-1@boardroom>', 'image/png', true],
      ['<spark-2@boardroom>', 'image/png', true],
    ]);
    for (const img of images) {
      const png = img.content;
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // IHDR: drawn at twice the 120x28 the HTML shows it at.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([240, 56]);
      expect(png.length).toBeLessThan(4000);
      expect(mail.html).toContain(`src="cid:${img.contentId!.slice(1, -1)}"`);
    }
  });

  it('logs in with AUTH LOGIN when that is all the server offers', async () => {
    const login = await startSmtpServer({ users: [LOGIN], tls: cert, authMethods: ['LOGIN'] });
    try {
      await trusting.send(message, SETTINGS, ctx(login.url(LOGIN)));
      expect(login.logins).toEqual([{ user: LOGIN.user, method: 'LOGIN', accepted: true }]);
      expect(login.raw).toHaveLength(1);
    } finally {
      await login.close();
    }
  });

  it('keeps one Message-ID per delivery id across attempts', async () => {
    await trusting.send(message, SETTINGS, ctx(server.url(LOGIN)));
    const [a, b] = (await server.messages()).slice(-2);
    expect(a!.messageId).toBe(b!.messageId);
  });

  it('refuses a wrong password, saying what to check, without the password', async () => {
    const err = await failure(
      trusting.send(message, SETTINGS, ctx(server.url({ ...LOGIN, pass: 'wrong' }))),
    );
    expect(err).toBeInstanceOf(DeliveryRejectedError);
    expect(err.message).toBe(
      `SMTP login refused: check the user and password in SMTP_URL (127.0.0.1:${server.port} answered: 535 5.7.8 Authentication credentials invalid)`,
    );
    expect(server.logins.at(-1)).toEqual({ user: LOGIN.user, method: 'PLAIN', accepted: false });
    expect(err.message).not.toContain('wrong');
  });

  it('refuses a certificate the system does not trust (the channel as the worker has it)', async () => {
    const err = await failure(emailChannel.send(message, SETTINGS, ctx(server.url(LOGIN))));
    expect(err).toBeInstanceOf(DeliveryRejectedError);
    expect(err.message).toBe(
      `the SMTP server at 127.0.0.1:${server.port} presented a TLS certificate this machine does not trust (DEPTH_ZERO_SELF_SIGNED_CERT): ` +
        'use a certificate your system trusts whose name matches the host in SMTP_URL (for a private CA, point NODE_EXTRA_CA_CERTS at its certificate)',
    );
    expectNoSecret(err);
  });

  it('says smtp:// when smtps:// meets a STARTTLS port', async () => {
    const url = server.url(LOGIN).replace(/^smtp:/, 'smtps:');
    const err = await failure(trusting.send(message, SETTINGS, ctx(url)));
    expect(err).toBeInstanceOf(DeliveryRejectedError);
    expect(err.message).toContain('smtps:// is implicit TLS (usually port 465)');
    expectNoSecret(err);
  });

  it('sends a short test message', async () => {
    const receipt = await trusting.sendTest(
      { id: 'northwind', name: 'Northwind Analytics' },
      SETTINGS,
      ctx(server.url(LOGIN), 'test-northwind-1:email'),
    );
    expect(receipt.messageId).toBe('<test-northwind-1-email@boardroom>');
    const mail = (await server.messages()).at(-1)!;
    expect(mail.subject).toBe('boardroom test message: Northwind Analytics');
    expect(mail.text).toBe(
      'This is a boardroom test message for Northwind Analytics (northwind).\n\n' +
        "E-mail delivery works: each morning's briefing will arrive here, from Boardroom <briefings@northwind.example> " +
        'to founder@northwind.example, coo@northwind.example.\n',
    );
    expect(mail.html).toContain('This is a boardroom test message for Northwind Analytics');
  });
});

describe('emailChannel over implicit TLS (smtps://)', () => {
  it('delivers', async () => {
    const tls = await startSmtpServer({ users: [LOGIN], tls: cert, secure: true });
    try {
      expect(tls.url(LOGIN).startsWith('smtps://')).toBe(true);
      await trusting.send(message, SETTINGS, ctx(tls.url(LOGIN)));
      expect(tls.secureSessions).toEqual([true]);
    } finally {
      await tls.close();
    }
  });
});

describe('emailChannel failures', () => {
  it('a 5xx answer to the message is permanent, and its text is redacted', async () => {
    const refusing = await startSmtpServer({
      users: [LOGIN],
      refuseWith: { code: 550, message: `5.7.1 relaying denied for ${LOGIN.pass}` },
    });
    try {
      const err = await failure(trusting.send(message, SETTINGS, ctx(refusing.url(LOGIN))));
      expect(err).toBeInstanceOf(DeliveryRejectedError);
      expect(err.message).toBe(
        `the SMTP server refused the message (127.0.0.1:${refusing.port} answered: 550 5.7.1 relaying denied for ***)`,
      );
      expect(refusing.raw).toEqual([]);
      expectNoSecret(err);
    } finally {
      await refusing.close();
    }
  });

  it('an unknown recipient is named in the receipt; all unknown is permanent', async () => {
    const strict = await startSmtpServer({
      users: [LOGIN],
      unknownRecipients: ['coo@northwind.example'],
    });
    try {
      const receipt = await trusting.send(message, SETTINGS, ctx(strict.url(LOGIN)));
      expect(receipt.target).toBe(
        'founder@northwind.example, coo@northwind.example (refused: coo@northwind.example)',
      );
      expect(strict.raw).toHaveLength(1);
      const err = await failure(
        trusting.send(
          message,
          { ...SETTINGS, to: ['coo@northwind.example'] },
          ctx(strict.url(LOGIN)),
        ),
      );
      expect(err).toBeInstanceOf(DeliveryRejectedError);
      expect(err.message).toMatch(
        /^the SMTP server refused the sender or the recipients \(127\.0\.0\.1:\d+ answered: 550 5\.1\.1 <coo@northwind\.example>: no such user\): check "from" and "to" in delivery\.yaml/,
      );
    } finally {
      await strict.close();
    }
  });

  it('a 451 answer is transient', async () => {
    server.failNext({ kind: 'answer', code: 451, message: '4.3.0 Try again later' });
    const err = await failure(trusting.send(message, SETTINGS, ctx(server.url(LOGIN))));
    expect(err).toBeInstanceOf(DeliveryUnavailableError);
    expect(err.message).toBe(
      `the SMTP server is refusing mail for now (127.0.0.1:${server.port} answered: 451 4.3.0 Try again later): will retry`,
    );
  });

  it('a server that is down is transient', async () => {
    const closed = await freePort();
    const err = await failure(
      trusting.send(
        message,
        SETTINGS,
        ctx(`smtp://u:${encodeURIComponent(LOGIN.pass)}@127.0.0.1:${closed}`),
      ),
    );
    expect(err).toBeInstanceOf(DeliveryUnavailableError);
    expect(err.message).toBe(
      `could not connect to the SMTP server at 127.0.0.1:${closed} (connection refused): is it running, and are the host and port in SMTP_URL right?`,
    );
    expectNoSecret(err);
  });

  it('a connection dropped mid-message is transient, and nothing was taken', async () => {
    const before = server.raw.length;
    server.failNext({ kind: 'drop' });
    const err = await failure(trusting.send(message, SETTINGS, ctx(server.url(LOGIN))));
    expect(err).toBeInstanceOf(DeliveryUnavailableError);
    expect(err.message).toMatch(
      /^the connection to the SMTP server at 127\.0\.0\.1:\d+ failed \(.+\): will retry$/,
    );
    expect(server.raw.length).toBe(before);
    expectNoSecret(err);
  });

  it('a server that never greets times out within the bound', async () => {
    const silent = await silentServer();
    try {
      const quick = createEmailChannel({ timeoutMs: 300 });
      const started = Date.now();
      const err = await failure(
        quick.send(message, SETTINGS, ctx(`smtp://127.0.0.1:${silent.port}`)),
      );
      expect(err).toBeInstanceOf(DeliveryUnavailableError);
      expect(err.message).toMatch(/did not answer in time/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
  });

  it('stops when the activity is cancelled', async () => {
    const silent = await silentServer();
    try {
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 100);
      const err = await failure(
        emailChannel.send(message, SETTINGS, {
          deliveryId: DELIVERY_ID,
          env: env(`smtp://127.0.0.1:${silent.port}`),
          signal: abort.signal,
        }),
      );
      expect(err).toBeInstanceOf(DeliveryUnavailableError);
      expect(err.message).toBe('the e-mail was cancelled while it was being sent');
    } finally {
      await silent.close();
    }
  });

  it('names a missing variable, and never echoes a bad URL', async () => {
    const missing = await failure(
      emailChannel.send(message, SETTINGS, { deliveryId: DELIVERY_ID, env: {} }),
    );
    expect(missing).toBeInstanceOf(DeliveryRejectedError);
    expect(missing.message).toBe(
      "SMTP_URL is not set: set it in the worker's environment to smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (implicit TLS); percent-encode @ : / in the password",
    );
    const http = await failure(
      emailChannel.send(
        message,
        SETTINGS,
        ctx(`https://u:${encodeURIComponent(LOGIN.pass)}@x.example`),
      ),
    );
    expect(http).toBeInstanceOf(DeliveryRejectedError);
    expect(http.message).toMatch(
      /^SMTP_URL must start with smtp:\/\/ or smtps:\/\/ \(it starts with https:\/\/\)/,
    );
    const garbage = await failure(
      emailChannel.send(message, SETTINGS, ctx(`not a url ${LOGIN.pass}`)),
    );
    expect(garbage.message).toMatch(/^SMTP_URL is not a valid URL/);
    for (const err of [http, garbage]) expectNoSecret(err);
  });

  it('refuses a blank message before connecting', async () => {
    const before = server.raw.length;
    const err = await failure(
      trusting.send({ ...message, text: ' \n ' }, SETTINGS, ctx(server.url(LOGIN))),
    );
    expect(err).toBeInstanceOf(DeliveryRejectedError);
    expect(err.message).toBe('the briefing is empty: nothing was sent');
    expect(server.raw.length).toBe(before);
  });
});

describe('emailFixture (for the conformance suite)', () => {
  it('reports what arrived, fails on demand, and refuses bad credentials', async () => {
    const srv = await emailFixture.start();
    try {
      const { channel } = emailFixture;
      const at = (deliveryId: string) => ({ deliveryId, env: srv.env });
      await channel.send(message, srv.settings, at(DELIVERY_ID));
      expect(await srv.received()).toEqual([{ deliveryId: DELIVERY_ID, text: message.text }]);

      srv.failNext('permanent');
      expect(await failure(channel.send(message, srv.settings, at(DELIVERY_ID)))).toBeInstanceOf(
        DeliveryRejectedError,
      );
      srv.failNext('transient');
      expect(await failure(channel.send(message, srv.settings, at(DELIVERY_ID)))).toBeInstanceOf(
        DeliveryUnavailableError,
      );
      const bad = srv.badCredentials();
      const refused = await failure(
        channel.send(message, bad.settings, { deliveryId: DELIVERY_ID, env: bad.env }),
      );
      expect(refused).toBeInstanceOf(DeliveryRejectedError);
      await channel.sendTest({ id: 'northwind', name: 'Northwind' }, srv.settings, at('t:email'));
      const received = await srv.received();
      expect(received.map((r) => r.deliveryId)).toEqual([DELIVERY_ID, 't:email']);
      for (const err of [refused]) {
        for (const s of srv.secrets)
          expect(`${err.message} ${JSON.stringify(err)}`).not.toContain(s);
      }
    } finally {
      await srv.close();
    }
  });
});

describe('messageIdFor', () => {
  it('is the delivery id, sanitised, stable', () => {
    expect(messageIdFor('briefing-demo-2026-12-01T15-37-56-567Z-4c45c8f8:email')).toBe(
      '<briefing-demo-2026-12-01T15-37-56-567Z-4c45c8f8-email@boardroom>',
    );
    expect(messageIdFor('a:b')).toBe(messageIdFor('a:b'));
  });

  it('adds a hash when sanitising lost characters, so two ids never share one', () => {
    const a = messageIdFor('wf <x>@y:email');
    const b = messageIdFor('wf-x--y:email');
    expect(a).toMatch(/^<wf--x--y-email-[0-9a-f]{12}@boardroom>$/);
    expect(a).not.toBe(b);
    expect(messageIdFor('x'.repeat(500) + ':email').length).toBeLessThan(220);
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Accepts connections and says nothing: a hung server. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const s: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    port: (s.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const x of sockets) x.destroy();
        s.close(() => r());
      }),
  };
}
