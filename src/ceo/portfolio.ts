/**
 * The portfolio briefing: each company's newest stored briefing, read together. Pure:
 * the briefings and "today" come in, so the same inputs always give the same portfolio.
 *
 * Money figures are metric values in currency units (finance.mrr 15000.5); they become
 * integer cents here, once, so that totals are exact sums. Totals are per currency: adding
 * dollars to euros would be a number that means nothing.
 */
import type { Briefing, KeyMetric } from '../contract/briefing.js';
import type {
  Portfolio,
  PortfolioCompany,
  PortfolioCurrencyTotals,
  PortfolioFigure,
  PortfolioRisk,
  PortfolioRiskCounts,
  HeadCash,
} from '../contract/portfolio.js';
import type { Severity } from '../contract/report.js';

/** What one company brings: its newest briefing's summary and head (the store's overview). */
export interface PortfolioInput {
  id: number;
  workflowId: string;
  outcome: 'complete' | 'degraded';
  staleAgents: readonly string[];
  failedAgents: readonly string[];
  head: Pick<
    Briefing,
    'companyId' | 'companyName' | 'currency' | 'briefingDate' | 'health' | 'risks' | 'keyMetrics'
  > & {
    /**
     * The finance report's cash balance, which the stored head keeps beside the key
     * numbers (null: finance failed). Undefined only for a head written before it did:
     * the caller reads it from the full briefing then, or the cash is unknown.
     */
    cash?: HeadCash | undefined;
  };
}

export interface PortfolioOptions {
  /** The portfolio's day, YYYY-MM-DD: a company whose newest briefing is older has none today. */
  date: string;
  /** Companies that should be there (`--company`): those without any briefing are listed. */
  expected?: readonly string[];
  /**
   * A company's own "today" in its time zone, by id: 02:00 UTC is still yesterday in Los
   * Angeles, whose briefing of yesterday is then its newest and current. @default `date`
   */
  companyDates?: Readonly<Record<string, string>>;
}

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'warning', 'info'];

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Currency units -> integer cents; money metrics hold at most two decimals. */
function toCents(units: number | null | undefined): number | null {
  return typeof units === 'number' ? Math.round(units * 100) : null;
}

function metric(b: PortfolioInput['head'], agent: string, key: string): KeyMetric | undefined {
  return b.keyMetrics.find((m) => m.agent === agent && m.key === key);
}

function riskCounts(risks: readonly { severity: Severity }[]): PortfolioRiskCounts {
  const counts: PortfolioRiskCounts = { critical: 0, warning: 0, info: 0 };
  for (const r of risks) counts[r.severity] += 1;
  return counts;
}

function companyLine(input: PortfolioInput, date: string): PortfolioCompany {
  const b = input.head;
  const mrr = metric(b, 'finance', 'mrr');
  const arr = metric(b, 'finance', 'arr');
  const runway = metric(b, 'finance', 'runwayMonths');
  const netBurn = metric(b, 'finance', 'netBurn');
  const headcount = metric(b, 'hr', 'headcount');
  const mrrCents = toCents(mrr?.value);
  const previousMrrCents = mrr && mrr.previous !== undefined ? toCents(mrr.previous) : undefined;
  const staleFigures: PortfolioFigure[] = [];
  if (mrr?.stale) staleFigures.push('mrr');
  if (arr?.stale) staleFigures.push('arr');
  const cash = b.cash ?? null;
  if (cash?.stale && cash.cents !== null) staleFigures.push('cash');
  if (runway?.stale) staleFigures.push('runway');
  if (headcount?.stale) staleFigures.push('headcount');
  return {
    companyId: b.companyId,
    companyName: b.companyName,
    currency: b.currency,
    briefingId: input.id,
    workflowId: input.workflowId,
    briefingDate: b.briefingDate,
    // A zone ahead of the portfolio's day may already have tomorrow's briefing: current too.
    current: b.briefingDate >= date,
    health: b.health,
    outcome: input.outcome,
    staleAgents: [...input.staleAgents],
    failedAgents: [...input.failedAgents],
    mrrCents,
    ...(previousMrrCents !== undefined ? { previousMrrCents } : {}),
    ...(mrr?.previousDate ? { previousDate: mrr.previousDate } : {}),
    ...(mrrCents !== null && typeof previousMrrCents === 'number'
      ? { mrrChangeCents: mrrCents - previousMrrCents }
      : {}),
    arrCents: toCents(arr?.value),
    cashCents: cash?.cents ?? null,
    runwayMonths: runway?.value ?? null,
    notBurning:
      (runway?.value ?? null) === null && typeof netBurn?.value === 'number' && netBurn.value <= 0,
    headcount: headcount?.value ?? null,
    risks: riskCounts(b.risks),
    staleFigures,
  };
}

