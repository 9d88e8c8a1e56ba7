/**
 * Today with more than one company: the portfolio above the companies' cards, from real
 * runs of three companies (two in dollars, one in euros whose hr agent fails, one of the
 * dollar ones only briefed days ago) and one registered company never briefed. Its
 * figures are the stored briefings', by exact values; every company links to its
 * briefing; the page reads heads only; and axe-core finds nothing in Chromium.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/shared/money.js';
import { workspaceSources } from '../../src/sources/sources.js';
import type { StoredBriefing } from '../../src/store/repository.js';
import type { CompanyRef } from '../../src/web/app.js';
import { startWebServer } from '../../src/web/server.js';
import { urls } from '../../src/web/urls.js';
import { AXE_SOURCE, axeViolations, launchChromium } from '../helpers/chromium.js';
import {
  DEMO_WORKSPACE,
  createTestStack,
  faultySources,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';
import { testWebApp, todayOf } from '../helpers/web.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-web-portfolio-'));

/** The demo workspace under another name (and currency). */
async function workspace(name: string, currency = 'USD'): Promise<string> {
  const dir = await mkdtemp(path.join(tmp, 'ws-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, 'company.yaml');
  const yaml = await readFile(file, 'utf8');
  await writeFile(
    file,
    yaml
      .replace(/^name: .*$/m, `name: ${name}`)
      .replace(/^currency: USD$/m, `currency: ${currency}`),
  );
  return dir;
}

const cents = (units: unknown) => Math.round((units as number) * 100);
const finance = (b: StoredBriefing) => b.briefing.agents.finance.metrics;

let stacks: TestStack[] = [];
let usd: StoredBriefing;
let eur: StoredBriefing;
let older: StoredBriefing;
let companies: CompanyRef[];
const never = uniqueCompanyId('never');
let browser: Browser | undefined;

beforeAll(async () => {
  const [usdId, eurId, olderId] = ['usd', 'eur', 'old'].map(uniqueCompanyId) as [
    string,
    string,
    string,
  ];
  const [usdWs, eurWs, olderWs] = await Promise.all([
    workspace('Acme Analytics'),
    workspace('Nordwind GmbH', 'EUR'),
    workspace('Beta Works'),
  ]);
  stacks = await Promise.all([
    createTestStack({ companyId: usdId, workspace: usdWs }),
    createTestStack({
      companyId: eurId,
      sources: faultySources(workspaceSources({ [eurId]: eurWs }), (agent) =>
        agent === 'hr' ? new Error('hr source down') : undefined,
      ),
    }),
    createTestStack({ companyId: olderId, workspace: olderWs }),
  ]);
  const [a, e, o] = stacks as [TestStack, TestStack, TestStack];
  const runs = await Promise.all([
    a.runBriefing(),
    e.runBriefing(),
    o.runBriefing({
      trigger: 'backfill',
      asOf: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    }),
  ]);
  const stored = await Promise.all(runs.map((r) => a.repo.getBriefing(r.workflowId)));
  [usd, eur, older] = stored.map((s) => {
    if (!s) throw new Error('a run stored no briefing');
    return s;
  }) as [StoredBriefing, StoredBriefing, StoredBriefing];
  companies = [
    { id: usdId, name: 'Acme Analytics', timeZone: 'UTC' },
    { id: eurId, name: 'Nordwind GmbH', timeZone: 'UTC' },
    { id: olderId, name: 'Beta Works', timeZone: 'UTC' },
    { id: never, name: 'Never Briefed Ltd', timeZone: 'UTC' },
  ];
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(stacks.map((s) => s.close()));
  await rm(tmp, { recursive: true, force: true });
});

/** The app over the suite's database, Today narrowed to this file's companies; full reads counted. */
async function app() {
  const stack = stacks[0]!;
  const ids = companies.map((c) => c.id);
  const fullReads: string[] = [];
  const narrowed = todayOf(stack.repo, ids);
  const repo = new Proxy(narrowed, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop === 'latestBriefing' || prop === 'briefingOn' || prop === 'getBriefing')
        return (...args: unknown[]) => {
          fullReads.push(`${String(prop)}(${args.join(', ')})`);
          return fn(...args);
        };
      return fn;
    },
  });
  const web = await testWebApp(stack, {
    temporal: false,
    extra: { repo, companies: async () => companies },
  });
  return { app: web.app, fullReads };
}

async function today(): Promise<string> {
  const { app: a } = await app();
  const res = await a.request('/', { headers: { accept: 'text/html' } });
  expect(res.status).toBe(200);
  return res.text();
}

