/**
 * Sales: the CRM pipeline report. Open and weighted pipeline, deals and value by stage,
 * stage-to-stage conversion and time in stage (from the stage history), win rate with
 * its trend, average deal size and sales cycle, sales velocity, coverage of the
 * quarter's target, deals closing soon, overdue and stalled deals.
 * Formulas, units and thresholds: docs/metrics.md#sales.
 */
import {
  CLOSED_STAGES,
  DEAL_STAGES,
  OPEN_STAGES,
  type DealStage,
  type OpenStage,
} from '../contract/datasets/sales.js';
import { z } from 'zod';
import { defineAgent } from '../contract/agent.js';
import type { Alert, TaskInput } from '../contract/report.js';
import { valueDaysAgo } from '../shared/history.js';
import { addDays, daysBetween, endOfMonth, monthOf } from '../shared/dates.js';
import {
  cents,
  decimal,
  integer,
  isoDate,
  oneOf,
  rowsUniqueBy,
  settingsFile,
  text,
} from '../contract/fields.js';
import { centsToUnits, formatMoney, formatMoneyShort } from '../shared/money.js';
import { checkThreshold, healthFromAlerts } from './thresholds.js';
import { percent, round, sumBy } from '../shared/numbers.js';
import { slug } from '../shared/text.js';

/**
 * Default win probability per stage (percent). The open stages can be overridden in
 * sales.yaml (`stage_probabilities:`); a deal's `probability` cell overrides both.
 */
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
  /** More stalled deals (of any size) than this: info. */
  stalled_deals_max: 0,
  /** A deal is high-value at this ARR or more (currency units). */
  high_value_deal_min: 10000,
  /** More stalled high-value deals than this: warning. */
  stalled_high_value_deals_max: 0,
  /** Pipeline coverage (this quarter's open pipeline / remaining target) below this: warning. */
  pipeline_coverage_warning: 3,
  /** Pipeline coverage below this: critical. */
  pipeline_coverage_critical: 1,
  /** Open deals in proposal/negotiation closing within this many days get a "close" task. */
  closing_window_days: 14,
  /** Win rate, deal size, cycle and velocity use deals closed in the last this many days. */
  win_rate_window_days: 90,
  /** Win rate change (percentage points) on the previous window below this: warning. */
  win_rate_change_warning_pts: -10,
  /** Win rate change below this: critical. */
  win_rate_change_critical_pts: -25,
  /** The win-rate alert needs at least this many closed deals in each window. */
  win_rate_min_closed_deals: 4,
};

/** At most this many recommendations of each kind (largest money first). */
export const MAX_TASKS_PER_KIND = 5;

const nullToUndefined = (v: unknown) => (v === null ? undefined : v);

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

/** One row of deal_stage_history.csv: the day a deal entered a stage. */
const StageEntry = z.object({
  deal_id: text(),
  stage: oneOf(DEAL_STAGES),
  entered_on: isoDate(),
});
export type StageEntry = z.output<typeof StageEntry>;

/**
 * The sales agent reads only the `quarter` block of company.yaml (other keys are the
 * CEO step's and are ignored here).
 */
const CompanyQuarter = z.preprocess(
  nullToUndefined,
  z
    .looseObject({
      quarter: z
        .looseObject({
          start: isoDate(),
          end: isoDate(),
          revenue_target_cents: cents().optional(),
        })
        .refine((q) => q.end >= q.start, {
          path: ['end'],
          message: 'quarter.end must not be before quarter.start',
        })
        .optional(),
    })
    .optional(),
);

const probabilityCell = () => integer({ min: 0, max: 100 }).optional();

/** sales.yaml: `thresholds:` (the shared pattern) plus optional `stage_probabilities:`. */
const SalesSettings = z
  .intersection(
    settingsFile(SALES_THRESHOLDS),
    z.preprocess(
      (v) => v ?? {},
      z.object({
        stage_probabilities: z.preprocess(
          nullToUndefined,
          z
            .strictObject({
              lead: probabilityCell(),
              qualified: probabilityCell(),
              proposal: probabilityCell(),
              negotiation: probabilityCell(),
            })
            .optional(),
        ),
      }),
    ),
  )
  .superRefine((s, ctx) => {
    const days = ['stalled_days', 'closing_window_days', 'win_rate_window_days'] as const;
    for (const key of days) {
      const v = s.thresholds[key];
      if (!Number.isInteger(v) || v < (key === 'win_rate_window_days' ? 1 : 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', key],
          message: `expected a whole number of days${key === 'win_rate_window_days' ? ' >= 1' : ' >= 0'}, got ${v}`,
        });
      }
    }
  })
  .transform((s) => ({
    thresholds: s.thresholds,
    stageProbabilities: { ...STAGE_PROBABILITY, ...definedOnly(s.stage_probabilities ?? {}) },
  }))
  // A missing sales.yaml (undefined) parses as an empty one: every default.
  .prefault({});

