/**
 * Who may read the web app: with a token, every page answers 401 (and shows no data)
 * without it; the Bearer header and the login form's session cookie get in; `next`
 * never leaves the site. Then the rule on exposed addresses and the real HTTP server.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebApp } from '../../src/web/app.js';
import { sessionValue } from '../../src/web/auth.js';
import { checkExposure, isLoopback, startWebServer } from '../../src/web/server.js';
import { ConfigError } from '../../src/shared/errors.js';
import type { DailyBriefingResult } from '../../src/shared/workflow-api.js';
import { createTestStack, type TestStack } from '../helpers/stack.js';
import { testWebApp, todayUtc } from '../helpers/web.js';

type App = Awaited<ReturnType<typeof testWebApp>>['app'];

const TOKEN = 'correct-horse-battery-staple-42';
const ORIGIN = 'http://localhost';
const HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';
const UNAUTHORIZED_TEXT =
  'Unauthorized: send Authorization: Bearer <BOARDROOM_WEB_TOKEN>, or sign in at /login.';

async function send(app: App, path: string, init?: RequestInit) {
  const res = await app.request(path, init);
  return { res, status: res.status, body: await res.text() };
}

function login(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

let stack: TestStack;
let app: App;
let id: string;
let pages: string[];
const bearer = { Authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  stack = await createTestStack();
  await stack.runBriefing({ searchAttributes: true });
  id = stack.companyId;
  ({ app } = await testWebApp(stack, { token: TOKEN }));
  const today = todayUtc();
  const risk = (await stack.repo.latestBriefing(id))!.briefing.risks[0]!.id;
  pages = [
    '/',
    `/companies/${id}`,
    `/companies/${id}/briefings/${today}`,
    `/companies/${id}/briefings/${today}.md`,
    `/companies/${id}/briefings/${today}.json`,
    `/companies/${id}/briefings/${today}/risks/${risk}`,
    `/companies/${id}/trends`,
    `/companies/${id}/trends/finance?period=all`,
    `/companies/${id}/history?outcome=complete`,
    `/companies/${id}/runs`,
    '/companies/nobody-here',
    '/nowhere',
  ];
});
afterAll(() => stack?.close());

describe('with a token', () => {
  it('every page is 401 without it, HTML or not, with no data in the body', async () => {
    const forged: Record<string, string>[] = [
      {},
      { Accept: HTML },
      { Accept: 'application/json' },
      { Authorization: 'Bearer wrong-token' },
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: TOKEN },
      { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { Cookie: `boardroom_session=${TOKEN}` },
      { Cookie: `boardroom_session=${sessionValue('another-token')}` },
      { Cookie: 'boardroom_session=' },
      { Cookie: `boardroom_session=${sessionValue(TOKEN)}x`, Accept: HTML },
    ];
    for (const path of pages)
      for (const headers of forged) {
        const label = `${path} ${JSON.stringify(headers)}`;
        const r = await send(app, path, { headers });
        expect(r.status, label).toBe(401);
        expect(r.body, label).not.toContain('Northwind');
        expect(r.body, label).not.toContain('MRR');
        expect(r.body, label).not.toContain('health');
        expect(r.res.headers.get('cache-control'), label).toBe('no-store');
        if (headers.Accept === HTML && !('Authorization' in headers)) {
          expect(r.res.headers.get('content-type'), label).toBe('text/html; charset=UTF-8');
          expect(r.body, label).toContain('<title>Sign in · boardroom</title>');
          expect(r.res.headers.get('www-authenticate'), label).toBeNull();
        } else {
          expect(r.body, label).toBe(UNAUTHORIZED_TEXT);
          expect(r.res.headers.get('www-authenticate'), label).toBe('Bearer realm="boardroom"');
        }
      }
  });

  it('a wrong bearer gets the text 401 even from a browser', async () => {
    const r = await send(app, `/companies/${id}`, {
      headers: { Accept: HTML, Authorization: 'Bearer nope' },
    });
    expect(r.status).toBe(401);
    expect(r.body).toBe(UNAUTHORIZED_TEXT);
  });

  it('the login page of a 401 comes back to the page asked for', async () => {
    const r = await send(app, `/companies/${id}/history?from=2026-01-01&outcome=complete`, {
      headers: { Accept: HTML },
    });
    expect(r.status).toBe(401);
    expect(r.body).toContain(
      `<input type="hidden" name="next" value="/companies/${id}/history?from=2026-01-01&amp;outcome=complete"/>`,
    );
  });

  it('200 with the Bearer token on every page', async () => {
    for (const path of pages.filter((p) => !p.includes('nobody') && p !== '/nowhere')) {
      const r = await send(app, path, { headers: bearer });
      expect([200, 302], path).toContain(r.status);
    }
    const page = await send(app, `/companies/${id}`, {
      headers: { Authorization: `bearer   ${TOKEN}`, Accept: HTML },
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Northwind Analytics');
    // Signed in by header, not by the form: no sign-out button.
    expect(page.body).not.toContain('Sign out');
  });

  it('the stylesheet, the health check and the login form need no token', async () => {
    const page = await send(app, `/companies/${id}`, { headers: bearer });
    const href = /href="(\/assets\/app\.[0-9a-f]+\.css)"/.exec(page.body)![1]!;
    expect((await send(app, href)).status).toBe(200);
    const health = await send(app, '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toBe('ok');
    const form = await send(app, '/login');
    expect(form.status).toBe(200);
    expect(form.body).toContain('<input id="token" name="token" type="password"');
  });

  it('POST /login: a wrong token is 401, the right one a session cookie that is not the token', async () => {
    const wrong = await send(app, '/login', login({ token: 'guess', next: '/' }));
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('That token is not the right one.');
    expect(setCookie(wrong.res, 'boardroom_session')).toBeUndefined();
    const missing = await send(app, '/login', login({ next: '/' }));
    expect(missing.status).toBe(401);

    const right = await send(app, '/login', login({ token: TOKEN, next: `/companies/${id}/runs` }));
    expect(right.status).toBe(303);
    expect(right.res.headers.get('location')).toBe(`/companies/${id}/runs`);
    const cookie = setCookie(right.res, 'boardroom_session')!;
    expect(cookie).toBe(
      `boardroom_session=${sessionValue(TOKEN)}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Strict`,
    );
    const value = cookie.split(';')[0]!.slice('boardroom_session='.length);
    expect(value).not.toBe(TOKEN);
    expect(value).not.toContain(TOKEN);

    const inside = await send(app, `/companies/${id}`, {
      headers: { Cookie: `boardroom_session=${value}`, Accept: HTML },
    });
    expect(inside.status).toBe(200);
    expect(inside.body).toContain('Northwind Analytics');
    expect(inside.body).toContain('<button type="submit">Sign out</button>');
  });

  it('the session cookie is Secure behind HTTPS', async () => {
    const r = await send(
      app,
      '/login',
      login({ token: TOKEN, next: '/' }, { 'X-Forwarded-Proto': 'https' }),
    );
    expect(r.status).toBe(303);
    expect(setCookie(r.res, 'boardroom_session')).toMatch(/; Secure/);
  });

  it('next never leaves the site', async () => {
    const cases = [
      ['//evil.com', '/'],
      ['https://evil.com', '/'],
      ['/\\evil.com', '/'],
      ['evil.com', '/'],
      ['/ //evil.com', '/'],
      ['', '/'],
      [`/companies/${id}/history?page=2`, `/companies/${id}/history?page=2`],
    ] as const;
    for (const [next, location] of cases) {
      const r = await send(app, '/login', login({ token: TOKEN, next }));
      expect(r.status, next).toBe(303);
      expect(r.res.headers.get('location'), next).toBe(location);
    }
    const form = await send(app, '/login?next=%2F%2Fevil.com');
    expect(form.body).toContain('<input type="hidden" name="next" value="/"/>');
  });

  it('POST /logout clears the session', async () => {
    const r = await send(app, '/logout', login({}));
    expect(r.status).toBe(303);
    expect(r.res.headers.get('location')).toBe('/login');
    expect(setCookie(r.res, 'boardroom_session')).toBe('boardroom_session=; Max-Age=0; Path=/');
    const after = await send(app, `/companies/${id}`, {
      headers: { Cookie: 'boardroom_session=' },
    });
    expect(after.status).toBe(401);
  });

  it('Run now with the Bearer header needs no CSRF token', async () => {
    const r = await send(app, `/companies/${id}/runs`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(303);
    const workflowId = decodeURIComponent(r.res.headers.get('location')!.split('started=')[1]!);
    const result = (await stack.client.workflow
      .getHandle(workflowId)
      .result()) as DailyBriefingResult;
    expect(result.workflowId).toBe(workflowId);
    expect(result.created).toBe(true);
  });

  it('Run now without the token is 401 and starts nothing', async () => {
    const before = (await stack.repo.recentRuns(id, 50)).length;
    const r = await send(app, `/companies/${id}/runs`, login({ _csrf: 'x'.repeat(32) }));
    expect(r.status).toBe(401);
    expect((await stack.repo.recentRuns(id, 50)).length).toBe(before);
  });

  // BUG (src/web/app.tsx): Hono's csrf() refuses a POST without Origin or Sec-Fetch-Site
  // whose Content-Type is form-like or absent (absent counts as text/plain), so a script
  // that presses Run now with `curl -X POST -H 'Authorization: Bearer ...'` is refused,
  // though auth.ts says a request with the header needs no CSRF check. Flip to `it` when fixed.
  it('Run now with the Bearer header and no body is started (curl -X POST)', async () => {
    const r = await send(app, `/companies/${id}/runs`, { method: 'POST', headers: bearer });
    expect(r.status).toBe(303);
    const workflowId = decodeURIComponent(r.res.headers.get('location')!.split('started=')[1]!);
    await stack.client.workflow.getHandle(workflowId).result();
  });

  // BUG (src/web/app.tsx, app.onError): the csrf() middleware's 403 is an HTTPException,
  // which the app's onError turns into a 500 "Something went wrong" (and reports to
  // deps.onError as an unexpected failure). Flip to `it` when fixed.
  it('a form posted from another site is 403, not a server error', async () => {
    const errors: Error[] = [];
    const { app: logged } = await testWebApp(stack, {
      token: TOKEN,
      extra: { onError: (err) => void errors.push(err) },
    });
    const r = await send(logged, '/login', login({ token: TOKEN }, { Origin: 'https://evil.com' }));
    expect(setCookie(r.res, 'boardroom_session')).toBeUndefined();
    expect(errors).toEqual([]);
    expect(r.status).toBe(403);
  });

  it('a form posted from another site never signs in', async () => {
    const r = await send(app, '/login', login({ token: TOKEN }, { Origin: 'https://evil.com' }));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(setCookie(r.res, 'boardroom_session')).toBeUndefined();
  });
});

describe('without a token', () => {
  it('pages need nothing, and /login goes straight to next', async () => {
    const { app: open } = await testWebApp(stack);
    const page = await send(open, `/companies/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('Sign out');
    const form = await send(open, `/login?next=/companies/${id}/runs`);
    expect(form.status).toBe(303);
    expect(form.res.headers.get('location')).toBe(`/companies/${id}/runs`);
    const post = await send(open, '/login', login({ token: 'anything', next: '//evil.com' }));
    expect(post.status).toBe(303);
    expect(post.res.headers.get('location')).toBe('/');
    expect(setCookie(post.res, 'boardroom_session')).toBeUndefined();
  });
});

describe('exposure', () => {
  it('isLoopback knows the loopback names and addresses only', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1'])
      expect(isLoopback(host), host).toBe(true);
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.10',
      '10.0.0.1',
      'example.com',
      'localhost.evil.com',
      '127.0.0.1.evil.com',
      '127.0.0',
      '',
    ])
      expect(isLoopback(host), host).toBe(false);
  });

  it('checkExposure refuses an open address without a token or --insecure-no-auth', () => {
    expect(() =>
      checkExposure({ host: '127.0.0.1', token: undefined, insecureNoAuth: false }),
    ).not.toThrow();
    expect(() =>
      checkExposure({ host: '0.0.0.0', token: TOKEN, insecureNoAuth: false }),
    ).not.toThrow();
    expect(() =>
      checkExposure({ host: '0.0.0.0', token: undefined, insecureNoAuth: true }),
    ).not.toThrow();
    let caught: unknown;
    try {
      checkExposure({ host: '0.0.0.0', token: undefined, insecureNoAuth: false });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toBe(
      "Refusing to serve the web app on 0.0.0.0 without a token: anyone who reaches it would read the company's numbers. " +
        'Set BOARDROOM_WEB_TOKEN (e.g. `export BOARDROOM_WEB_TOKEN=$(openssl rand -base64 24)`), ' +
        'or pass --insecure-no-auth when a proxy in front of it does the authentication.',
    );
    expect((caught as ConfigError).context).toEqual({ fields: ['BOARDROOM_WEB_TOKEN', '--host'] });
  });
});

describe('the HTTP server', () => {
  it('serves the app on port 0 over real HTTP, and closes', async () => {
    const server = await startWebServer(app, { host: '127.0.0.1', port: 0 });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok');
      const denied = await fetch(`${server.url}/companies/${id}`);
      expect(denied.status).toBe(401);
      expect(await denied.text()).toBe(UNAUTHORIZED_TEXT);
      const page = await fetch(`${server.url}/companies/${id}`, { headers: bearer });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Northwind Analytics');
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('a port in use is a ConfigError naming the flag', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const started = startWebServer(createWebApp((await testWebApp(stack)).deps), {
        host: '127.0.0.1',
        port,
      });
      await expect(started).rejects.toBeInstanceOf(ConfigError);
      await expect(started).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is in use: pass --port N (or set BOARDROOM_WEB_PORT), or stop what listens there.`,
      );
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('an address this machine does not have is a ConfigError naming the host', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a machine.
    const started = startWebServer(app, { host: '192.0.2.1', port: 0 });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(
      'Cannot listen on 192.0.2.1: no such address on this machine (--host, BOARDROOM_WEB_HOST).',
    );
  });
});