describe('Today with many companies: the portfolio', () => {
  it('totals per currency by exact values, never added across currencies', async () => {
    const html = await today();
    expect(html).toContain('<h2>Portfolio briefing</h2>');
    expect(html).toContain('<h3>Totals</h3>');
    const dollars = (key: string) => cents(finance(usd)[key]) + cents(finance(older)[key]);
    const euros = (key: string) => cents(finance(eur)[key]);
    // Currency, companies, MRR, MRR change (not asserted here), ARR, cash.
    const row = (currency: string, n: number, mrr: number, arr: number, cash: number) =>
      new RegExp(
        `<tr><td>${currency}</td><td class="num">${n}</td><td class="num">${esc(formatMoney(mrr, currency))}</td>` +
          `<td class="num">[^<]*</td><td class="num">${esc(formatMoney(arr, currency))}</td>` +
          `<td class="num">${esc(formatMoney(cash, currency))}</td></tr>`,
      );
    expect(html).toMatch(row('EUR', 1, euros('mrr'), euros('arr'), euros('cashBalance')));
    expect(html).toMatch(row('USD', 2, dollars('mrr'), dollars('arr'), dollars('cashBalance')));
    // Headcount has no currency: one total, without the company whose hr failed.
    const heads =
      (usd.briefing.agents.hr.metrics.headcount as number) +
      (older.briefing.agents.hr.metrics.headcount as number);
    expect(html).toContain(`Headcount: ${heads} across 2 companies; leaves out Nordwind GmbH`);
  });

  it("every company's line links to its briefing; today's gaps are named", async () => {
    const html = await today();
    for (const b of [usd, eur, older]) {
      const link = `<a href="${urls.briefing(b.companyId, b.briefingDate)}">${b.briefing.companyName}</a>`;
      expect(html).toContain(`<tr><td>${link}</td>`);
      const health = new RegExp(
        `${esc(link)}</td><td class="num health \\w+">${Math.round(b.health)}</td>`,
      );
      expect(html).toMatch(health);
      expect(html).toContain(`#${b.id}, ${b.briefingDate}`);
    }
    const eurLink = `<a href="${urls.briefing(eur.companyId, eur.briefingDate)}">Nordwind GmbH</a>`;
    expect(html).toContain(`<li><strong>Degraded:</strong> ${eurLink}: hr failed</li>`);
    expect(html).toContain(
      `<li><strong>No briefing today:</strong> <a href="${urls.briefing(older.companyId, older.briefingDate)}">Beta Works</a> (newest ${older.briefingDate})</li>`,
    );
    expect(html).toContain('<li><strong>Never briefed:</strong> Never Briefed Ltd</li>');
    // The risks across the portfolio: every stored risk, counted by severity.
    const all = [usd, eur, older].flatMap((b) => b.briefing.risks);
    const count = (s: string) => all.filter((r) => r.severity === s).length;
    expect(all.length).toBeGreaterThan(0);
    expect(html).toContain(
      `<p>${count('critical')} critical, ${count('warning')} warning, ${count('info')} info.</p>`,
    );
    expect(html.match(/<li class="risk">/g)).toHaveLength(all.length);
    // The companies' own cards stay below it; no script anywhere.
    expect(html.indexOf('Portfolio briefing')).toBeLessThan(html.indexOf('class="companies"'));
    expect(html).not.toContain('<script');
  });

  it('reads heads only: no full briefing, but one for a head stored before it kept the cash', async () => {
    const first = await app();
    const res = await first.app.request('/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(first.fullReads).toEqual([]);

    await stacks[0]!.repo.pool.query(`UPDATE briefings SET head = head - 'cash' WHERE id = $1`, [
      usd.id,
    ]);
    try {
      const second = await app();
      const html = await (
        await second.app.request('/', { headers: { accept: 'text/html' } })
      ).text();
      expect(second.fullReads).toEqual([`latestBriefing(${usd.companyId})`]);
      const dollars = cents(finance(usd).cashBalance) + cents(finance(older).cashBalance);
      expect(html).toContain(`<td class="num">${formatMoney(dollars, 'USD')}</td></tr>`);
    } finally {
      await stacks[0]!.repo.pool.query(
        `UPDATE briefings SET head = jsonb_set(head, '{cash}', $2::jsonb) WHERE id = $1`,
        [usd.id, JSON.stringify({ cents: cents(finance(usd).cashBalance), stale: false })],
      );
    }
  });

  it('axe-core finds no violation on Today with the portfolio, in Chromium', async () => {
    browser = await launchChromium();
    const { app: a } = await app();
    const server = await startWebServer(a, { host: '127.0.0.1', port: 0 });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript({ content: AXE_SOURCE });
      const page = await context.newPage();
      const response = await page.goto(server.url + urls.today());
      expect(response?.status()).toBe(200);
      expect(await page.locator('h2', { hasText: 'Portfolio briefing' }).count()).toBe(1);
      const violations = await axeViolations(page);
      expect(violations, `axe violations:\n${violations.join('\n')}`).toEqual([]);
      await context.close();
    } finally {
      await server.close();
    }
  });
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
