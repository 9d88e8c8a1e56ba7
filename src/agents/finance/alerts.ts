/**
 * Finance alert rules: runway, net new MRR, a burn increase, a churn spike and past-due
 * MRR, each against its threshold. Pure.
 */
import type { Alert } from '../../contract/report.js';
import { formatMoney, type CurrencyCode } from '../../shared/money.js';
import { round } from '../../shared/numbers.js';
import { checkThreshold } from '../thresholds.js';
import type { FinanceFigures } from './metrics.js';
import type { FinanceThresholds } from './settings.js';

/** The churn-spike threshold: `factor` x the window's average, at least `min_pct`. */
export function churnSpikeThreshold(f: FinanceFigures, t: FinanceThresholds): number {
  return round(
    Math.max(t.churn_spike_min_pct, t.churn_spike_factor * (f.monthlyRevenueChurnPct ?? 0)),
    2,
  );
}

/** Amounts in messages are written in `currency` (@default 'USD'). */
export function financeAlerts(
  f: FinanceFigures,
  t: FinanceThresholds,
  currency?: CurrencyCode,
): Alert[] {
  const money = (c: number) => formatMoney(c, currency);
  const { mtd, metrics } = f;
  return [
    ...checkThreshold({
      id: 'finance.runway-low',
      metric: 'runwayMonths',
      value: f.runwayMonths,
      op: '<',
      warning: t.runway_months_warning,
      critical: t.runway_months_critical,
      message: (v, th) => `Runway is ${v} months, below ${th} months`,
    }),
    ...checkThreshold({
      id: 'finance.net-new-mrr-negative',
      metric: 'netNewMrr',
      value: metrics.netNewMrr ?? null,
      op: '<',
      warning: t.net_new_mrr_min,
      message: (_v, th) =>
        `Net new MRR this month is ${money(mtd.netNewCents)} (new ${money(mtd.cents.new)}, expansion ${money(mtd.cents.expansion)}, reactivation ${money(mtd.cents.reactivation)}, contraction ${money(mtd.cents.contraction)}, churn ${money(mtd.cents.churn)}), below ${money(th * 100)}`,
    }),
    ...checkThreshold({
      id: 'finance.burn-increase',
      metric: 'netBurnChangePct',
      value: f.netBurnChangePct,
      op: '>',
      warning: t.burn_increase_pct_warning,
      critical: t.burn_increase_pct_critical,
      message: (v, th) =>
        `Net burn rose ${v}% in ${f.lastMonth} (${money(f.netBurnBeforeCents ?? 0)} to ${money(f.netBurnLastCents ?? 0)}), above ${th}%`,
    }),
    ...checkThreshold({
      id: 'finance.churn-spike',
      metric: 'grossMrrChurnPct',
      value: metrics.grossMrrChurnPct ?? null,
      op: '>',
      warning: churnSpikeThreshold(f, t),
      message: (v, th) =>
        `Gross MRR churn this month is ${v}% (${money(f.lostCents)} of ${money(mtd.startMrrCents)}), above ${th}% (${t.churn_spike_factor}x the 3-month average of ${f.monthlyRevenueChurnPct ?? 0}%, at least ${t.churn_spike_min_pct}%)`,
    }),
    ...checkThreshold({
      id: 'finance.past-due-mrr',
      metric: 'pastDueMrr',
      value: metrics.pastDueMrr ?? null,
      op: '>',
      warning: t.past_due_mrr_max,
      message: (v, th) =>
        `${money(v * 100)} MRR is past due (${f.pastDue.length} subscriptions), above ${money(th * 100)}`,
    }),
  ];
}
