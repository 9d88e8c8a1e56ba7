/**
 * The sales figures: pipeline (open, weighted, by stage), conversion and time in stage,
 * win rate and its trend with deal size, cycle and velocity, coverage of the quarter's
 * target, closing soon, overdue and stalled deals. Pure: input and context in, the
 * metrics record plus the values the alerts and tasks need out.
 * Formulas and units: docs/metrics.md#sales.
 */
import {
  CLOSED_STAGES,
  OPEN_STAGES,
  type Deal,
  type StageEntry,
} from '../../contract/datasets/sales.js';
import type { AgentContext, Metrics } from '../../contract/report.js';
import { addDays, daysBetween, endOfMonth, monthOf } from '../../shared/dates.js';
import { valueDaysAgo } from '../../shared/history.js';
import { centsToUnits } from '../../shared/money.js';
import { percent, round, sumBy } from '../../shared/numbers.js';
import type { SalesInput } from './input.js';
import type { SalesThresholds } from './settings.js';
import { averageDaysInStage, dealProbability, stageConversions, stagePaths } from './stages.js';

/** Won and lost deals closed within one window of days. */
export interface ClosedDeals {
  won: Deal[];
  lost: Deal[];
  closed: number;
}

export interface WinRateFigures {
  current: ClosedDeals;
  /** The window of the same length just before `current`. */
  previous: ClosedDeals;
  /** Rounded to 1 decimal; null without closed deals. */
  winRatePct: number | null;
  winRatePreviousPct: number | null;
  winRateChangePts: number | null;
  wonCents: number;
  lostCents: number;
  /** Sum of the won deals' cycles (created to closed), in days. */
  cycleDays: number;
  velocityCents: number | null;
}

export interface QuarterCoverage {
  /** The quarter's last day; undefined without a quarter in company.yaml. */
  quarterEnd: string | undefined;
  wonQuarterCents: number;
  /** Open deals expected to close by the quarter's end (overdue ones included). */
  quarterPipelineCents: number;
  /** What is left of the target; null without a target. */
  remainingCents: number | null;
  pipelineCoverage: number | null;
}

/** The metrics and what the alert and task steps read besides them. */
export interface SalesFigures {
  metrics: Metrics;
  today: string;
  /** A deal's win probability with the configured stage defaults. */
  probability: (d: Deal) => number;
  open: Deal[];
  pipelineCents: number;
  stalled: Deal[];
  stalledHighValue: Deal[];
  /** `high_value_deal_min` in cents. */
  highValueCents: number;
  winRate: WinRateFigures;
  coverage: QuarterCoverage;
}

export function salesMetrics(input: SalesInput, ctx: AgentContext): SalesFigures {
  const t = input.settings.thresholds;
  const today = ctx.today;
  const probabilities = input.settings.stageProbabilities;
  const probability = (d: Deal) => dealProbability(d, probabilities);
  const open = input.deals.filter((d) => !CLOSED_STAGES.includes(d.stage));
  const stale = stalledDeals(open, today, t);
  const pipeline = pipelineFigures(open, probability);
  const winRate = winRateFigures(input.deals, open.length, today, t.win_rate_window_days);
  const coverage = quarterCoverage(input.deals, open, input.company?.quarter);
  const closing = closingSoon(open, today);
  const quarterValue = (cents: number) =>
    coverage.quarterEnd === undefined ? null : centsToUnits(cents);
  const nWon = winRate.current.won.length;
  const metrics: Metrics = {
    openDeals: open.length,
    pipelineValue: centsToUnits(pipeline.pipelineCents),
    weightedPipeline: centsToUnits(pipeline.weightedCents),
    pipelineValueChangePct: pipelineChangePct(ctx, pipeline.pipelineCents),
    ...pipeline.byStage,
    ...stageMetrics(input.deals, input.stageHistory),
    wonDeals: nWon,
    lostDeals: winRate.current.lost.length,
    // The sample behind the win rates: the win-rate alert (and the CEO's
    // win-rate-and-cac-worsening risk) need `win_rate_min_closed_deals` in each window.
    closedDeals: winRate.current.closed,
    closedDealsPrevious: winRate.previous.closed,
    wonValue: centsToUnits(winRate.wonCents),
    winRatePct: winRate.winRatePct,
    winRatePreviousPct: winRate.winRatePreviousPct,
    winRateChangePts: winRate.winRateChangePts,
    avgDealSize: nWon === 0 ? null : centsToUnits(Math.round(winRate.wonCents / nWon)),
    avgSalesCycleDays: nWon === 0 ? null : round(winRate.cycleDays / nWon, 1),
    salesVelocityPerDay:
      winRate.velocityCents === null ? null : centsToUnits(winRate.velocityCents),
    pipelineThisQuarter: quarterValue(coverage.quarterPipelineCents),
    wonThisQuarter: quarterValue(coverage.wonQuarterCents),
    remainingTarget:
      coverage.remainingCents === null ? null : centsToUnits(coverage.remainingCents),
    pipelineCoverage: coverage.pipelineCoverage,
    ...closing,
    stalledDeals: stale.stalled.length,
    stalledValue: centsToUnits(sumBy(stale.stalled, (d) => d.amount_cents)),
    stalledHighValueDeals: stale.stalledHighValue.length,
    weightedDeliveryHours: pipeline.weightedDeliveryHours,
  };
  return {
    metrics,
    today,
    probability,
    open,
    pipelineCents: pipeline.pipelineCents,
    ...stale,
    winRate,
    coverage,
  };
}

