/**
 * Sales: the open pipeline from the CRM export, stalled deals, win rate and coverage of
 * the quarter's target. Formulas, units and thresholds: docs/metrics.md#sales.
 */
import { z } from 'zod';
import { defineAgent } from './agent.js';
import type { Alert, TaskInput } from './contract.js';
import {
  cents,
  centsToUnits,
  checkThreshold,
  daysBetween,
  decimal,
  formatMoney,
  formatMoneyShort,
  healthFromAlerts,
  integer,
  isoDate,
  oneOf,
  percent,
  round,
  rowsUniqueBy,
  settingsFile,
  slug,
  sumBy,
  text,
} from './fields.js';

export const DEAL_STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];
export const CLOSED_STAGES: readonly DealStage[] = ['won', 'lost'];

/** Default win probability per stage (percent); a deal's `probability` cell overrides it. */
export const STAGE_PROBABILITY: Record<DealStage, number> = {
  lead: 10,
  qualified: 25,
  proposal: 50,
  negotiation: 75,
  won: 100,
  lost: 0,
};

export const SALES_THRESHOLDS = {
  /** An open deal with no activity for at least this many days is stalled. */
  stalled_days: 14,
  /** More stalled deals than this: warning. */
  stalled_deals_max: 0,
  /** Pipeline coverage (open pipeline / remaining target) below this: warning. */
  pipeline_coverage_warning: 3,
  /** Pipeline coverage below this: critical. */
  pipeline_coverage_critical: 1,
  /** Open deals in proposal/negotiation closing within this many days get a "close" task. */
  closing_window_days: 14,
};

/** At most this many recommendations of each kind (largest money first). */
export const MAX_TASKS_PER_KIND = 5;

const Deal = z.object({
  id: text(),
  name: text(),
  account: text(),
  owner: text(),
  stage: oneOf(DEAL_STAGES),
  /** Annual contract value (ARR) in integer cents. */
  amount_cents: cents(),
  created_on: isoDate(),
  /** Expected close date (open deals) or actual close date (won/lost). */
  close_date: isoDate(),
  last_activity_on: isoDate(),
  /** Win probability in percent; empty = the stage default. */
  probability: integer({ min: 0, max: 100 }).optional(),
  /** Delivery (onboarding/implementation) hours the deal needs once won. */
  delivery_hours: decimal({ min: 0 }).optional(),
});
export type Deal = z.output<typeof Deal>;

/**
 * The sales agent reads only the `quarter` block of company.yaml (other keys are the
 * CEO step's and are ignored here).
 */
const CompanyQuarter = z.preprocess(
  (v) => (v === null ? undefined : v),
  z
    .looseObject({
      quarter: z
        .looseObject({
          start: isoDate(),
          end: isoDate(),
          revenue_target_cents: cents().optional(),
        })
        .optional(),
    })
    .optional(),
);

export const SalesInput = z.object({
  deals: rowsUniqueBy(Deal, 'id'),
  company: CompanyQuarter,
  settings: settingsFile(SALES_THRESHOLDS),
});
export type SalesInput = z.output<typeof SalesInput>;

export function dealProbability(d: Pick<Deal, 'stage' | 'probability'>): number {
  return d.probability ?? STAGE_PROBABILITY[d.stage];
}

