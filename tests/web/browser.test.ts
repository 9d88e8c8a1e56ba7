/**
 * The web app in a real Chromium, over real HTTP, on a stack with four weeks of daily
 * briefings made by real runs: every page loads with no console error, no failed or
 * foreign request (the CSP holds), and no axe-core violation; the links, the history
 * filters and pager, sign-in and Run now work as a person would use them.
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NAMES } from '../../src/contract/report.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import { urls } from '../../src/web/urls.js';
import { AXE_SOURCE, axeViolations, launchChromium } from '../helpers/chromium.js';
import { createTestStack, type TestStack } from '../helpers/stack.js';
import { seedDailyHistory, testWebApp } from '../helpers/web.js';
import { stackEnv } from '../helpers/cli.js';
import { loadConfig } from '../../src/config.js';
import { timeZoneFor } from '../../src/client/workflow-input.js';
import { calendarDate } from '../../src/shared/time-zone.js';

/** More than a history page (25) holds, so the pager has a second page. */
const DAYS = 27;
const TOKEN = 'browser-test-token-4f1c9a';

let stack: TestStack;
let browser: Browser;
let server: WebServer;
let tokenServer: WebServer;
/** The open app's pages share it. */
let context: BrowserContext;
/** The same, with axe-core injected into every document it loads. */
let axeContext: BrowserContext;
let dates: string[];
let riskId: string;
const timings: { page: string; loadMs: number; serverTiming: string }[] = [];

const today = () => dates.at(-1)!;
const companyId = () => stack.companyId;

/** The little of the DOM the in-page functions use (the project's tsconfig has no DOM lib). */
interface PageDocument {
  addEventListener(
    type: 'securitypolicyviolation',
    listener: (e: { effectiveDirective: string; blockedURI: string }) => void,
  ): void;
  createElement(tag: 'img' | 'script'): { src: string };
  body: { append(...nodes: unknown[]): void };
}

/** The pages of the app a visitor reads, by name. */
function pagePaths(): Record<string, string> {
  const id = companyId();
  return {
    today: urls.today(),
    briefing: urls.briefing(id, today()),
    risk: urls.risk(id, today(), riskId),
    ...Object.fromEntries(AGENT_NAMES.map((a) => [`trends/${a}`, urls.trends(id, a)])),
    history: urls.history(id),
    runs: urls.runs(id),
  };
}
const PAGE_NAMES = [
  'today',
  'briefing',
  'risk',
  ...AGENT_NAMES.map((a) => `trends/${a}`),
  'history',
  'runs',
];

/**
 * What went wrong while a page was open: console errors, uncaught exceptions, failed
 * requests, error responses (but those in `allowStatus`), and requests off `origin`.
 */
function watch(page: Page, origin: string, allowStatus: number[] = []): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every error response; the allowed ones (the login page's 401) are expected.
    if (allowStatus.some((s) => m.text().includes(`status of ${s} `))) return;
    problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (r) =>
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`),
  );
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== origin) problems.push(`foreign request: ${r.url()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowStatus.includes(r.status()))
      problems.push(`${r.status()} for ${r.url()}`);
  });
  return problems;
}

async function open(
  path: string,
  within: BrowserContext = context,
): Promise<{ page: Page; response: Response }> {
  const page = await within.newPage();
  const response = await page.goto(server.url + path);
  if (!response) throw new Error(`no response for ${path}`);
  return { page, response };
}

function pathOf(page: Page): string {
  const u = new URL(page.url());
  return u.pathname + u.search + u.hash;
}

