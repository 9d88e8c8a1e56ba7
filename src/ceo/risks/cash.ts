/**
 * Cash risks: runway against the hiring plan, the sales cycle and spending.
 * docs/risks.md documents each rule and its thresholds.
 *
 * A null `finance.runwayMonths` means "not burning" (docs/metrics.md), which is no
 * missing data: these rules read net burn instead of needing runway, stay silent when
 * the company does not burn, and say they cannot be evaluated only when it burns and
 * runway is still unknown (no cash balance).
 */
import { QUARTER_PIPELINE_SUBJECT } from '../../contract/report.js';
import { defineRisk, notEvaluable, type MetricReader, type RiskRule } from '../risk-engine.js';
import {
  actBy,
  addDays,
  count,
  DAYS_PER_MONTH,
  endOfThisMonth,
  fixed,
  money,
  num,
  toCents,
} from './format.js';

const NO_RUNWAY =
  'no value for finance.runwayMonths although net burn is positive (no cash balance in cashflow.csv)';

/** Runway in months when burning; `'not-burning'` otherwise; null when it cannot be known. */
function runway(m: MetricReader): number | 'not-burning' | null {
  if (m('finance.netBurn') <= 0) return 'not-burning';
  return m.optional('finance.runwayMonths');
}

/**
 * Runway with the hiring plan's monthly cost added to net burn, below `runway_months`
 * (critical below `critical_runway_months`). Runway already short, or pushed below the
 * threshold by the plan: either way the plan and the cash have to be decided together.
 */
export const runwayVsHiringPlan = defineRisk({
  id: 'runway-vs-hiring-plan',
  title: 'Runway short while the hiring plan adds burn',
  severity: 'warning',
  needs: ['finance.cashBalance', 'finance.netBurn', 'hr.hiringPlanMonthlyCost', 'hr.openRoles'],
  thresholds: { runway_months: 12, critical_runway_months: 6 },
  evaluate(m, t, ctx) {
    const plan = m('hr.hiringPlanMonthlyCost');
    if (plan <= 0) return null;
    const cash = m('finance.cashBalance');
    const burn = m('finance.netBurn');
    const burnWithPlan = burn + plan;
    if (burnWithPlan <= 0) return null;
    const withPlan = Math.max(0, cash) / burnWithPlan;
    if (withPlan >= t.runway_months) return null;
    const now = burn > 0 ? (m.optional('finance.runwayMonths') ?? cash / burn) : null;
    const severity = withPlan < t.critical_runway_months ? 'critical' : 'warning';
    return {
      severity,
      message:
        (now !== null
          ? `Runway is ${fixed(now)} months`
          : `The company does not burn cash today (net burn ${money(burn, ctx.currency)} a month)`) +
        `; the hiring plan (${count(m('hr.openRoles'), 'open role')}) adds ${money(plan, ctx.currency)} a month of burn, ` +
        `which leaves ${fixed(withPlan)} months (${money(cash, ctx.currency)} / ${money(burnWithPlan, ctx.currency)} a month), ` +
        `below ${t.runway_months}`,
      action: {
        title: `Re-plan hiring against runway (${fixed(withPlan)} months with the plan)`,
        deadline: actBy(ctx.today, severity),
        energyDemand: 'high',
        tags: ['cash', 'hiring'],
      },
    };
  },
});

/**
 * Runway shorter than closing a deal plus making a hire (`avgSalesCycleDays` +
 * `avgTimeToHireDays`, in months of 30.44 days) plus `buffer_months`: cash runs out
 * before either can pay off.
 */