/** Open deals idle for `stalled_days` or more, and those of them at the high-value floor. */
export function stalledDeals(
  open: readonly Deal[],
  today: string,
  t: Pick<SalesThresholds, 'stalled_days' | 'high_value_deal_min'>,
) {
  const stalled = open.filter((d) => daysBetween(d.last_activity_on, today) >= t.stalled_days);
  const highValueCents = Math.round(t.high_value_deal_min * 100);
  const stalledHighValue = stalled.filter((d) => d.amount_cents >= highValueCents);
  return { stalled, stalledHighValue, highValueCents };
}

/** Open and weighted pipeline, deals and value by open stage, weighted delivery hours. */
export function pipelineFigures(open: readonly Deal[], probability: (d: Deal) => number) {
  // Weighted: sum amount x probability (percent) first, divide and round once.
  const weightedCents = Math.round(sumBy(open, (d) => d.amount_cents * probability(d)) / 100);
  const byStage: Metrics = Object.fromEntries(
    OPEN_STAGES.flatMap((s) => {
      const inStage = open.filter((d) => d.stage === s);
      return [
        [`dealsByStage.${s}`, inStage.length],
        [`valueByStage.${s}`, centsToUnits(sumBy(inStage, (d) => d.amount_cents))],
      ];
    }),
  );
  return {
    pipelineCents: sumBy(open, (d) => d.amount_cents),
    weightedCents,
    weightedDeliveryHours: round(
      sumBy(open, (d) => ((d.delivery_hours ?? 0) * probability(d)) / 100),
      1,
    ),
    byStage,
  };
}

/** Stage-to-stage conversion and average days in each open stage, as metric keys. */
export function stageMetrics(deals: readonly Deal[], history: readonly StageEntry[]): Metrics {
  const paths = stagePaths(deals, history);
  const daysInStage = averageDaysInStage(paths);
  return Object.fromEntries([
    ...stageConversions(deals, paths).map((c) => [`conversionPct.${c.from}_to_${c.to}`, c.pct]),
    ...OPEN_STAGES.map((s) => [`avgDaysInStage.${s}`, daysInStage[s]]),
  ]);
}

/** Won and lost deals closed within `from..to` (inclusive). */
function closedBetween(deals: readonly Deal[], from: string, to: string): ClosedDeals {
  const inWindow = (d: Deal) => d.close_date >= from && d.close_date <= to;
  const won = deals.filter((d) => d.stage === 'won' && inWindow(d));
  const lost = deals.filter((d) => d.stage === 'lost' && inWindow(d));
  return { won, lost, closed: won.length + lost.length };
}

/** Unrounded win rate as a fraction, or null without closed deals. */
function winFraction(w: ClosedDeals): number | null {
  return w.closed === 0 ? null : w.won.length / w.closed;
}