beforeAll(async () => {
  const t0 = Date.now();
  [browser, stack] = await Promise.all([launchChromium(), createTestStack()]);
  dates = await seedDailyHistory(stack, DAYS);
  const latest = await stack.repo.latestBriefing(stack.companyId);
  const risk = latest?.briefing.risks[0];
  if (!risk) throw new Error('the demo briefing has no risk: the risk page cannot be tested');
  riskId = risk.id;
  const [openApp, guarded] = await Promise.all([
    testWebApp(stack),
    testWebApp(stack, { token: TOKEN }),
  ]);
  [server, tokenServer] = await Promise.all([
    startWebServer(openApp.app, { host: '127.0.0.1', port: 0 }),
    startWebServer(guarded.app, { host: '127.0.0.1', port: 0 }),
  ]);
  [context, axeContext] = await Promise.all([
    browser.newContext({ viewport: { width: 1280, height: 900 } }),
    browser.newContext({ viewport: { width: 1280, height: 900 } }),
  ]);
  // An init script runs through the DevTools protocol, so the page's CSP (no script) does not stop it.
  await axeContext.addInitScript({ content: AXE_SOURCE });
  console.log(`browser test setup: ${DAYS} briefings seeded, ready in ${Date.now() - t0} ms`);
});

afterAll(async () => {
  if (timings.length > 0)
    console.log(
      `page loads in Chromium:\n${timings
        .map((t) => `  ${t.page.padEnd(16)} ${String(t.loadMs).padStart(4)} ms  ${t.serverTiming}`)
        .join('\n')}`,
    );
  await browser?.close();
  await Promise.all([server?.close(), tokenServer?.close()]);
  await stack?.close();
});

