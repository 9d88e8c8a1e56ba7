/**
 * The finance figures: recurring revenue and its movements from the subscription
 * history, cash, burn, runway and gross margin from the monthly cash flow, and LTV from
 * both. Pure: `today` comes in. Formulas and periods: docs/metrics.md#finance.
 *
 * Periods: "the period" is the current calendar month to date (1st .. today); the last
 * complete calendar month is reported too (`...LastMonth`). Burn, gross margin and the
 * churn behind LTV use the last BURN_MONTHS complete months. Every comparison is
 * computed from the dated data itself, never from stored history.
 */
import type { CashflowMonth, Subscription } from '../../contract/datasets/finance.js';
import type { AgentContext } from '../../contract/report.js';
import { addMonths, endOfMonth, monthOf } from '../../shared/dates.js';
import { centsToUnits } from '../../shared/money.js';
import { percent, round, sumBy } from '../../shared/numbers.js';
import {
  annualCents,
  countsOn,
  mrrCentsOf,
  mrrMovements,
  type MrrMovements,
} from '../finance-mrr.js';
import { BURN_MONTHS } from './settings.js';

/** The datasets finance reads (its input without the settings). */
export interface FinanceData {
  subscriptions: readonly Subscription[];
  cashflow: readonly CashflowMonth[];
}

export interface RevenueFigures {
  /** YYYY-MM of today, and of the last complete month. */
  thisMonth: string;
  lastMonth: string;
  /** MRR movements of the month to date, and of the last complete month. */
  mtd: MrrMovements;
  prev: MrrMovements;
  /** Past-due subscriptions that count towards MRR today. */
  pastDue: Subscription[];
  /** Start MRR and lost MRR (contraction + churn) summed over the LTV churn window. */
  churnWindow: { startAnnual: number; lostAnnual: number };
}

export interface CashFigures {
  /** The last complete month's row, when the file has it. */
  last: CashflowMonth | undefined;
  /** The last BURN_MONTHS complete months in the file: burn and margin average these. */
  complete: CashflowMonth[];
  cashBalanceCents: number | null;
  grossBurnCents: number | null;
  netBurnCents: number | null;
  /** Cash / net burn; null when not burning (runway not limited). */
  runwayMonths: number | null;
  netBurnLastCents: number | null;
  netBurnBeforeCents: number | null;
  netBurnChangePct: number | null;
}

export interface FinanceFigures extends RevenueFigures, CashFigures {
  metrics: Record<string, number | null>;
  mrrCents: number;
  monthlyRevenueChurnPct: number | null;
  /** Contraction + churn of the month to date, MRR cents. */
  lostCents: number;
}

const units = (c: number | null): number | null => (c === null ? null : centsToUnits(c));

/** Net burn of one month: cash out + refunds - cash in (negative = cash-generating). */
export function netBurnOf(m: CashflowMonth): number {
  return m.cash_out_cents + (m.refunds_cents ?? 0) - m.cash_in_cents;
}

/**
 * (product of `num`) / (product of `den`) rounded half away from zero, exactly (BigInt
 * arithmetic on integers); null when the denominator is 0.
 */
export function productRatioRound(num: readonly number[], den: readonly number[]): number | null {
  let n = num.reduce((acc, x) => acc * BigInt(x), 1n);
  let d = den.reduce((acc, x) => acc * BigInt(x), 1n);
  if (d === 0n) return null;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const neg = n < 0n;
  const q = (2n * (neg ? -n : n) + d) / (2n * d);
  return Number(neg ? -q : q);
}

/** MRR, its movements and past-due rows, from the subscription history. */
export function revenueFigures(subs: readonly Subscription[], today: string): RevenueFigures {
  const thisMonth = monthOf(today);
  const lastMonth = addMonths(thisMonth, -1);
  const mtd = mrrMovements(subs, `${thisMonth}-01`, today);
  const prev = mrrMovements(subs, `${lastMonth}-01`, endOfMonth(lastMonth));
  const pastDue = subs.filter((s) => s.status === 'past_due' && countsOn(s, today));
  return {
    thisMonth,
    lastMonth,
    mtd,
    prev,
    pastDue,
    churnWindow: churnWindow(subs, thisMonth, prev),
  };
}

