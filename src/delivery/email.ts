/**
 * The e-mail channel: the message src/ceo/render-email.ts rendered, sent through a real
 * SMTP client (nodemailer) to the server in `env[settings.smtp_url_env]`:
 * `smtp://user:password@host:port` (STARTTLS whenever the server offers it) or
 * `smtps://...` (implicit TLS). The charts arrive as SVG and leave as PNG attached
 * inline by Content-ID: mail clients do not show SVG.
 *
 * Exactly once, as far as SMTP allows: the Message-ID derives from the delivery id, so
 * every attempt of one briefing carries the same one. SMTP has no way to ask "did you
 * already take this message?", so a crash between the server's 250 and the record of
 * it sends the mail again on the retry; with the same Message-ID, which mail clients
 * (Gmail among them) show once.
 */
import { createHash } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { Resvg } from '@resvg/resvg-js';
import nodemailer from 'nodemailer';
import type { EmailDelivery, EmailMessage } from '../contract/delivery.js';
import { DeliveryRejectedError, DeliveryUnavailableError } from '../shared/errors.js';
import {
  isBlank,
  type DeliveryChannel,
  type DeliveryContext,
  type DeliveryReceipt,
} from './channel.js';
import { redact, smtpError, type SmtpTarget } from './email-errors.js';

export interface EmailChannelOptions {
  /**
   * Extra TLS options for the connection (tests: `{ ca }` to trust their self-signed
   * certificate). Production has none: the system's trust store, plus
   * NODE_EXTRA_CA_CERTS for a private CA.
   */
  tls?: Pick<ConnectionOptions, 'ca'>;
  /**
   * Connection, greeting and socket (idle) timeouts.
   * @default 10_000
   */
  timeoutMs?: number;
  /**
   * The whole send, from connecting to the server's last answer.
   * @default 60_000
   */
  sendTimeoutMs?: number;
}

/** What the SMTP URL holds: where to connect, and the login (kept apart from messages). */
interface SmtpServer extends SmtpTarget {
  user?: string;
  pass?: string;
  /** Every form the secret can take in a message: the URL, the password, encoded or not. */
  secrets: string[];
}

const URL_EXPECTED =
  'smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (implicit TLS); percent-encode @ : / in the password';

/** Reads and checks the URL; a refusal names the variable, never the value. */
export function smtpServer(settings: EmailDelivery, env: DeliveryContext['env']): SmtpServer {
  const variable = settings.smtp_url_env;
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') {
    throw new DeliveryRejectedError(
      `${variable} is not set: set it in the worker's environment to ${URL_EXPECTED}`,
      { variable },
    );
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DeliveryRejectedError(`${variable} is not a valid URL: expected ${URL_EXPECTED}`, {
      variable,
    });
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new DeliveryRejectedError(
      `${variable} must start with smtp:// or smtps:// (it starts with ${url.protocol}//): expected ${URL_EXPECTED}`,
      { variable },
    );
  }
  if (!url.hostname) {
    throw new DeliveryRejectedError(`${variable} names no host: expected ${URL_EXPECTED}`, {
      variable,
    });
  }
  const secure = url.protocol === 'smtps:';
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const user = url.username ? decode(url.username) : undefined;
  const pass = url.password ? decode(url.password) : undefined;
  const secrets = [raw, raw.trim(), url.href];
  if (pass) {
    secrets.push(pass, url.password);
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    // What AUTH PLAIN and AUTH LOGIN put on the wire, should a server echo it back.
    secrets.push(b64(pass), b64(`\u0000${user ?? ''}\u0000${pass}`));
  }
  return {
    variable,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user !== undefined ? { user } : {}),
    ...(pass !== undefined ? { pass } : {}),
    secrets,
  };
}

/**
 * `<briefing-demo-2026-12-01-email@boardroom>` for `briefing-demo-2026-12-01:email`: the
 * id with anything but letters, digits, `.`, `_` and `-` made a `-`, plus a short hash of
 * the exact id when that lost more than the `:` (so two ids never share a Message-ID).
 */
export function messageIdFor(deliveryId: string): string {
  const base = deliveryId.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[.-]+|[.-]+$/g, '');
  const lossless =
    deliveryId.replace(/:/g, '-') === base && (deliveryId.match(/:/g) ?? []).length <= 1;
  const hash = createHash('sha256').update(deliveryId).digest('hex').slice(0, 12);
  const local = lossless && base.length <= 200 ? base : `${base.slice(0, 180)}-${hash}`;
  return `<${local || hash}@boardroom>`;
}

/** 2x the chart's size, for sharp lines on high-density screens; shown at 1x. */
const CHART_SCALE = 2;

/** The charts as PNG, ready for nodemailer's inline attachments. */
export function chartAttachments(images: EmailMessage['images']) {
  return images.map((img) => {
    let png: Buffer;
    try {
      const width = Number(/\swidth="(\d+(?:\.\d+)?)"/.exec(img.svg)?.[1] ?? 120);
      const resvg = new Resvg(img.svg, {
        fitTo: { mode: 'width', value: Math.round(width * CHART_SCALE) },
        background: '#ffffff',
        font: { loadSystemFonts: false },
      });
      png = resvg.render().asPng();
    } catch (err) {
      throw new DeliveryRejectedError(
        `a chart of the e-mail could not be drawn (${img.cid}: ${(err as Error).message}): a bug in the renderer, nothing was sent`,
        { cid: img.cid },
      );
    }
    return {
      filename: `${img.cid.split('@')[0]}.png`,
      content: png,
      contentType: 'image/png',
      contentDisposition: 'inline' as const,
      cid: img.cid,
    };
  });
}