export const runwayBelowSalesAndHiringCycle = defineRisk({
  id: 'runway-below-sales-and-hiring-cycle',
  title: 'Runway shorter than a sales cycle plus a hire',
  severity: 'critical',
  needs: ['finance.netBurn', 'sales.avgSalesCycleDays', 'hr.avgTimeToHireDays'],
  thresholds: { buffer_months: 0 },
  evaluate(m, t, ctx) {
    const months = runway(m);
    if (months === 'not-burning') return null;
    if (months === null) return notEvaluable(NO_RUNWAY);
    const cycle = m('sales.avgSalesCycleDays');
    const hire = m('hr.avgTimeToHireDays');
    const days = cycle + hire;
    const needed = days / DAYS_PER_MONTH + t.buffer_months;
    if (months >= needed) return null;
    const buffer = t.buffer_months > 0 ? ` plus a ${num(t.buffer_months)}-month buffer` : '';
    return {
      message:
        `Runway is ${fixed(months)} months, shorter than a sales cycle (${num(cycle)} days) plus a hire ` +
        `(${num(hire)} days)${buffer}: ${fixed(needed)} months; cash runs out before a new deal or a new hire can pay off`,
      action: {
        title: `Cut burn or raise now: runway ${fixed(months)} months is shorter than closing a deal plus a hire`,
        deadline: actBy(ctx.today, 'critical'),
        energyDemand: 'high',
        tags: ['cash', 'fundraising'],
      },
    };
  },
});

/**
 * Net burn up month over month while MRR barely grows. Silent when last month did not
 * burn (net burn zero or negative), like every cash rule: there is no burn to outrun
 * revenue, and the change is null then.
 */
export const burnRisingGrowthFlat = defineRisk({
  id: 'burn-rising-growth-flat',
  title: 'Burn rising faster than revenue',
  severity: 'warning',
  needs: ['finance.netBurnChangePct', 'finance.netBurnLastMonth', 'finance.mrrGrowthPctLastMonth'],
  thresholds: { burn_increase_pct: 20, mrr_growth_pct: 3 },
  evaluate(m, t, ctx) {
    if (m('finance.netBurnLastMonth') <= 0) return null;
    const burnChange = m('finance.netBurnChangePct');
    const growth = m('finance.mrrGrowthPctLastMonth');
    if (burnChange < t.burn_increase_pct || growth >= t.mrr_growth_pct) return null;
    return {
      message:
        `Net burn rose ${num(burnChange)}% (at or above ${t.burn_increase_pct}%) last month to ` +
        `${money(m('finance.netBurnLastMonth'), ctx.currency)} a month while MRR grew ${num(growth, 2)}% (below ${t.mrr_growth_pct}%): ` +
        `spending is outrunning revenue`,
      action: {
        title: `Find what drove the ${num(burnChange)}% burn increase`,
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'medium',
        tags: ['cash'],
      },
    };
  },
});

/** Marketing spend going up while runway is already short. */
export const growthSpendWithShortRunway = defineRisk({
  id: 'growth-spend-with-short-runway',
  title: 'Marketing spend rising on a short runway',
  severity: 'warning',
  needs: [
    'marketing.spendChangePct',
    'marketing.spend',
    'marketing.spendPrevious',
    'finance.netBurn',
  ],
  thresholds: { runway_months: 6, spend_increase_pct: 10 },
  evaluate(m, t, ctx) {
    const spendChange = m('marketing.spendChangePct');
    if (spendChange < t.spend_increase_pct) return null;
    const months = runway(m);
    if (months === 'not-burning') return null;
    if (months === null) return notEvaluable(NO_RUNWAY);
    if (months >= t.runway_months) return null;
    const roi = m.optional('marketing.roiPct');
    return {
      message:
        `Marketing spend rose ${num(spendChange)}% last month to ${money(m('marketing.spend'), ctx.currency)} ` +
        `(from ${money(m('marketing.spendPrevious'), ctx.currency)}) with runway at ${fixed(months)} months ` +
        `(below ${t.runway_months})${roi !== null ? `; its return was ${num(roi)}%` : ''}`,
      action: {
        title: 'Tie marketing spend to payback while runway is short',
        deadline: endOfThisMonth(ctx.today),
        energyDemand: 'medium',
        tags: ['cash', 'growth'],
      },
    };
  },
});