/**
 * The monthly revenue churn behind LTV: (contraction + churn) / start MRR over the last
 * BURN_MONTHS complete calendar months, summed in annual cents before dividing.
 * `lastMonth` is the first of them, already computed.
 */
function churnWindow(
  subs: readonly Subscription[],
  thisMonth: string,
  lastMonth: MrrMovements,
): RevenueFigures['churnWindow'] {
  let startAnnual = 0;
  let lostAnnual = 0;
  for (let i = 1; i <= BURN_MONTHS; i++) {
    const month = addMonths(thisMonth, -i);
    const m = i === 1 ? lastMonth : mrrMovements(subs, `${month}-01`, endOfMonth(month));
    startAnnual += m.annual.start;
    lostAnnual += m.annual.contraction + m.annual.churn;
  }
  return { startAnnual, lostAnnual };
}

/**
 * Cash: the closing balance of the latest month up to today's; burn: the average of the
 * last BURN_MONTHS complete months in the file (before today's month).
 */
export function cashFigures(cashflow: readonly CashflowMonth[], thisMonth: string): CashFigures {
  const months = [...cashflow]
    .filter((m) => m.month <= thisMonth)
    .sort((a, b) => a.month.localeCompare(b.month));
  const complete = months.filter((m) => m.month < thisMonth).slice(-BURN_MONTHS);
  const average = (of: (m: CashflowMonth) => number) =>
    complete.length > 0 ? Math.round(sumBy(complete, of) / complete.length) : null;
  const cashBalanceCents = months.at(-1)?.closing_balance_cents ?? null;
  const netBurnCents = average(netBurnOf);
  const lastMonth = addMonths(thisMonth, -1);
  const last = months.find((m) => m.month === lastMonth);
  const before = months.find((m) => m.month === addMonths(lastMonth, -1));
  const netBurnLastCents = last ? netBurnOf(last) : null;
  const netBurnBeforeCents = before ? netBurnOf(before) : null;
  return {
    last,
    complete,
    cashBalanceCents,
    grossBurnCents: average((m) => m.cash_out_cents),
    netBurnCents,
    // Not burning (net burn <= 0) means runway is not limited: reported as null.
    runwayMonths:
      cashBalanceCents !== null && netBurnCents !== null && netBurnCents > 0
        ? round(cashBalanceCents / netBurnCents, 1)
        : null,
    netBurnLastCents,
    netBurnBeforeCents,
    // Month over month only against a month that burned (a change on <= 0 means nothing).
    netBurnChangePct:
      netBurnLastCents !== null && netBurnBeforeCents !== null && netBurnBeforeCents > 0
        ? percent(netBurnLastCents - netBurnBeforeCents, netBurnBeforeCents, 2)
        : null,
  };
}

export interface GrossMargin {
  netRevenueCents: number;
  grossProfitCents: number;
  /** False without a month carrying both revenue and cost of revenue, or without revenue. */
  known: boolean;
  pct: number | null;
}

/**
 * Gross margin on net revenue (revenue - refunds) over the complete months that carry
 * both revenue and cost of revenue.
 */
export function grossMargin(complete: readonly CashflowMonth[]): GrossMargin {
  const months = complete.filter(
    (m) => m.revenue_cents !== undefined && m.cost_of_revenue_cents !== undefined,
  );
  const netRevenueCents = sumBy(months, (m) => (m.revenue_cents ?? 0) - (m.refunds_cents ?? 0));
  const grossProfitCents = netRevenueCents - sumBy(months, (m) => m.cost_of_revenue_cents ?? 0);
  const known = months.length > 0 && netRevenueCents > 0;
  return {
    netRevenueCents,
    grossProfitCents,
    known,
    pct: known ? percent(grossProfitCents, netRevenueCents, 2) : null,
  };
}

