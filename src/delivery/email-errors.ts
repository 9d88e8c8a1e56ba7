/**
 * What went wrong sending a mail, in words a founder can act on, and whether a retry can
 * help (DeliveryUnavailableError) or a person must fix something (DeliveryRejectedError).
 *
 * nodemailer's errors carry a `code` (EAUTH, EENVELOPE, EMESSAGE, ESOCKET, ETLS,
 * ECONNECTION, ETIMEDOUT, EDNS...), the system error's own code as `originalCode`
 * (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT...), and the server's answer as
 * `response` / `responseCode`. Their messages and responses can echo what was sent, so
 * every piece of them that reaches a message goes through `redact` first.
 */
import { DeliveryRejectedError, DeliveryUnavailableError } from '../shared/errors.js';

/** The parts of the SMTP URL an error may name: never the password, nor the URL itself. */
export interface SmtpTarget {
  /** The environment variable holding the URL (SMTP_URL). */
  variable: string;
  host: string;
  port: number;
  secure: boolean;
}

export interface SmtpErrorLike {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  message?: string;
  timeoutType?: string;
}

/** Every secret string replaced by `***`, longest first (a secret may contain another). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...new Set(secrets)]
    .filter((x) => x.length > 0)
    .sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
  }
  return out;
}

const CERTIFICATE =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|self[- ]signed|certificate|Hostname\/IP does not match/i;
const WRONG_TLS_MODE =
  /WRONG_VERSION_NUMBER|wrong version number|unknown protocol|packet length too long/i;

/** One line of the server's answer, cut to a readable length. */
function said(response: string): string {
  const line = response.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

export function smtpError(
  raw: unknown,
  target: SmtpTarget,
  secrets: readonly string[],
): DeliveryRejectedError | DeliveryUnavailableError {
  const err = (
    typeof raw === 'object' && raw !== null ? raw : { message: String(raw) }
  ) as SmtpErrorLike;
  const where = `${target.host}:${target.port}`;
  const v = target.variable;
  const clean = (s: string | undefined) => (s ? said(redact(s, secrets)) : '');
  const response = clean(err.response);
  const message = clean(err.message);
  const codes = [err.code, err.originalCode].filter((c): c is string => Boolean(c));
  const context = {
    code: err.code,
    ...(err.originalCode ? { originalCode: err.originalCode } : {}),
    ...(err.responseCode ? { responseCode: err.responseCode } : {}),
    host: target.host,
    port: target.port,
  };
  const rejected = (m: string) => new DeliveryRejectedError(m, context);
  const unavailable = (m: string) => new DeliveryUnavailableError(m, context);
  const answered = response ? ` (${where} answered: ${response})` : ` (${where})`;
  const code = err.responseCode;

  if (err.code === 'EAUTH' || code === 535 || code === 534) {
    // 454 and other 4xx: a temporary authentication failure, worth a retry.
    if (code !== undefined && code >= 400 && code < 500) {
      return unavailable(`SMTP login failed for now${answered}: will retry`);
    }
    return rejected(`SMTP login refused: check the user and password in ${v}${answered}`);
  }
  if (err.code === 'ENOAUTH' || code === 530) {
    return rejected(
      `the SMTP server requires a login: put user:password in ${v} (smtp://user:password@host:port)${answered}`,
    );
  }
  if (code !== undefined && code >= 500 && code < 600) {
    if (err.code === 'EENVELOPE') {
      return rejected(
        `the SMTP server refused the sender or the recipients${answered}: check "from" and "to" in delivery.yaml, and that the login may send as "from"`,
      );
    }
    return rejected(`the SMTP server refused the message${answered}`);
  }
  if (code !== undefined && code >= 400 && code < 500) {
    return unavailable(`the SMTP server is refusing mail for now${answered}: will retry`);
  }

  const tlsText = `${codes.join(' ')} ${message}`;
  if (CERTIFICATE.test(tlsText)) {
    return rejected(
      `the SMTP server at ${where} presented a TLS certificate this machine does not trust (${err.originalCode ?? message}): ` +
        `use a certificate your system trusts whose name matches the host in ${v} ` +
        '(for a private CA, point NODE_EXTRA_CA_CERTS at its certificate)',
    );
  }
  if (WRONG_TLS_MODE.test(tlsText)) {
    return rejected(
      `the TLS handshake with ${where} failed (${err.originalCode ?? message}): smtps:// is implicit TLS (usually port 465); ` +
        `a server that offers STARTTLS (usually port 587 or 25) takes smtp:// in ${v}`,
    );
  }

  if (codes.includes('ECONNREFUSED')) {
    return unavailable(
      `could not connect to the SMTP server at ${where} (connection refused): is it running, and are the host and port in ${v} right?`,
    );
  }
  if (codes.includes('ENOTFOUND')) {
    return rejected(`the SMTP host "${target.host}" was not found: check the host in ${v}`);
  }
  if (codes.includes('ETIMEDOUT') || err.code === 'ETIMEDOUT') {
    return unavailable(
      `the SMTP server at ${where} did not answer in time${err.timeoutType ? ` (${err.timeoutType})` : ''}: will retry`,
    );
  }
  if (
    codes.some((c) =>
      ['ECONNRESET', 'EPIPE', 'ECONNECTION', 'ESOCKET', 'EAI_AGAIN', 'EDNS'].includes(c),
    )
  ) {
    return unavailable(
      `the connection to the SMTP server at ${where} failed (${message || codes.join(', ')}): will retry`,
    );
  }
  return unavailable(
    `sending through the SMTP server at ${where} failed (${message || codes.join(', ') || 'unknown error'}): will retry`,
  );
}
