/**
 * The sales recommendations: close the deals due soon, re-engage stalled ones, build
 * pipeline when coverage is short, review lost deals when the win rate declines.
 * Pure: the figures, alerts and thresholds in; money is written in the company's currency.
 */
import type { Deal } from '../../contract/datasets/sales.js';
import {
  QUARTER_PIPELINE_SUBJECT,
  subjectKey,
  type Alert,
  type TaskInput,
} from '../../contract/report.js';
import { addDays, daysBetween } from '../../shared/dates.js';
import { formatMoney, formatMoneyShort, type CurrencyCode } from '../../shared/money.js';
import { slug } from '../../shared/text.js';
import { accountNames } from './alerts.js';
import type { SalesFigures } from './metrics.js';
import type { SalesThresholds } from './settings.js';

/** At most this many recommendations of each kind (largest money first). */
export const MAX_TASKS_PER_KIND = 5;

const byMoney = (a: Deal, b: Deal) => b.amount_cents - a.amount_cents || a.id.localeCompare(b.id);

export function salesTasks(
  f: SalesFigures,
  alerts: readonly Alert[],
  t: SalesThresholds,
  currency?: CurrencyCode,
): TaskInput[] {
  const closing = dealsToClose(f, t);
  const closingIds = new Set(closing.map((d) => d.id));
  return [
    ...closing.map((d) => closeDealTask(d, f, currency)),
    ...[...f.stalled]
      .sort(byMoney)
      .slice(0, MAX_TASKS_PER_KIND)
      .filter((d) => !closingIds.has(d.id))
      .map((d) => reviveDealTask(d, f.today, currency)),
    ...buildPipelineTask(f, t, currency),
    ...(alerts.some((a) => a.id === 'sales.win-rate-declining')
      ? [reviewLostDealsTask(f, t, currency)]
      : []),
  ];
}

/** Deals in proposal or negotiation expected to close within the closing window, largest first. */
export function dealsToClose(f: SalesFigures, t: SalesThresholds): Deal[] {
  return f.open
    .filter((d) => d.stage === 'proposal' || d.stage === 'negotiation')
    .filter((d) => {
      const days = daysBetween(f.today, d.close_date);
      return days >= 0 && days <= t.closing_window_days;
    })
    .sort(byMoney)
    .slice(0, MAX_TASKS_PER_KIND);
}

function closeDealTask(d: Deal, f: SalesFigures, currency?: CurrencyCode): TaskInput {
  return {
    id: `sales.close-deal-${slug(d.id)}`,
    title: `Close ${d.account} deal (${formatMoneyShort(d.amount_cents, currency)} ARR)`,
    source: 'sales',
    subject: subjectKey('deal', d.account),
    reason: `${d.name}: ${d.stage}, ${f.probability(d)}% likely, expected to close ${d.close_date}; owner ${d.owner}.`,
    moneyAtStakeCents: d.amount_cents,
    deadline: d.close_date,
    energyDemand: 'high',
    tags: ['revenue', 'sales'],
  };
}

function reviveDealTask(d: Deal, today: string, currency?: CurrencyCode): TaskInput {
  return {
    id: `sales.revive-deal-${slug(d.id)}`,
    title: `Re-engage ${d.account} (${formatMoneyShort(d.amount_cents, currency)} ARR, idle ${daysBetween(d.last_activity_on, today)} days)`,
    source: 'sales',
    subject: subjectKey('deal', d.account),
    reason: `${d.name} (${d.stage}) has had no activity since ${d.last_activity_on}; owner ${d.owner}.`,
    moneyAtStakeCents: d.amount_cents,
    deadline: d.close_date >= today ? d.close_date : today,
    energyDemand: 'medium',
    tags: ['revenue', 'pipeline'],
  };
}

/** When coverage is below the warning: the pipeline to add (closing this quarter) to reach it. */
function buildPipelineTask(
  f: SalesFigures,
  t: SalesThresholds,
  currency?: CurrencyCode,
): TaskInput[] {
  const { pipelineCoverage, remainingCents, quarterPipelineCents, quarterEnd } = f.coverage;
  if (pipelineCoverage === null || remainingCents === null || quarterEnd === undefined) return [];
  if (pipelineCoverage >= t.pipeline_coverage_warning) return [];
  const gapCents = Math.max(
    0,
    Math.round(t.pipeline_coverage_warning * remainingCents) - quarterPipelineCents,
  );
  const inTwoWeeks = addDays(f.today, 14);
  return [
    {
      id: 'sales.build-pipeline',
      title: `Build ${formatMoneyShort(gapCents, currency)} of pipeline closing by ${quarterEnd}`,
      source: 'sales',
      subject: QUARTER_PIPELINE_SUBJECT,
      reason: `Coverage is ${pipelineCoverage}x of the ${formatMoney(remainingCents, currency)} left of the quarter's target; ${t.pipeline_coverage_warning}x needs ${formatMoney(gapCents, currency)} more pipeline expected to close by ${quarterEnd}.`,
      ...(gapCents > 0 ? { moneyAtStakeCents: gapCents } : {}),
      deadline: inTwoWeeks < quarterEnd ? inTwoWeeks : quarterEnd,
      energyDemand: 'high',
      tags: ['revenue', 'pipeline'],
    },
  ];
}

function reviewLostDealsTask(
  f: SalesFigures,
  t: SalesThresholds,
  currency?: CurrencyCode,
): TaskInput {
  const w = f.winRate;
  return {
    id: 'sales.review-lost-deals',
    title: `Review why deals are lost (win rate ${w.winRatePct}%, was ${w.winRatePreviousPct}%)`,
    source: 'sales',
    reason: `${w.current.lost.length} deals lost in the last ${t.win_rate_window_days} days (${formatMoney(w.lostCents, currency)} ARR): ${accountNames(w.current.lost)}.`,
    moneyAtStakeCents: w.lostCents,
    deadline: addDays(f.today, 14),
    energyDemand: 'medium',
    tags: ['revenue', 'sales'],
  };
}
