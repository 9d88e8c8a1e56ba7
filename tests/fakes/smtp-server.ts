/**
 * A real SMTP server for the e-mail channel's tests (the `smtp-server` package, the one
 * nodemailer's own tests run on), on 127.0.0.1 and a free port: AUTH PLAIN/LOGIN against
 * a user list, STARTTLS or implicit TLS with a certificate the test hands it, and the
 * failures a real server produces (5xx and 4xx answers to the message, a connection
 * dropped mid-message). Every accepted message is kept raw and parsed with mailparser.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { generate } from 'selfsigned';

export interface FakeSmtpOptions {
  /** Logins it accepts; none: no AUTH is offered and none is needed. */
  users?: { user: string; pass: string }[];
  /** SASL methods offered. @default ['PLAIN', 'LOGIN'] */
  authMethods?: string[];
  /** A certificate for STARTTLS (or implicit TLS with `secure`); none: plain text only. */
  tls?: { key: string; cert: string };
  secure?: boolean;
  /** Recipients it answers `550 5.1.1 no such user` to. */
  unknownRecipients?: string[];
  /** Answer every message with this (e.g. `550 5.7.1 relaying denied`). */
  refuseWith?: { code: number; message: string };
}

export type FakeSmtpFailure =
  | { kind: 'answer'; code: number; message: string }
  /** Reads part of the message, then cuts the connection without an answer. */
  | { kind: 'drop' };

export interface FakeSmtpServer {
  host: string;
  port: number;
  /** `smtp://user:pass@127.0.0.1:port` (or smtps://), the login percent-encoded. */
  url(login?: { user: string; pass: string }): string;
  /** Every accepted message, raw, in order. */
  raw: string[];
  /** The accepted messages, parsed. */
  messages(): Promise<ParsedMail[]>;
  /** Logins tried, with the method and whether they were accepted. */
  logins: { user: string; method: string; accepted: boolean }[];
  /** Whether each connection's session was on TLS when its message came (in order). */
  secureSessions: boolean[];
  /** The next message fails this way (once). */
  failNext(failure: FakeSmtpFailure): void;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost (EC: quick to make). */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function startSmtpServer(options: FakeSmtpOptions = {}): Promise<FakeSmtpServer> {
  const raw: string[] = [];
  const logins: FakeSmtpServer['logins'] = [];
  const secureSessions: boolean[] = [];
  const pending: FakeSmtpFailure[] = [];
  const users = options.users ?? [];

  const server = new SMTPServer({
    secure: options.secure === true,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    // Without a certificate, no STARTTLS (the package would offer its built-in one).
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(users.length ? [] : ['AUTH'])],
    authMethods: options.authMethods ?? ['PLAIN', 'LOGIN'],
    authOptional: users.length === 0,
    // Tests without TLS still log in (a relay on localhost does that too).
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 100,
    onAuth(auth, session, callback) {
      const ok = users.some((u) => u.user === auth.username && u.pass === auth.password);
      logins.push({ user: auth.username ?? '', method: auth.method, accepted: ok });
      if (!ok) {
        return callback(
          Object.assign(new Error('5.7.8 Authentication credentials invalid'), {
            responseCode: 535,
          }),
        );
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(address, session, callback) {
      if (options.unknownRecipients?.includes(address.address)) {
        return callback(
          Object.assign(new Error(`5.1.1 <${address.address}>: no such user`), {
            responseCode: 550,
          }),
        );
      }
      callback();
    },
    onData(stream, session, callback) {
      const failure = pending.shift();
      const chunks: Buffer[] = [];
      if (failure?.kind === 'drop') {
        stream.once('data', () => {
          for (const c of server.connections) {
            const conn = c as unknown as {
              session?: { id: string };
              _socket?: { destroy(): void };
            };
            if (conn.session?.id === session.id) conn._socket?.destroy();
          }
        });
        stream.on('data', () => undefined);
        stream.on('error', () => undefined);
        return;
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal =
          failure?.kind === 'answer'
            ? failure
            : options.refuseWith
              ? { kind: 'answer' as const, ...options.refuseWith }
              : undefined;
        if (refusal) {
          return callback(
            Object.assign(new Error(refusal.message), { responseCode: refusal.code }),
          );
        }
        raw.push(Buffer.concat(chunks).toString('utf8'));
        secureSessions.push(session.secure === true);
        callback(null, 'Queued as fake-1');
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A dropped connection raises ECONNRESET-like errors on the server side: expected here.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  const host = '127.0.0.1';
  let closed: Promise<void> | undefined;

  return {
    host,
    port,
    url(login) {
      const scheme = options.secure ? 'smtps' : 'smtp';
      const auth = login
        ? `${encodeURIComponent(login.user)}:${encodeURIComponent(login.pass)}@`
        : '';
      return `${scheme}://${auth}${host}:${port}`;
    },
    raw,
    // keepCidLinks: the HTML as sent (mailparser would inline `cid:` images as data: URIs).
    messages: () => Promise.all(raw.map((r) => simpleParser(r, { keepCidLinks: true }))),
    logins,
    secureSessions,
    failNext(failure) {
      pending.push(failure);
    },
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        for (const c of server.connections) {
          (c as unknown as { _socket?: { destroy(): void } })._socket?.destroy();
        }
        server.close(() => resolve());
      })),
  };
}