/**
 * Win rate, deal size, cycle and velocity over the `windowDays` ending today, and the
 * win rate of the window before it (both from close dates in the data).
 */
export function winRateFigures(
  deals: readonly Deal[],
  openDeals: number,
  today: string,
  windowDays: number,
): WinRateFigures {
  const w = windowDays;
  const current = closedBetween(deals, addDays(today, -(w - 1)), today);
  const previous = closedBetween(deals, addDays(today, -(2 * w - 1)), addDays(today, -w));
  const winNow = winFraction(current);
  const winBefore = winFraction(previous);
  const wonCents = sumBy(current.won, (d) => d.amount_cents);
  const cycleDays = sumBy(current.won, (d) => daysBetween(d.created_on, d.close_date));
  const nWon = current.won.length;
  // velocity = open x (wonCents / nWon) x (nWon / closed) / (cycleDays / nWon)
  //          = open x wonCents x nWon / (closed x cycleDays), rounded once to the cent.
  const velocityCents =
    nWon === 0 || cycleDays <= 0
      ? null
      : Math.round((openDeals * wonCents * nWon) / (current.closed * cycleDays));
  return {
    current,
    previous,
    winRatePct: winNow === null ? null : round(100 * winNow, 1),
    winRatePreviousPct: winBefore === null ? null : round(100 * winBefore, 1),
    winRateChangePts:
      winNow === null || winBefore === null ? null : round(100 * (winNow - winBefore), 1),
    wonCents,
    lostCents: sumBy(current.lost, (d) => d.amount_cents),
    cycleDays,
    velocityCents,
  };
}

/**
 * Coverage of what is left of the quarter's target by the open deals expected to
 * close by the quarter's end (overdue ones included).
 */
export function quarterCoverage(
  deals: readonly Deal[],
  open: readonly Deal[],
  quarter: { start: string; end: string; revenue_target_cents?: number } | undefined,
): QuarterCoverage {
  const inQuarter = (d: Deal) =>
    quarter !== undefined && d.close_date >= quarter.start && d.close_date <= quarter.end;
  const wonQuarterCents = sumBy(
    deals.filter((d) => d.stage === 'won' && inQuarter(d)),
    (d) => d.amount_cents,
  );
  const quarterOpen = quarter === undefined ? [] : open.filter((d) => d.close_date <= quarter.end);
  const quarterPipelineCents = sumBy(quarterOpen, (d) => d.amount_cents);
  const targetCents = quarter?.revenue_target_cents;
  const remainingCents =
    targetCents === undefined ? null : Math.max(0, targetCents - wonQuarterCents);
  return {
    quarterEnd: quarter?.end,
    wonQuarterCents,
    quarterPipelineCents,
    remainingCents,
    pipelineCoverage:
      remainingCents === null || remainingCents === 0
        ? null
        : round(quarterPipelineCents / remainingCents, 2),
  };
}

/** Deals closing in the 7 days starting today and from today to the month's end; overdue deals. */
export function closingSoon(open: readonly Deal[], today: string): Metrics {
  const closingBy = (end: string) =>
    open.filter((d) => d.close_date >= today && d.close_date <= end);
  const closingWeek = closingBy(addDays(today, 6));
  const closingMonth = closingBy(endOfMonth(monthOf(today)));
  return {
    closingThisWeek: closingWeek.length,
    closingThisWeekValue: centsToUnits(sumBy(closingWeek, (d) => d.amount_cents)),
    closingThisMonth: closingMonth.length,
    closingThisMonthValue: centsToUnits(sumBy(closingMonth, (d) => d.amount_cents)),
    overdueDeals: open.filter((d) => d.close_date < today).length,
  };
}

/**
 * Change of the open pipeline on the stored run ~30 days ago, in percent: a snapshot
 * figure the data cannot rebuild. Null without a usable earlier value.
 */
export function pipelineChangePct(
  ctx: Pick<AgentContext, 'history' | 'today'>,
  pipelineCents: number,
): number | null {
  const before = valueDaysAgo(ctx.history, 'pipelineValue', ctx.today, 30);
  return before === undefined || before === null || before === 0
    ? null
    : percent(centsToUnits(pipelineCents) - before, before);
}