describe('the web app in Chromium', () => {
  it('loads every page: 200, no console error, no failed or foreign request; charts are drawn', async () => {
    const origin = new URL(server.url).origin;
    for (const [name, path] of Object.entries(pagePaths())) {
      const page = await context.newPage();
      const problems = watch(page, origin);
      const t0 = performance.now();
      const response = await page.goto(server.url + path, { waitUntil: 'load' });
      const loadMs = Math.round(performance.now() - t0);
      expect(response?.status(), name).toBe(200);
      timings.push({
        page: name,
        loadMs,
        serverTiming: (await response!.headerValue('server-timing')) ?? '(no server-timing)',
      });
      // The stylesheet applied: the skip link is moved off screen by it.
      const skipLeft = await page.locator('a.skip').evaluate((a) => a.getBoundingClientRect().left);
      expect(skipLeft, `${name}: stylesheet applied`).toBeLessThan(0);
      if (name.startsWith('trends/')) {
        const drawn = await page
          .locator('svg path')
          .evaluateAll(
            (paths) => paths.filter((p) => (p.getAttribute('d') ?? '').length > 0).length,
          );
        expect(drawn, `${name}: SVG paths with a d`).toBeGreaterThan(0);
      }
      expect(problems, name).toEqual([]);
      await page.close();
    }
    expect(timings.map((t) => t.page)).toEqual(PAGE_NAMES);
  });

  it.each(PAGE_NAMES)('axe-core finds no violation on %s', async (name) => {
    const { page, response } = await open(pagePaths()[name]!, axeContext);
    expect(response.status()).toBe(200);
    const violations = await axeViolations(page);
    await page.close();
    expect(violations, `axe violations on ${name}:\n${violations.join('\n')}`).toEqual([]);
  });

  it('Today → the briefing → a metric → its chart → back → a risk → its evidence', async () => {
    const id = companyId();
    const { page } = await open(urls.runs(id));
    const problems = watch(page, new URL(server.url).origin);

    // With one company, Today is its latest briefing.
    await Promise.all([
      page.waitForURL(`**${urls.company(id)}`),
      page.click('nav[aria-label="Pages"] >> text=Today'),
    ]);
    expect(pathOf(page)).toBe(urls.company(id));
    expect(await page.locator('h1').first().textContent()).toBe(
      'Morning briefing: Northwind Analytics',
    );

    const metric = page.locator('.card.metric .label a').first();
    const href = await metric.getAttribute('href');
    expect(href).toMatch(new RegExp(`^/companies/${id}/trends/[a-z]+#metric-[A-Za-z0-9_-]+$`));
    await Promise.all([page.waitForURL(`**${href}`), metric.click()]);
    const hash = new URL(page.url()).hash;
    expect(pathOf(page)).toBe(href);
    const chart = page.locator(hash);
    expect(await chart.isVisible(), `${hash} visible`).toBe(true);
    // The browser scrolled to the metric's chart: its top is on screen.
    const top = await chart.evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThan(-1); // sub-pixel layout
    expect(top).toBeLessThan(900);
    expect(await chart.locator('svg path').count()).toBeGreaterThan(0);

    await page.goBack();
    expect(pathOf(page)).toBe(urls.company(id));

    const risk = page.locator('.risk.card strong a').first();
    const title = await risk.textContent();
    await Promise.all([page.waitForURL(`**${urls.risk(id, today(), riskId)}`), risk.click()]);
    expect(pathOf(page)).toBe(urls.risk(id, today(), riskId));
    expect(await page.locator('h1').textContent()).toContain(title);
    expect(await page.locator('table').first().locator('tbody tr').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('history: the filter form narrows the list; the pager walks its pages', async () => {
    const id = companyId();
    const { page } = await open(urls.history(id));
    const problems = watch(page, new URL(server.url).origin);
    const rows = page.locator('table tbody tr');
    const rowDates = () => rows.locator('td:first-child').allTextContents();
    const pager = page.locator('nav.pager span');
    expect(await rows.count()).toBe(25);
    expect(await pager.textContent()).toBe(`Page 1 of 2 · ${DAYS} briefings`);
    expect(await rowDates()).toEqual([...dates].reverse().slice(0, 25));

    await Promise.all([page.waitForURL('**page=2'), page.click('nav.pager a[rel="next"]')]);
    expect(pathOf(page)).toBe(urls.history(id, { page: 2 }));
    expect(await pager.textContent()).toBe(`Page 2 of 2 · ${DAYS} briefings`);
    expect(await rowDates()).toEqual(dates.slice(0, DAYS - 25).reverse());
    await Promise.all([
      page.waitForURL(`**${urls.history(id)}`),
      page.click('nav.pager a[rel="prev"]'),
    ]);
    expect(await rowDates()).toEqual([...dates].reverse().slice(0, 25));

    const from = dates[DAYS - 10]!;
    const to = dates[DAYS - 6]!;
    await page.fill('input[name="from"]', from);
    await page.fill('input[name="to"]', to);
    await page.selectOption('select[name="outcome"]', 'complete');
    await Promise.all([page.waitForURL('**outcome=complete'), page.click('form.filters button')]);
    expect(pathOf(page)).toBe(`${urls.history(id)}?from=${from}&to=${to}&outcome=complete`);
    const expected = await stack.repo.briefingPage(id, {
      from,
      to,
      outcome: 'complete',
      limit: 25,
      offset: 0,
    });
    expect(expected.total).toBeGreaterThan(0);
    expect(await rowDates()).toEqual(expected.rows.map((r) => r.briefingDate));
    expect(await pager.textContent()).toBe(
      `Page 1 of 1 · ${expected.total} briefing${expected.total === 1 ? '' : 's'}`,
    );
    // The form shows the filters it applied, and Clear drops them.
    expect(await page.inputValue('input[name="from"]')).toBe(from);
    expect(await page.inputValue('select[name="outcome"]')).toBe('complete');
    await Promise.all([page.waitForURL(`**${urls.history(id)}`), page.click('form.filters a')]);
    expect(await rows.count()).toBe(25);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the CSP: a page can load nothing from elsewhere', async () => {
    const { page, response } = await open(urls.briefing(companyId(), today()));
    expect(await response.headerValue('content-security-policy')).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    // Chromium reports a request the CSP stopped as failed before it reaches the network.
    const stopped: string[] = [];
    const answered: string[] = [];
    page.on('requestfailed', (r) => stopped.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => answered.push(r.url()));
    const violations = await page.evaluate(async () => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      const seen: { directive: string; blocked: string }[] = [];
      doc.addEventListener('securitypolicyviolation', (e) =>
        seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI }),
      );
      const img = doc.createElement('img');
      img.src = 'http://example.invalid/x.png';
      const script = doc.createElement('script');
      script.src = 'http://example.invalid/x.js';
      doc.body.append(img, script);
      for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      return seen.sort((a, b) => a.directive.localeCompare(b.directive));
    });
    expect(violations).toEqual([
      { directive: 'img-src', blocked: 'http://example.invalid/x.png' },
      { directive: 'script-src-elem', blocked: 'http://example.invalid/x.js' },
    ]);
    expect(stopped.sort()).toEqual([
      'http://example.invalid/x.js csp',
      'http://example.invalid/x.png csp',
    ]);
    expect(answered).toEqual([]);
    await page.close();
  });

  describe('with a token', () => {
    let signedIn: BrowserContext;
    beforeAll(async () => {
      signedIn = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await signedIn.addInitScript({ content: AXE_SOURCE });
    });
    afterAll(() => signedIn?.close());

    it('asks for the token, refuses a wrong one, signs in with the right one; Run now starts a run', async () => {
      const id = companyId();
      const page = await signedIn.newPage();
      const problems = watch(page, new URL(tokenServer.url).origin, [401]);
      const first = await page.goto(tokenServer.url + urls.company(id));
      expect(first?.status()).toBe(401);
      expect(await page.locator('h1').textContent()).toBe('Sign in');
      expect(await page.locator('.notice.error').count()).toBe(0);
      const axe = await axeViolations(page);
      expect(axe, `axe violations on the login page:\n${axe.join('\n')}`).toEqual([]);

      await page.fill('#token', 'not-the-token');
      const [wrong] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('button[type="submit"]'),
      ]);
      expect(wrong.status()).toBe(401);
      await page.waitForLoadState('load');
      expect(await page.locator('.notice.error').textContent()).toBe(
        'That token is not the right one.',
      );

      await page.fill('#token', TOKEN);
      await Promise.all([
        page.waitForURL(`**${urls.company(id)}`),
        page.click('button[type="submit"]'),
      ]);
      expect(pathOf(page)).toBe(urls.company(id));
      expect(await page.locator('main h1').first().textContent()).toBe(
        'Morning briefing: Northwind Analytics',
      );
      expect(await page.locator('header form button').textContent()).toBe('Sign out');
      const cookies = (await signedIn.cookies()).map((c) => c.name).sort();
      expect(cookies).toEqual(['boardroom_csrf', 'boardroom_session']);

      // Run now runs in the company's zone (the workspace's, as `serve` reads it), not the
      // stack's UTC: between midnight UTC and midnight there, its day is the day before.
      const zone = await timeZoneFor(
        loadConfig(stackEnv(stack), { cwd: process.cwd(), isTTY: false }),
      );
      const dayBefore = calendarDate(new Date(), zone);
      await Promise.all([
        page.waitForURL(`**${urls.runs(id)}?started=*`),
        page.click('nav.toolbar button:has-text("Run now")'),
      ]);
      const started = new URL(page.url()).searchParams.get('started');
      expect(started).toMatch(/\S+/);
      expect(await page.locator('main .notice').first().textContent()).toBe(
        `Started run ${started}. It appears below when Temporal lists it; refresh to follow it.`,
      );
      // The run is real: it completes on the stack's worker and writes the company's today.
      const result = (await stack.client.workflow.getHandle(started!).result()) as {
        briefingDate: string;
      };
      expect([dayBefore, calendarDate(new Date(), zone)]).toContain(result.briefingDate);
      await page.reload();
      expect(await page.locator(`table a:has-text("${started}")`).count()).toBe(1);

      await Promise.all([page.waitForURL('**/login'), page.click('header form button')]);
      expect(await page.locator('h1').textContent()).toBe('Sign in');
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