function definedOnly<T extends Record<string, number | undefined>>(o: T): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<
    string,
    number
  >;
}

export const SalesInput = z
  .object({
    deals: rowsUniqueBy(Deal, 'id'),
    stageHistory: z.array(StageEntry).default([]),
    company: CompanyQuarter,
    settings: SalesSettings,
  })
  .superRefine((input, ctx) => {
    // Every history row names a deal of deals.csv, and a deal enters a stage once.
    const ids = new Set(input.deals.map((d) => d.id));
    const seen = new Map<string, number>();
    input.stageHistory.forEach((h, i) => {
      if (!ids.has(h.deal_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['stageHistory', i, 'deal_id'],
          message: `unknown deal ${JSON.stringify(h.deal_id)} (not in deals.csv)`,
        });
      }
      const key = `${h.deal_id}\u0000${h.stage}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['stageHistory', i, 'stage'],
          message: `deal ${h.deal_id} enters stage ${h.stage} twice (also on data row ${first + 1})`,
        });
      } else {
        seen.set(key, i);
      }
    });
  });
export type SalesInput = z.output<typeof SalesInput>;

/** A deal's win probability in percent: its own cell, else the (configured) stage default. */
export function dealProbability(
  d: Pick<Deal, 'stage' | 'probability'>,
  stageProbabilities: Record<DealStage, number> = STAGE_PROBABILITY,
): number {
  return d.probability ?? stageProbabilities[d.stage];
}

const STAGE_INDEX: Record<DealStage, number> = {
  lead: 0,
  qualified: 1,
  proposal: 2,
  negotiation: 3,
  won: 4,
  lost: 5,
};

/**
 * A deal's stage path, oldest first: its history rows sorted by date (ties in stage
 * order), plus, for a closed deal whose history lacks its final stage, that stage on
 * the close date.
 */
export function stagePath(deal: Deal, rows: readonly StageEntry[]): StageEntry[] {
  const path = [...rows].sort(
    (a, b) =>
      a.entered_on.localeCompare(b.entered_on) || STAGE_INDEX[a.stage] - STAGE_INDEX[b.stage],
  );
  if (CLOSED_STAGES.includes(deal.stage) && !path.some((r) => r.stage === deal.stage)) {
    path.push({ deal_id: deal.id, stage: deal.stage, entered_on: deal.close_date });
  }
  return path;
}

export interface StageConversion {
  from: OpenStage;
  to: DealStage;
  /** Deals that reached `from` and then any later stage (won included). */
  advanced: number;
  /** `advanced` + deals lost while at `from`; deals still sitting in `from` are undecided. */
  resolved: number;
  pct: number | null;
}

/**
 * Stage-to-stage conversion over every deal in the file: of the deals that reached a
 * stage and have left it (moved on, or were lost there), the share that moved on.
 */
export function stageConversions(
  deals: readonly Deal[],
  paths: ReadonlyMap<string, readonly StageEntry[]>,
): StageConversion[] {
  return OPEN_STAGES.map((from, i) => {
    let advanced = 0;
    let resolved = 0;
    for (const d of deals) {
      const reached = new Set<DealStage>([d.stage, ...(paths.get(d.id) ?? []).map((r) => r.stage)]);
      if (!reached.has(from)) continue;
      const movedOn = [...reached].some((s) => s !== 'lost' && STAGE_INDEX[s] > i);
      if (movedOn) {
        advanced++;
        resolved++;
      } else if (d.stage === 'lost') {
        resolved++;
      }
    }
    return {
      from,
      to: i + 1 < OPEN_STAGES.length ? OPEN_STAGES[i + 1]! : 'won',
      advanced,
      resolved,
      pct: percent(advanced, resolved),
    };
  });
}

/**
 * Average whole days spent in each open stage, over the deals that left it: from
 * entering the stage to entering the next stage on the deal's path.
 */
export function averageDaysInStage(
  paths: ReadonlyMap<string, readonly StageEntry[]>,
): Record<OpenStage, number | null> {
  const acc = Object.fromEntries(OPEN_STAGES.map((s) => [s, { days: 0, n: 0 }])) as Record<
    OpenStage,
    { days: number; n: number }
  >;
  for (const path of paths.values()) {
    for (let i = 0; i + 1 < path.length; i++) {
      const stage = path[i]!.stage;
      if (stage === 'won' || stage === 'lost') continue;
      acc[stage].days += daysBetween(path[i]!.entered_on, path[i + 1]!.entered_on);
      acc[stage].n++;
    }
  }
  return Object.fromEntries(
    OPEN_STAGES.map((s) => [s, acc[s].n === 0 ? null : round(acc[s].days / acc[s].n, 1)]),
  ) as Record<OpenStage, number | null>;
}

/** Won and lost deals closed within `from..to` (inclusive). */
function closedBetween(deals: readonly Deal[], from: string, to: string) {
  const inWindow = (d: Deal) => d.close_date >= from && d.close_date <= to;
  const won = deals.filter((d) => d.stage === 'won' && inWindow(d));
  const lost = deals.filter((d) => d.stage === 'lost' && inWindow(d));
  return { won, lost, closed: won.length + lost.length };
}

/** Unrounded win rate as a fraction, or null without closed deals. */
function winFraction(w: { won: readonly Deal[]; closed: number }): number | null {
  return w.closed === 0 ? null : w.won.length / w.closed;
}

export const salesAgent = defineAgent({
  name: 'sales',
  title: 'Sales',
  datasets: {
    deals: { file: 'deals.csv', format: 'csv' },
    stageHistory: { file: 'deal_stage_history.csv', format: 'csv', optional: true },
    company: { file: 'company.yaml', format: 'yaml', optional: true },
    settings: { file: 'sales.yaml', format: 'yaml', optional: true },
  },
  input: SalesInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const probabilities = input.settings.stageProbabilities;
    const prob = (d: Deal) => dealProbability(d, probabilities);
    const today = ctx.today;
    const quarter = input.company?.quarter;

    const open = input.deals.filter((d) => !CLOSED_STAGES.includes(d.stage));
    const daysIdle = (d: Deal) => daysBetween(d.last_activity_on, today);
    const stalled = open.filter((d) => daysIdle(d) >= t.stalled_days);
    const highValueCents = Math.round(t.high_value_deal_min * 100);
    const stalledHighValue = stalled.filter((d) => d.amount_cents >= highValueCents);

    // Pipeline. Weighted: sum amount x probability (percent) first, divide and round once.
    const pipelineCents = sumBy(open, (d) => d.amount_cents);
    const weightedOf = (deals: readonly Deal[]) =>
      Math.round(sumBy(deals, (d) => d.amount_cents * prob(d)) / 100);
    const weightedCents = weightedOf(open);
    const weightedDeliveryHours = round(
      sumBy(open, (d) => ((d.delivery_hours ?? 0) * prob(d)) / 100),
      1,
    );
    const byStage = Object.fromEntries(
      OPEN_STAGES.flatMap((s) => {
        const inStage = open.filter((d) => d.stage === s);
        return [
          [`dealsByStage.${s}`, inStage.length],
          [`valueByStage.${s}`, centsToUnits(sumBy(inStage, (d) => d.amount_cents))],
        ];
      }),
    );

    // Stage history: conversion and time in stage.
    const rowsByDeal = new Map<string, StageEntry[]>();
    for (const h of input.stageHistory) {
      rowsByDeal.set(h.deal_id, [...(rowsByDeal.get(h.deal_id) ?? []), h]);
    }
    const paths = new Map(input.deals.map((d) => [d.id, stagePath(d, rowsByDeal.get(d.id) ?? [])]));
    const conversions = stageConversions(input.deals, paths);
    const daysInStage = averageDaysInStage(paths);
    const conversionMetrics = Object.fromEntries([
      ...conversions.map((c) => [`conversionPct.${c.from}_to_${c.to}`, c.pct]),
      ...OPEN_STAGES.map((s) => [`avgDaysInStage.${s}`, daysInStage[s]]),
    ]);

    // Win rate, deal size, cycle and velocity over the window ending today, and the
    // window before it (both from close dates in the data).
    const w = t.win_rate_window_days;
    const current = closedBetween(input.deals, addDays(today, -(w - 1)), today);
    const previous = closedBetween(input.deals, addDays(today, -(2 * w - 1)), addDays(today, -w));
    const winNow = winFraction(current);
    const winBefore = winFraction(previous);
    const wonCents = sumBy(current.won, (d) => d.amount_cents);
    const lostCents = sumBy(current.lost, (d) => d.amount_cents);
    const cycleDays = sumBy(current.won, (d) => daysBetween(d.created_on, d.close_date));
    const nWon = current.won.length;
    // velocity = open x (wonCents / nWon) x (nWon / closed) / (cycleDays / nWon)
    //          = open x wonCents x nWon / (closed x cycleDays), rounded once to the cent.
    const velocityCents =
      nWon === 0 || cycleDays <= 0
        ? null
        : Math.round((open.length * wonCents * nWon) / (current.closed * cycleDays));
    const winRateChangePts =
      winNow === null || winBefore === null ? null : round(100 * (winNow - winBefore), 1);

    // Coverage of what is left of the quarter's target by the open deals expected to
    // close by the quarter's end (overdue ones included).
    const inQuarter = (d: Deal) =>
      quarter !== undefined && d.close_date >= quarter.start && d.close_date <= quarter.end;
    const wonQuarterCents = sumBy(
      input.deals.filter((d) => d.stage === 'won' && inQuarter(d)),
      (d) => d.amount_cents,
    );
    const quarterOpen =
      quarter === undefined ? [] : open.filter((d) => d.close_date <= quarter.end);
    const quarterPipelineCents = sumBy(quarterOpen, (d) => d.amount_cents);
    const targetCents = quarter?.revenue_target_cents;
    const remainingCents =
      targetCents === undefined ? null : Math.max(0, targetCents - wonQuarterCents);
    const pipelineCoverage =
      remainingCents === null || remainingCents === 0
        ? null
        : round(quarterPipelineCents / remainingCents, 2);

    // Closing soon: the 7 days starting today, and today to the end of this month.
    const closingBy = (end: string) =>
      open.filter((d) => d.close_date >= today && d.close_date <= end);
    const closingWeek = closingBy(addDays(today, 6));
    const closingMonth = closingBy(endOfMonth(monthOf(today)));
    const overdue = open.filter((d) => d.close_date < today);

    // Snapshot figures the data cannot rebuild: compared with the stored run ~30 days ago.
    const pipelineBefore = valueDaysAgo(ctx.history, 'pipelineValue', today, 30);
    const pipelineValueChangePct =
      pipelineBefore === undefined || pipelineBefore === null || pipelineBefore === 0
        ? null
        : percent(centsToUnits(pipelineCents) - pipelineBefore, pipelineBefore);

    const metrics = {
      openDeals: open.length,
      pipelineValue: centsToUnits(pipelineCents),
      weightedPipeline: centsToUnits(weightedCents),
      pipelineValueChangePct,
      ...byStage,
      ...conversionMetrics,
      wonDeals: nWon,
      lostDeals: current.lost.length,
      wonValue: centsToUnits(wonCents),
      winRatePct: winNow === null ? null : round(100 * winNow, 1),
      winRatePreviousPct: winBefore === null ? null : round(100 * winBefore, 1),
      winRateChangePts,
      avgDealSize: nWon === 0 ? null : centsToUnits(Math.round(wonCents / nWon)),
      avgSalesCycleDays: nWon === 0 ? null : round(cycleDays / nWon, 1),
      salesVelocityPerDay: velocityCents === null ? null : centsToUnits(velocityCents),
      pipelineThisQuarter: quarter === undefined ? null : centsToUnits(quarterPipelineCents),
      wonThisQuarter: quarter === undefined ? null : centsToUnits(wonQuarterCents),
      remainingTarget: remainingCents === null ? null : centsToUnits(remainingCents),
      pipelineCoverage,
      closingThisWeek: closingWeek.length,
      closingThisWeekValue: centsToUnits(sumBy(closingWeek, (d) => d.amount_cents)),
      closingThisMonth: closingMonth.length,
      closingThisMonthValue: centsToUnits(sumBy(closingMonth, (d) => d.amount_cents)),
      overdueDeals: overdue.length,
      stalledDeals: stalled.length,
      stalledValue: centsToUnits(sumBy(stalled, (d) => d.amount_cents)),
      stalledHighValueDeals: stalledHighValue.length,
      weightedDeliveryHours,
    };

    const names = (deals: readonly Deal[]) => deals.map((d) => d.account).join(', ');
    const winRateSampleOk =
      current.closed >= t.win_rate_min_closed_deals &&
      previous.closed >= t.win_rate_min_closed_deals;
    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'sales.pipeline-coverage-low',
        metric: 'pipelineCoverage',
        value: pipelineCoverage,
        op: '<',
        warning: t.pipeline_coverage_warning,
        critical: t.pipeline_coverage_critical,
        message: (v, th) =>
          `Pipeline closing this quarter (${formatMoney(quarterPipelineCents)}) covers ${v}x of the ${formatMoney(remainingCents ?? 0)} still to book, below ${th}x`,
      }),
      ...checkThreshold({
        id: 'sales.stalled-high-value',
        metric: 'stalledHighValueDeals',
        value: stalledHighValue.length,
        op: '>',
        warning: t.stalled_high_value_deals_max,
        message: (v) =>
          `${v} deal${v === 1 ? '' : 's'} of ${formatMoney(highValueCents)}+ ARR idle for ${t.stalled_days}+ days: ${names(stalledHighValue)} (${formatMoney(sumBy(stalledHighValue, (d) => d.amount_cents))} ARR)`,
      }),
      ...(winRateSampleOk
        ? checkThreshold({
            id: 'sales.win-rate-declining',
            metric: 'winRateChangePts',
            value: winRateChangePts,
            op: '<',
            warning: t.win_rate_change_warning_pts,
            critical: t.win_rate_change_critical_pts,
            message: (v, th) =>
              `Win rate fell ${-v} points to ${metrics.winRatePct}% over the last ${w} days (${nWon} won of ${current.closed}) from ${metrics.winRatePreviousPct}% (${previous.won.length} of ${previous.closed}), beyond ${th} points`,
          })
        : []),
    ];
    // Info (checkThreshold knows warning and critical only): the high-value ones raise
    // their own warning above.
    if (stalled.length > t.stalled_deals_max) {
      alerts.push({
        id: 'sales.stalled-deals',
        severity: 'info',
        message: `${stalled.length} open deal${stalled.length === 1 ? '' : 's'} with no activity for ${t.stalled_days}+ days (${formatMoney(sumBy(stalled, (d) => d.amount_cents))} ARR)`,
        metric: 'stalledDeals',
        value: stalled.length,
        threshold: t.stalled_deals_max,
      });
    }

    // Recommendations.
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
      reason: `${d.name}: ${d.stage}, ${prob(d)}% likely, expected to close ${d.close_date}; owner ${d.owner}.`,
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
    if (
      pipelineCoverage !== null &&
      remainingCents !== null &&
      pipelineCoverage < t.pipeline_coverage_warning
    ) {
      // The pipeline to add (closing this quarter) to reach the coverage target.
      const gapCents = Math.max(
        0,
        Math.round(t.pipeline_coverage_warning * remainingCents) - quarterPipelineCents,
      );
      recommendations.push({
        id: 'sales.build-pipeline',
        title: `Build ${formatMoneyShort(gapCents)} of pipeline closing by ${quarter!.end}`,
        source: 'sales',
        reason: `Coverage is ${pipelineCoverage}x of the ${formatMoney(remainingCents)} left of the quarter's target; ${t.pipeline_coverage_warning}x needs ${formatMoney(gapCents)} more pipeline expected to close by ${quarter!.end}.`,
        ...(gapCents > 0 ? { moneyAtStakeCents: gapCents } : {}),
        deadline: addDays(today, 14) < quarter!.end ? addDays(today, 14) : quarter!.end,
        energyDemand: 'high',
        tags: ['revenue', 'pipeline'],
      });
    }
    if (alerts.some((a) => a.id === 'sales.win-rate-declining')) {
      recommendations.push({
        id: 'sales.review-lost-deals',
        title: `Review why deals are lost (win rate ${metrics.winRatePct}%, was ${metrics.winRatePreviousPct}%)`,
        source: 'sales',
        reason: `${current.lost.length} deals lost in the last ${w} days (${formatMoney(lostCents)} ARR): ${names(current.lost)}.`,
        moneyAtStakeCents: lostCents,
        deadline: addDays(today, 14),
        energyDemand: 'medium',
        tags: ['revenue', 'sales'],
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
