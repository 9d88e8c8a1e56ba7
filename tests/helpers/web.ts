/**
 * The web app against a test stack: its repository, its company, and the real Temporal
 * view (the suite's dev server) built as `serve` builds it; and a stack with daily
 * history, made by real workflow runs (one per past day, as `backfill --every day`).
 */
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addDays } from '../../src/shared/dates.js';
import { calendarDate } from '../../src/shared/time-zone.js';
import { temporalView } from '../../src/client/web.js';
import type { Repository } from '../../src/store/repository.js';
import { createWebApp, type WebDeps, type WebRepository } from '../../src/web/app.js';
import { loadMetricDocs } from '../../src/web/metric-docs.js';
import { stackEnv } from './cli.js';
import type { TestStack } from './stack.js';

/** The day the demo's runs describe: today in UTC (the stack's runs are in UTC). */
export function todayUtc(): string {
  return calendarDate(new Date(), 'UTC');
}

/**
 * `days` daily briefings ending today: days-1 backfilled past days (07:00 UTC each),
 * oldest first, then today's manual run. Returns the dates, oldest first.
 */
export async function seedDailyHistory(stack: TestStack, days: number): Promise<string[]> {
  const today = todayUtc();
  const dates: string[] = [];
  for (let i = days - 1; i >= 1; i--) {
    const date = addDays(today, -i);
    await stack.runBriefing({
      trigger: 'backfill',
      asOf: `${date}T07:00:00.000Z`,
      searchAttributes: true,
    });
    dates.push(date);
  }
  await stack.runBriefing({ searchAttributes: true });
  dates.push(today);
  return dates;
}

export interface TestWebOptions {
  /** BOARDROOM_WEB_TOKEN. @default none */
  token?: string;
  /** Give the app the real Temporal view. @default true */
  temporal?: boolean;
  uiUrl?: string;
  extra?: Partial<WebDeps>;
}

/**
 * The repository with Today's list narrowed to `ids`: the suite's database is shared by
 * the files running at the same time, and Today lists every company with a briefing.
 */
export function todayOf(repo: Repository, ids: readonly string[]): WebRepository {
  return new Proxy(repo, {
    get(target, prop) {
      if (prop === 'latestBriefings')
        return async () =>
          (await target.latestBriefings()).filter((b) => ids.includes(b.companyId));
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** The app for `stack`'s company, with the config `serve` would read for it. */
export async function testWebApp(stack: TestStack, opts: TestWebOptions = {}) {
  const config = loadConfig(stackEnv(stack), { cwd: process.cwd(), isTTY: false });
  const deps: WebDeps = {
    repo: todayOf(stack.repo, [stack.companyId]),
    companies: async () => [{ id: stack.companyId, name: 'Northwind Analytics', timeZone: 'UTC' }],
    temporal:
      opts.temporal === false
        ? undefined
        : temporalView(stack.client, config, opts.uiUrl ?? 'http://localhost:8233'),
    auth: { token: opts.token },
    metricDocs: await loadMetricDocs(),
    ...opts.extra,
  };
  return { app: createWebApp(deps), deps, config, temporalAddress: inject('temporalAddress') };
}
