/**
 * Who may read: with BOARDROOM_WEB_TOKEN set, every request but the login form and the
 * stylesheet carries the token, as `Authorization: Bearer <token>` (scripts) or as the
 * session cookie the login form sets (people). The cookie holds an HMAC of the token,
 * never the token itself, so a leaked cookie does not reveal it, and changing the token
 * signs everyone out. Comparisons are constant-time.
 *
 * Forms that change something (Run now) carry a CSRF token: the double-submit pattern,
 * a random value in a SameSite=Strict cookie and in the form, compared on POST, plus the
 * Origin check of Hono's csrf middleware. A request authenticated by its Authorization
 * header needs neither: a browser never adds that header by itself.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'boardroom_session';
export const CSRF_COOKIE = 'boardroom_csrf';
export const CSRF_FIELD = '_csrf';
/** How long a login lasts. @default 30 days */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export interface WebAuthOptions {
  /** BOARDROOM_WEB_TOKEN; undefined: no authentication (loopback, or --insecure-no-auth). */
  token: string | undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Equal, in time that does not depend on where they differ (or on their lengths). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** What the session cookie holds for this token. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('boardroom web session v1').digest('base64url');
}

export type Authentication = 'none-required' | 'bearer' | 'session' | undefined;

/** How the request proved it holds the token; undefined when it did not. */
export function authenticate(c: Context, auth: WebAuthOptions): Authentication {
  if (auth.token === undefined) return 'none-required';
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    return m && safeEqual(m[1]!, auth.token) ? 'bearer' : undefined;
  }
  const cookie = getCookie(c, SESSION_COOKIE);
  return cookie !== undefined && safeEqual(cookie, sessionValue(auth.token))
    ? 'session'
    : undefined;
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

export function startSession(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, sessionValue(token), {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: isHttps(c),
    maxAge: SESSION_MAX_AGE_S,
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** The request's CSRF token, set in its cookie when it had none. */
export function csrfToken(c: Context): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return existing;
  const value = randomBytes(24).toString('base64url');
  setCookie(c, CSRF_COOKIE, value, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: isHttps(c),
  });
  return value;
}

/** The form's token matches the cookie's. */
export function csrfValid(c: Context, submitted: unknown): boolean {
  const cookie = getCookie(c, CSRF_COOKIE);
  return typeof submitted === 'string' && cookie !== undefined && safeEqual(submitted, cookie);
}

/** Where to go after logging in: a path of this site only (`/x`, never `//host` or a URL). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}