/** A sum of the companies that have the figure; null when none has it. */
function total(
  companies: readonly PortfolioCompany[],
  figure: (c: PortfolioCompany) => number | null | undefined,
): { value: number | null; missing: string[] } {
  let value: number | null = null;
  const missing: string[] = [];
  for (const c of companies) {
    const v = figure(c);
    if (typeof v === 'number') value = (value ?? 0) + v;
    else missing.push(c.companyId);
  }
  return { value, missing };
}

function currencyTotals(
  currency: string,
  companies: readonly PortfolioCompany[],
): PortfolioCurrencyTotals {
  const mrr = total(companies, (c) => c.mrrCents);
  const change = total(companies, (c) => c.mrrChangeCents);
  const arr = total(companies, (c) => c.arrCents);
  const cash = total(companies, (c) => c.cashCents);
  return {
    currency,
    companies: companies.map((c) => c.companyId),
    olderBriefings: companies.filter((c) => !c.current).map((c) => c.companyId),
    mrrCents: mrr.value,
    mrrChangeCents: change.value,
    arrCents: arr.value,
    cashCents: cash.value,
    missing: { mrr: mrr.missing, mrrChange: change.missing, arr: arr.missing, cash: cash.missing },
  };
}

function portfolioRisks(inputs: readonly PortfolioInput[]): PortfolioRisk[] {
  const items = inputs.flatMap(({ head: b }) =>
    b.risks.map((r) => ({
      severity: r.severity,
      companyId: b.companyId,
      companyName: b.companyName,
      briefingDate: b.briefingDate,
      riskId: r.id,
      title: r.title,
      message: r.message,
      action: r.action,
      basedOnStaleData: r.basedOnStaleData,
    })),
  );
  return items.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      byText(a.companyName, b.companyName) ||
      byText(a.companyId, b.companyId) ||
      byText(a.title, b.title),
  );
}

/**
 * The portfolio of `inputs` (one newest briefing per company; a second one of the same
 * company is a caller's mistake and throws) on `opts.date`.
 */
export function composePortfolio(
  inputs: readonly PortfolioInput[],
  opts: PortfolioOptions,
): Portfolio {
  const seen = new Set<string>();
  for (const i of inputs) {
    if (seen.has(i.head.companyId))
      throw new Error(`composePortfolio: two briefings of company "${i.head.companyId}"`);
    seen.add(i.head.companyId);
  }
  const companies = inputs
    .map((i) => companyLine(i, opts.companyDates?.[i.head.companyId] ?? opts.date))
    .sort(
      (a, b) =>
        a.health - b.health ||
        byText(a.companyName, b.companyName) ||
        byText(a.companyId, b.companyId),
    );
  const currencies = [...new Set(companies.map((c) => c.currency))].sort(byText);
  const risks = portfolioRisks(inputs);
  const headcount = total(companies, (c) => c.headcount);
  return {
    schemaVersion: 1,
    date: opts.date,
    companies,
    today: {
      current: companies.filter((c) => c.current).map((c) => c.companyId),
      noBriefingToday: companies
        .filter((c) => !c.current)
        .map((c) => ({
          companyId: c.companyId,
          companyName: c.companyName,
          briefingDate: c.briefingDate,
        })),
      neverBriefed: [...new Set(opts.expected ?? [])].filter((id) => !seen.has(id)).sort(byText),
      degraded: companies
        .filter((c) => c.current && c.outcome === 'degraded')
        .map((c) => ({
          companyId: c.companyId,
          companyName: c.companyName,
          staleAgents: c.staleAgents,
          failedAgents: c.failedAgents,
        })),
    },
    risks: { counts: riskCounts(risks), items: risks },
    totals: {
      companies: companies.length,
      money: currencies.map((cur) =>
        currencyTotals(
          cur,
          companies.filter((c) => c.currency === cur),
        ),
      ),
      headcount: { value: headcount.value, missing: headcount.missing },
    },
  };
}
