/**
 * The e-mail channel for the conformance suite: a real SMTP server (tests/fakes/
 * smtp-server.ts) with AUTH and STARTTLS on a self-signed certificate, which the channel
 * trusts through its `tls.ca` option (process-wide NODE_EXTRA_CA_CERTS would leak into
 * every other test in the worker).
 */
import type { ChannelFixture, ChannelServer, ReceivedMessage } from './fixture.js';
import { createEmailChannel, messageIdFor } from '../../src/delivery/email.js';
import { selfSignedCertificate, startSmtpServer } from '../fakes/smtp-server.js';

const USER = 'briefings@northwind.example';
const PASS = 'p@ss:w/rd-s3cret-7f3a';
const VARIABLE = 'BOARDROOM_TEST_SMTP_URL';

let certificate: Promise<{ key: string; cert: string }> | undefined;
const cert = () => (certificate ??= selfSignedCertificate());

/** A channel that trusts the fixture's certificate. Built lazily: the certificate is async. */
let channel: ReturnType<typeof createEmailChannel> | undefined;
const trusting: ReturnType<typeof createEmailChannel> = {
  name: 'email',
  send: async (...args) =>
    (channel ??= createEmailChannel({ tls: { ca: (await cert()).cert } })).send(...args),
  sendTest: async (...args) =>
    (channel ??= createEmailChannel({ tls: { ca: (await cert()).cert } })).sendTest(...args),
};

export const emailFixture: ChannelFixture<'email'> = {
  channel: trusting,
  async start(): Promise<ChannelServer<'email'>> {
    const server = await startSmtpServer({
      users: [{ user: USER, pass: PASS }],
      tls: await cert(),
    });
    const settings = {
      smtp_url_env: VARIABLE,
      from: 'Boardroom <briefings@northwind.example>',
      to: ['founder@northwind.example', 'coo@northwind.example'],
    };
    const url = server.url({ user: USER, pass: PASS });
    return {
      settings,
      env: { [VARIABLE]: url },
      secrets: [PASS, url],
      async received(): Promise<ReceivedMessage[]> {
        const mails = await server.messages();
        return mails.map((m) => {
          // The exact id travels in X-Boardroom-Delivery; it counts only if the Message-ID
          // is the one derived from it (else the raw Message-ID shows the mismatch).
          const header = m.headers.get('x-boardroom-delivery');
          const id = typeof header === 'string' ? header : '';
          return {
            deliveryId: id && m.messageId === messageIdFor(id) ? id : (m.messageId ?? ''),
            text: m.text ?? '',
          };
        });
      },
      failNext(kind) {
        server.failNext(
          kind === 'permanent'
            ? { kind: 'answer', code: 550, message: '5.7.1 Message rejected by policy' }
            : { kind: 'answer', code: 451, message: '4.3.0 Try again later' },
        );
      },
      badCredentials: () => ({
        settings,
        env: { [VARIABLE]: server.url({ user: USER, pass: 'wrong-password' }) },
      }),
      close: () => server.close(),
    };
  },
};
