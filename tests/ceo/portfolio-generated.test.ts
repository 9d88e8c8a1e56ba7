/**
 * The portfolio figures on three generated companies, by exact values: three workspaces
 * from the living demo's generator (different seeds, sizes and zones; one in euros), each
 * briefed by the real agents and CEO step in-process (a week's history, then today), read
 * as the store keeps them (overviewHead) and composed. Every figure of the portfolio is
 * checked against a value computed here straight from the generated CSV files, by the
 * documented rules (docs/metrics.md), not through the agents' code.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composePortfolio, type PortfolioInput } from '../../src/ceo/portfolio.js';
import { renderPortfolioMarkdown } from '../../src/ceo/render-portfolio.js';
import { Portfolio } from '../../src/contract/portfolio.js';
import { addDays } from '../../src/shared/dates.js';
import { formatMoney } from '../../src/shared/money.js';
import { generateCompanyWorkspace } from '../../src/sources/demo/generate-company.js';
import { overviewHead } from '../../src/store/repository.js';
import { briefingWithHistory, loadWorkspace } from '../helpers/demo-briefings.js';

const TODAY = '2026-11-18';
const COMPANIES = [
  { id: 'alpha', name: 'Alpha Labs', seed: 11, size: 1, timeZone: 'America/Los_Angeles' },
  { id: 'beta', name: 'Beta Works', seed: 22, size: 3, timeZone: 'Europe/Berlin' },
  { id: 'gamma', name: 'Gamma GmbH', seed: 33, size: 2, timeZone: 'Asia/Tokyo', currency: 'EUR' },
] as const;

type Row = Record<string, string>;
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-portfolio-gen-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function csv(dir: string, file: string): Promise<Row[]> {
  return parseCsv(await readFile(path.join(dir, file), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Row[];
}

const PER_YEAR: Record<string, number> = { month: 12, quarter: 4, year: 1 };

/**
 * MRR in cents on `date`: every non-trial subscription from its start up to the day
 * before its cancellation, normalised to a year, summed, divided by 12 once (half up).
 */
function mrrCents(subscriptions: readonly Row[], date: string): number {
  let annual = 0;
  for (const s of subscriptions) {
    if (s.status === 'trialing' || s.started_on! > date) continue;
    if (s.canceled_on && date >= s.canceled_on) continue;
    const perYear = PER_YEAR[s.interval!];
    if (perYear === undefined) throw new Error(`unknown interval ${s.interval}`);
    annual += Number(s.amount_cents) * perYear;
  }
  return Math.floor(annual / 12) + (2 * (annual % 12) >= 12 ? 1 : 0);
}

/** The closing balance of the latest month in cashflow.csv up to `date`'s month. */
function cashCents(cashflow: readonly Row[], date: string): number {
  const months = cashflow.filter((m) => m.month! <= date.slice(0, 7));
  months.sort((a, b) => a.month!.localeCompare(b.month!));
  return Number(months.at(-1)!.closing_balance_cents);
}

/** People on the team on `date` (contractors included): started, and not yet gone. */
function headcount(people: readonly Row[], date: string): number {
  return people.filter((p) => p.start_date! <= date && (!p.end_date || p.end_date >= date)).length;
}

interface Expected {
  mrr: number;
  previousMrr: number;
  cash: number;
  headcount: number;
}

let portfolio: Portfolio;
const expected: Record<string, Expected> = {};
const briefed: Record<string, { health: number; risks: number; runway: number | null }> = {};

beforeAll(async () => {
  const inputs: PortfolioInput[] = [];
  for (const [i, c] of COMPANIES.entries()) {
    const dir = path.join(tmp, c.id);
    await generateCompanyWorkspace(dir, { ...c, today: TODAY });
    if ('currency' in c) {
      const file = path.join(dir, 'company.yaml');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace(/^currency: USD$/m, `currency: ${c.currency}`),
      );
    }
    const [subscriptions, cashflow, people] = await Promise.all([
      csv(dir, 'subscriptions.csv'),
      csv(dir, 'cashflow.csv'),
      csv(dir, 'people.csv'),
    ]);
    expected[c.id] = {
      mrr: mrrCents(subscriptions, TODAY),
      previousMrr: mrrCents(subscriptions, addDays(TODAY, -7)),
      cash: cashCents(cashflow, TODAY),
      headcount: headcount(people, TODAY),
    };
    // A week's history, then today: the briefing has an MRR to compare with.
    const { briefing } = briefingWithHistory(await loadWorkspace(dir, c.id), TODAY, 1, c.id);
    briefed[c.id] = {
      health: briefing.health,
      risks: briefing.risks.length,
      runway: briefing.agents.finance.metrics.runwayMonths ?? null,
    };
    inputs.push({
      id: 100 + i,
      workflowId: briefing.workflowId,
      outcome: 'complete',
      staleAgents: [],
      failedAgents: [],
      // As Postgres keeps it: the small head, cash included.
      head: overviewHead(briefing),
    });
  }
  portfolio = Portfolio.parse(composePortfolio(inputs, { date: TODAY }));
});