interface Outgoing {
  subject: string;
  text: string;
  html: string;
  attachments?: ReturnType<typeof chartAttachments>;
}

async function deliver(
  mail: Outgoing,
  settings: EmailDelivery,
  ctx: DeliveryContext,
  options: EmailChannelOptions,
): Promise<DeliveryReceipt> {
  const server = smtpServer(settings, ctx.env);
  const timeout = options.timeoutMs ?? 10_000;
  const messageId = messageIdFor(ctx.deliveryId);
  if (ctx.signal?.aborted) {
    throw new DeliveryUnavailableError('the e-mail was cancelled before it was sent', {
      host: server.host,
    });
  }
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    ...(server.user !== undefined ? { auth: { user: server.user, pass: server.pass ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    ...(options.tls ? { tls: { ...options.tls } } : {}),
    // No logging, no file or URL content: the message is all in memory.
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const timers: NodeJS.Timeout[] = [];
  let onAbort: (() => void) | undefined;
  try {
    const sent = transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments ?? [],
      messageId,
      headers: { 'X-Boardroom-Delivery': ctx.deliveryId.replace(/[^\x20-\x7e]/g, '') },
    });
    // Lost to the timer or the cancel below: its late failure is nobody's to report.
    sent.catch(() => undefined);
    // nodemailer bounds each wait; these bound the whole, and the activity's cancel.
    const stop = new Promise<never>((_, reject) => {
      timers.push(
        setTimeout(
          () =>
            reject(
              Object.assign(new Error('the whole send took too long'), {
                code: 'ETIMEDOUT',
                timeoutType: 'send',
              }),
            ),
          options.sendTimeoutMs ?? 60_000,
        ),
      );
      onAbort = () =>
        reject(
          new DeliveryUnavailableError('the e-mail was cancelled while it was being sent', {
            host: server.host,
          }),
        );
      ctx.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const info = await Promise.race([sent, stop]);
    const rejected = (info.rejected ?? []).map(String);
    const refused = rejected.length > 0 ? ` (refused: ${rejected.join(', ')})` : '';
    return { target: `${settings.to.join(', ')}${refused}`, messageId };
  } catch (err) {
    if (err instanceof DeliveryUnavailableError || err instanceof DeliveryRejectedError) throw err;
    throw smtpError(err, server, server.secrets);
  } finally {
    for (const t of timers) clearTimeout(t);
    if (onAbort) ctx.signal?.removeEventListener('abort', onAbort);
    transport.close();
  }
}

export function createEmailChannel(options: EmailChannelOptions = {}): DeliveryChannel<'email'> {
  return {
    name: 'email',
    async send(message, settings, ctx) {
      if (isBlank(message.text) || isBlank(message.html) || isBlank(message.subject)) {
        throw new DeliveryRejectedError('the briefing is empty: nothing was sent', {
          deliveryId: ctx.deliveryId,
        });
      }
      const attachments = chartAttachments(message.images);
      try {
        return await deliver({ ...message, attachments }, settings, ctx, options);
      } catch (err) {
        throw scrub(err, settings, ctx);
      }
    },
    async sendTest(company, settings, ctx) {
      // eslint-disable-next-line no-control-regex -- a header: no control character may pass
      const name = company.name.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
      const text =
        `This is a boardroom test message for ${name} (${company.id}).\n\n` +
        `E-mail delivery works: each morning's briefing will arrive here, from ${settings.from} ` +
        `to ${settings.to.join(', ')}.\n`;
      const html = `<p style="font-family:Helvetica,Arial,sans-serif;font-size:14px">${escapeHtml(text).replace(/\n\n/g, '</p><p style="font-family:Helvetica,Arial,sans-serif;font-size:14px">')}</p>`;
      try {
        return await deliver(
          { subject: `boardroom test message: ${name}`, text, html },
          settings,
          ctx,
          options,
        );
      } catch (err) {
        throw scrub(err, settings, ctx);
      }
    },
  };
}

/** Defence in depth: whatever was built, the secret leaves in no message. */
function scrub(err: unknown, settings: EmailDelivery, ctx: DeliveryContext): unknown {
  if (!(err instanceof DeliveryRejectedError) && !(err instanceof DeliveryUnavailableError))
    return err;
  let secrets: string[];
  try {
    secrets = smtpServer(settings, ctx.env).secrets;
  } catch {
    return err;
  }
  const message = redact(err.message, secrets);
  if (message === err.message) return err;
  const Same =
    err instanceof DeliveryRejectedError ? DeliveryRejectedError : DeliveryUnavailableError;
  return new Same(message, err.context);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The channel as the worker uses it: the system's trust store, 10 s timeouts. */
export const emailChannel: DeliveryChannel<'email'> = createEmailChannel();