export const salesAgent = defineAgent({
  name: 'sales',
  title: 'Sales',
  datasets: {
    deals: { file: 'deals.csv', format: 'csv' },
    company: { file: 'company.yaml', format: 'yaml', optional: true },
    settings: { file: 'sales.yaml', format: 'yaml', optional: true },
  },
  input: SalesInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;
    const quarter = input.company?.quarter;

    const open = input.deals.filter((d) => !CLOSED_STAGES.includes(d.stage));
    const won = input.deals.filter((d) => d.stage === 'won');
    const lost = input.deals.filter((d) => d.stage === 'lost');
    const daysIdle = (d: Deal) => daysBetween(d.last_activity_on, today);
    const stalled = open.filter((d) => daysIdle(d) >= t.stalled_days);

    const pipelineCents = sumBy(open, (d) => d.amount_cents);
    // Sum amount x probability (percent) first, divide by 100 and round once.
    const weightedCents = Math.round(sumBy(open, (d) => d.amount_cents * dealProbability(d)) / 100);
    const weightedDeliveryHours = round(
      sumBy(open, (d) => ((d.delivery_hours ?? 0) * dealProbability(d)) / 100),
      1,
    );

    const inQuarter = (d: Deal) =>
      quarter !== undefined && d.close_date >= quarter.start && d.close_date <= quarter.end;
    const wonQuarterCents = sumBy(won.filter(inQuarter), (d) => d.amount_cents);
    const targetCents = quarter?.revenue_target_cents;
    const remainingCents =
      targetCents === undefined ? null : Math.max(0, targetCents - wonQuarterCents);
    const pipelineCoverage =
      remainingCents === null || remainingCents === 0
        ? null
        : round(pipelineCents / remainingCents, 2);

    const metrics = {
      openDeals: open.length,
      pipelineValue: centsToUnits(pipelineCents),
      weightedPipeline: centsToUnits(weightedCents),
      stalledDeals: stalled.length,
      winRate: percent(won.length, won.length + lost.length),
      wonThisQuarter: quarter === undefined ? null : centsToUnits(wonQuarterCents),
      remainingTarget: remainingCents === null ? null : centsToUnits(remainingCents),
      pipelineCoverage,
      weightedDeliveryHours,
    };

    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'sales.stalled-deals',
        metric: 'stalledDeals',
        value: stalled.length,
        op: '>',
        warning: t.stalled_deals_max,
        message: (v) =>
          `${v} open deal${v === 1 ? '' : 's'} with no activity for ${t.stalled_days}+ days (${formatMoney(sumBy(stalled, (d) => d.amount_cents))} ARR)`,
      }),
      ...checkThreshold({
        id: 'sales.pipeline-coverage-low',
        metric: 'pipelineCoverage',
        value: pipelineCoverage,
        op: '<',
        warning: t.pipeline_coverage_warning,
        critical: t.pipeline_coverage_critical,
        message: (v, th) =>
          `Pipeline covers ${v}x of the ${formatMoney(remainingCents ?? 0)} still to close this quarter, below ${th}x`,
      }),
    ];

    const byMoney = (a: Deal, b: Deal) =>
      b.amount_cents - a.amount_cents || a.id.localeCompare(b.id);
    const closing = open
      .filter((d) => d.stage === 'proposal' || d.stage === 'negotiation')
      .filter((d) => {
        const days = daysBetween(today, d.close_date);
        return days >= 0 && days <= t.closing_window_days;
      })
      .sort(byMoney)
      .slice(0, MAX_TASKS_PER_KIND);
    const recommendations: TaskInput[] = closing.map((d) => ({
      id: `sales.close-deal-${slug(d.id)}`,
      title: `Close ${d.account} deal (${formatMoneyShort(d.amount_cents)} ARR)`,
      source: 'sales',
      reason: `${d.name}: ${d.stage}, ${dealProbability(d)}% likely, expected to close ${d.close_date}; owner ${d.owner}.`,
      moneyAtStakeCents: d.amount_cents,
      deadline: d.close_date,
      energyDemand: 'high',
      tags: ['revenue', 'sales'],
    }));
    const closingIds = new Set(closing.map((d) => d.id));
    for (const d of [...stalled].sort(byMoney).slice(0, MAX_TASKS_PER_KIND)) {
      if (closingIds.has(d.id)) continue;
      recommendations.push({
        id: `sales.revive-deal-${slug(d.id)}`,
        title: `Re-engage ${d.account} (${formatMoneyShort(d.amount_cents)} ARR, idle ${daysIdle(d)} days)`,
        source: 'sales',
        reason: `${d.name} (${d.stage}) has had no activity since ${d.last_activity_on}; owner ${d.owner}.`,
        moneyAtStakeCents: d.amount_cents,
        deadline: d.close_date >= today ? d.close_date : today,
        energyDemand: 'medium',
        tags: ['revenue', 'pipeline'],
      });
    }

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Pipeline healthy: ${open.length} open deals worth ${formatMoney(pipelineCents)}, none stalled`,
    );
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics,
      alerts,
      recommendations,
      health,
      healthReason,
    };
  },
});