/**
 * LTV = ARPA x gross margin / monthly revenue churn, from the unrounded margin and churn:
 * arpa x (profit / revenue) / (lost / start) = arpa x profit x start / (revenue x lost).
 */
export function ltvCents(
  arpaCents: number | null,
  margin: GrossMargin,
  churn: RevenueFigures['churnWindow'],
): number | null {
  if (arpaCents === null || !margin.known || churn.lostAnnual <= 0) return null;
  return productRatioRound(
    [arpaCents, margin.grossProfitCents, churn.startAnnual],
    [margin.netRevenueCents, churn.lostAnnual],
  );
}

/** The movement metrics of one period, under `suffix`. */
export function movementMetrics(m: MrrMovements, suffix: string): Record<string, number | null> {
  const lost = m.cents.contraction + m.cents.churn;
  return {
    [`mrrStart${suffix}`]: centsToUnits(m.startMrrCents),
    [`mrrNew${suffix}`]: centsToUnits(m.cents.new),
    [`mrrExpansion${suffix}`]: centsToUnits(m.cents.expansion),
    [`mrrReactivation${suffix}`]: centsToUnits(m.cents.reactivation),
    [`mrrContraction${suffix}`]: centsToUnits(m.cents.contraction),
    [`mrrChurn${suffix}`]: centsToUnits(m.cents.churn),
    [`netNewMrr${suffix}`]: centsToUnits(m.netNewCents),
    [`mrrGrowthPct${suffix}`]: percent(m.netNewCents, m.startMrrCents, 2),
    [`grossMrrChurnPct${suffix}`]: percent(lost, m.startMrrCents, 2),
  };
}

/** Every finance metric, and the figures the alerts, tasks and health read. */
export function financeMetrics(
  input: FinanceData,
  ctx: Pick<AgentContext, 'today'>,
): FinanceFigures {
  const revenue = revenueFigures(input.subscriptions, ctx.today);
  const cash = cashFigures(input.cashflow, revenue.thisMonth);
  const { mtd, prev, pastDue, churnWindow } = revenue;
  const { last } = cash;
  const mrrCents = mtd.endMrrCents;
  const customers = mtd.endCustomers;
  const arpaCents = customers > 0 ? Math.round(mrrCents / customers) : null;
  const margin = grossMargin(cash.complete);
  const monthlyRevenueChurnPct = percent(churnWindow.lostAnnual, churnWindow.startAnnual, 2);
  const lostCents = mtd.cents.contraction + mtd.cents.churn;
  const metrics: Record<string, number | null> = {
    mrr: centsToUnits(mrrCents),
    arr: centsToUnits(mrrCents * 12),
    customers,
    arpa: units(arpaCents),
    ...movementMetrics(mtd, ''),
    newCustomers: mtd.customers.new,
    reactivatedCustomers: mtd.customers.reactivation,
    churnedCustomers: mtd.customers.churn,
    quickRatio: lostCents > 0 ? round((mtd.cents.new + mtd.cents.expansion) / lostCents, 2) : null,
    ...movementMetrics(prev, 'LastMonth'),
    monthlyRevenueChurnPct,
    pastDueMrr: centsToUnits(mrrCentsOf(sumBy(pastDue, annualCents))),
    cashBalance: units(cash.cashBalanceCents),
    grossBurn: units(cash.grossBurnCents),
    netBurn: units(cash.netBurnCents),
    runwayMonths: cash.runwayMonths,
    netBurnLastMonth: units(cash.netBurnLastCents),
    netBurnChangePct: cash.netBurnChangePct,
    revenueLastMonth:
      last?.revenue_cents !== undefined
        ? centsToUnits(last.revenue_cents - (last.refunds_cents ?? 0))
        : null,
    refundsLastMonth: last ? centsToUnits(last.refunds_cents ?? 0) : null,
    grossMarginPct: margin.pct,
    ltv: units(ltvCents(arpaCents, margin, churnWindow)),
  };
  return { ...revenue, ...cash, metrics, mrrCents, monthlyRevenueChurnPct, lostCents };
}