describe('the portfolio of three generated companies', () => {
  it('the generator made three different companies', () => {
    const mrrs = new Set(Object.values(expected).map((e) => e.mrr));
    expect(mrrs.size).toBe(3);
    for (const e of Object.values(expected)) {
      expect(e.mrr).toBeGreaterThan(0);
      expect(e.cash).toBeGreaterThan(0);
      expect(e.headcount).toBeGreaterThan(0);
    }
  });

  it("each company's MRR, change, ARR, cash and headcount are the files' exact cents", () => {
    for (const c of COMPANIES) {
      const line = portfolio.companies.find((l) => l.companyId === c.id)!;
      const e = expected[c.id]!;
      expect(line).toMatchObject({
        companyName: c.name,
        currency: 'currency' in c ? c.currency : 'USD',
        briefingDate: TODAY,
        current: true,
        mrrCents: e.mrr,
        previousMrrCents: e.previousMrr,
        previousDate: addDays(TODAY, -7),
        mrrChangeCents: e.mrr - e.previousMrr,
        arrCents: e.mrr * 12,
        cashCents: e.cash,
        headcount: e.headcount,
        health: briefed[c.id]!.health,
        runwayMonths: briefed[c.id]!.runway,
      });
      expect(line.risks.critical + line.risks.warning + line.risks.info).toBe(briefed[c.id]!.risks);
    }
  });

  it('totals per currency are exact sums, never across currencies; headcount across all', () => {
    const { alpha, beta, gamma } = expected as Record<'alpha' | 'beta' | 'gamma', Expected>;
    expect(portfolio.totals.money).toEqual([
      {
        currency: 'EUR',
        companies: ['gamma'],
        olderBriefings: [],
        mrrCents: gamma.mrr,
        mrrChangeCents: gamma.mrr - gamma.previousMrr,
        arrCents: gamma.mrr * 12,
        cashCents: gamma.cash,
        missing: { mrr: [], mrrChange: [], arr: [], cash: [] },
      },
      {
        currency: 'USD',
        companies: expect.arrayContaining(['alpha', 'beta']),
        olderBriefings: [],
        mrrCents: alpha.mrr + beta.mrr,
        mrrChangeCents: alpha.mrr - alpha.previousMrr + (beta.mrr - beta.previousMrr),
        arrCents: (alpha.mrr + beta.mrr) * 12,
        cashCents: alpha.cash + beta.cash,
        missing: { mrr: [], mrrChange: [], arr: [], cash: [] },
      },
    ]);
    expect(portfolio.totals.headcount).toEqual({
      value: alpha.headcount + beta.headcount + gamma.headcount,
      missing: [],
    });
    expect(portfolio.totals.companies).toBe(3);
    // The Markdown says the same figures.
    const md = renderPortfolioMarkdown(portfolio);
    expect(md).toContain(`| USD | 2 | ${formatMoney(alpha.mrr + beta.mrr, 'USD')} |`);
    expect(md).toContain(`| EUR | 1 | ${formatMoney(gamma.mrr, 'EUR')} |`);
  });

  it('lowest health first; every risk counted once, by severity', () => {
    const healths = portfolio.companies.map((c) => c.health);
    expect(healths).toEqual([...healths].sort((a, b) => a - b));
    const total = Object.values(briefed).reduce((n, b) => n + b.risks, 0);
    expect(portfolio.risks.items).toHaveLength(total);
    const { critical, warning, info } = portfolio.risks.counts;
    expect(critical + warning + info).toBe(total);
  });
});
