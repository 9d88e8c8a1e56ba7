/**
 * The sales alerts: coverage of the quarter's target, stalled high-value deals, a
 * declining win rate (warning or critical) and stalled deals of any size (info).
 * Pure: the figures and thresholds in; money is written in the company's currency.
 */
import type { Deal } from '../../contract/datasets/sales.js';
import { QUARTER_PIPELINE_SUBJECT, subjectKey, type Alert } from '../../contract/report.js';
import { formatMoney, type CurrencyCode } from '../../shared/money.js';
import { sumBy } from '../../shared/numbers.js';
import { checkThreshold } from '../thresholds.js';
import type { SalesFigures } from './metrics.js';
import type { SalesThresholds } from './settings.js';

/** The accounts of `deals`, comma separated. */
export function accountNames(deals: readonly Deal[]): string {
  return deals.map((d) => d.account).join(', ');
}

const arrCents = (deals: readonly Deal[]) => sumBy(deals, (d) => d.amount_cents);

/** The alerts, each about `subject` when there is one (a task on the subject explains them). */
const about = (alerts: Alert[], subject: string | undefined): Alert[] =>
  subject === undefined ? alerts : alerts.map((a) => ({ ...a, subject }));

export function salesAlerts(f: SalesFigures, t: SalesThresholds, currency?: CurrencyCode): Alert[] {
  const money = (cents: number) => formatMoney(cents, currency);
  const { coverage, winRate } = f;
  const [onlyStalled, ...moreStalled] = f.stalledHighValue;
  return [
    ...about(
      checkThreshold({
        id: 'sales.pipeline-coverage-low',
        metric: 'pipelineCoverage',
        value: coverage.pipelineCoverage,
        op: '<',
        warning: t.pipeline_coverage_warning,
        critical: t.pipeline_coverage_critical,
        message: (v, th) =>
          `Pipeline closing this quarter (${money(coverage.quarterPipelineCents)}) covers ${v}x of the ${money(coverage.remainingCents ?? 0)} still to book, below ${th}x`,
      }),
      QUARTER_PIPELINE_SUBJECT,
    ),
    ...about(
      checkThreshold({
        id: 'sales.stalled-high-value',
        metric: 'stalledHighValueDeals',
        value: f.stalledHighValue.length,
        op: '>',
        warning: t.stalled_high_value_deals_max,
        message: (v) =>
          `${v} deal${v === 1 ? '' : 's'} of ${money(f.highValueCents)}+ ARR idle for ${t.stalled_days}+ days: ${accountNames(f.stalledHighValue)} (${money(arrCents(f.stalledHighValue))} ARR)`,
      }),
      onlyStalled && moreStalled.length === 0 ? subjectKey('deal', onlyStalled.account) : undefined,
    ),
    ...winRateAlert(winRate, t),
    ...stalledDealsInfo(f.stalled, t, money),
  ];
}

/** Only when both windows hold enough closed deals for the change to mean something. */
function winRateAlert(w: SalesFigures['winRate'], t: SalesThresholds): Alert[] {
  const sampleOk =
    w.current.closed >= t.win_rate_min_closed_deals &&
    w.previous.closed >= t.win_rate_min_closed_deals;
  if (!sampleOk) return [];
  return checkThreshold({
    id: 'sales.win-rate-declining',
    metric: 'winRateChangePts',
    value: w.winRateChangePts,
    op: '<',
    warning: t.win_rate_change_warning_pts,
    critical: t.win_rate_change_critical_pts,
    message: (v, th) =>
      `Win rate fell ${-v} points to ${w.winRatePct}% over the last ${t.win_rate_window_days} days (${w.current.won.length} won of ${w.current.closed}) from ${w.winRatePreviousPct}% (${w.previous.won.length} of ${w.previous.closed}), beyond ${th} points`,
  });
}

/**
 * Info (checkThreshold knows warning and critical only): the high-value ones raise
 * their own warning above.
 */
function stalledDealsInfo(
  stalled: readonly Deal[],
  t: SalesThresholds,
  money: (cents: number) => string,
): Alert[] {
  if (stalled.length <= t.stalled_deals_max) return [];
  return [
    {
      id: 'sales.stalled-deals',
      severity: 'info',
      message: `${stalled.length} open deal${stalled.length === 1 ? '' : 's'} with no activity for ${t.stalled_days}+ days (${money(arrCents(stalled))} ARR)`,
      metric: 'stalledDeals',
      value: stalled.length,
      threshold: t.stalled_deals_max,
    },
  ];
}