/** Money customers owe while cash is short: collecting it is the cheapest runway. */
export const pastDueWithShortRunway = defineRisk({
  id: 'past-due-with-short-runway',
  title: 'Past-due revenue while runway is short',
  severity: 'warning',
  needs: ['finance.pastDueMrr', 'finance.netBurn'],
  thresholds: { past_due_mrr: 500, runway_months: 12 },
  evaluate(m, t, ctx) {
    const pastDue = m('finance.pastDueMrr');
    if (pastDue < t.past_due_mrr) return null;
    const months = runway(m);
    if (months === 'not-burning') return null;
    if (months === null) return notEvaluable(NO_RUNWAY);
    if (months >= t.runway_months) return null;
    const failing = m.optional('customer-success.paymentFailureAccounts');
    return {
      message:
        `${money(pastDue, ctx.currency)} MRR (${money(pastDue * 12, ctx.currency)} a year) is past due` +
        `${failing !== null ? ` (${count(failing, 'account')} with failed payments)` : ''} ` +
        `while runway is ${fixed(months)} months (below ${t.runway_months})`,
      action: {
        title: `Collect the ${money(pastDue, ctx.currency)} past-due MRR`,
        moneyAtStakeCents: toCents(pastDue * 12),
        deadline: addDays(ctx.today, 7),
        energyDemand: 'low',
        tags: ['cash', 'revenue', 'retention'],
      },
    };
  },
});

/** Even winning every deal due this quarter misses the target, and cash is short. */
export const targetUnreachableWhileBurning = defineRisk({
  id: 'target-unreachable-while-burning',
  title: 'Quarter target out of reach on a short runway',
  severity: 'critical',
  needs: ['sales.remainingTarget', 'sales.pipelineThisQuarter', 'finance.netBurn'],
  thresholds: { coverage_ratio: 1, runway_months: 12 },
  evaluate(m, t, ctx) {
    const remaining = m('sales.remainingTarget');
    const pipeline = m('sales.pipelineThisQuarter');
    if (remaining <= 0) return null;
    const coverage = pipeline / remaining;
    if (coverage >= t.coverage_ratio) return null;
    const months = runway(m);
    if (months === 'not-burning') return null;
    if (months === null) return notEvaluable(NO_RUNWAY);
    if (months >= t.runway_months) return null;
    const gap = Math.max(0, remaining - pipeline);
    return {
      message:
        `Even if every open deal closing this quarter is won, the ${money(pipeline, ctx.currency)} pipeline covers ` +
        `${num(coverage, 2)}x of the ${money(remaining, ctx.currency)} still to book (below ${t.coverage_ratio}x), ` +
        `with runway at ${fixed(months)} months (below ${t.runway_months})`,
      action: {
        title: `Close the ${money(gap, ctx.currency)} gap to the quarter target`,
        subject: QUARTER_PIPELINE_SUBJECT,
        ...(gap > 0 ? { moneyAtStakeCents: toCents(gap) } : {}),
        deadline: actBy(ctx.today, 'critical'),
        energyDemand: 'high',
        tags: ['revenue', 'cash', 'pipeline'],
      },
    };
  },
});

/** Hiring while MRR shrank over the last complete month. */
export const hiringIntoShrinkingRevenue = defineRisk({
  id: 'hiring-into-shrinking-revenue',
  title: 'Hiring while revenue shrinks',
  severity: 'warning',
  needs: ['finance.netNewMrrLastMonth', 'hr.openRoles', 'hr.hiringPlanMonthlyCost'],
  thresholds: { net_new_mrr: 0 },
  evaluate(m, t, ctx) {
    const lastMonth = m('finance.netNewMrrLastMonth');
    const roles = m('hr.openRoles');
    if (lastMonth >= t.net_new_mrr || roles <= 0) return null;
    const soFar = m.optional('finance.netNewMrr');
    return {
      message:
        `Net new MRR was ${money(lastMonth, ctx.currency)} last month (below ${money(t.net_new_mrr, ctx.currency)})` +
        `${soFar !== null ? ` and is ${money(soFar, ctx.currency)} so far this month` : ''}, while ` +
        `${count(roles, 'open role')} would add ${money(m('hr.hiringPlanMonthlyCost'), ctx.currency)} a month of payroll`,
      action: {
        title: `Re-justify the ${count(roles, 'open role')} while MRR shrinks`,
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'high',
        tags: ['hiring', 'cash'],
      },
    };
  },
});

export const CASH_RULES: RiskRule[] = [
  runwayVsHiringPlan,
  runwayBelowSalesAndHiringCycle,
  burnRisingGrowthFlat,
  growthSpendWithShortRunway,
  pastDueWithShortRunway,
  targetUnreachableWhileBurning,
  hiringIntoShrinkingRevenue,
];
