/**
 * Growth risks: the pipeline against delivery capacity, unit economics (CAC, LTV,
 * payback) and the funnel. docs/risks.md documents each rule and its thresholds.
 */
import { DELIVERY_CAPACITY_SUBJECT, QUARTER_PIPELINE_SUBJECT } from '../../contract/report.js';
import { defineRisk, notEvaluable, type RiskRule } from '../risk-engine.js';
import { actBy, addDays, changePct, count, endOfThisMonth, money, num, toCents } from './format.js';

/**
 * The delivery hours the weighted pipeline would bring against the team's free hours.
 *
 * How the two are compared, and why: sales reports `weightedDeliveryHours` for the whole
 * open pipeline (each deal's `delivery_hours` x its probability; deals.csv has no
 * delivery dates, so the figure is not split by quarter), and operations reports the
 * free hours it can see: this week (`freeHoursThisWeek`) plus the next 4 weeks
 * (`freeCapacityHoursNext4Weeks`), 5 weeks in all, which from late November reaches the
 * quarter's end. The rule compares the whole of one with the whole of the other: if the
 * pipeline closes as weighted, is there room in the plan for its work? Free hours beyond
 * the 5 weeks are not planned yet, so they are not counted; work from deals closing
 * later still has to be staffed from the same people, so it is not left out either. The
 * error this makes is to warn early, which is the cheap side for a capacity decision.
 */
export const pipelineExceedsCapacity = defineRisk({
  id: 'pipeline-exceeds-capacity',
  title: 'Sales pipeline exceeds delivery capacity',
  severity: 'warning',
  // Operations' utilization alert describes the same full calendar.
  explains: ['operations.utilization'],
  needs: [
    'sales.weightedDeliveryHours',
    'operations.freeHoursThisWeek',
    'operations.freeCapacityHoursNext4Weeks',
  ],
  thresholds: { capacity_used_pct: 100, critical_capacity_used_pct: 150 },
  evaluate(m, t, ctx) {
    const hours = m('sales.weightedDeliveryHours');
    const thisWeek = m('operations.freeHoursThisWeek');
    const next4 = m('operations.freeCapacityHoursNext4Weeks');
    const free = thisWeek + next4;
    if (hours <= 0 || hours * 100 <= free * t.capacity_used_pct) return null;
    const usedPct = free > 0 ? (hours / free) * 100 : Infinity;
    const short = Math.max(0, hours - free);
    const severity = usedPct >= t.critical_capacity_used_pct ? 'critical' : 'warning';
    const used =
      free > 0
        ? `${num(usedPct)}% of free capacity (threshold ${t.capacity_used_pct}%)`
        : 'no free capacity';
    const weighted = m.optional('sales.weightedPipeline');
    // The weighted ARR whose delivery hours are not covered (revenue, ARR-equivalent).
    const atStake = weighted !== null && short > 0 ? toCents((weighted * short) / hours) : 0;
    return {
      severity,
      message:
        `Closing the weighted pipeline would bring ${num(hours)}h of delivery work against ` +
        `${num(free)}h free over the next 5 weeks (${num(thisWeek)}h this week + ${num(next4)}h ` +
        `in the next 4): ${used}${short > 0 ? `, ${num(short)}h short` : ''}`,
      action: {
        title: `Plan delivery capacity for the pipeline: ${num(hours)}h needed, ${num(free)}h free`,
        subject: DELIVERY_CAPACITY_SUBJECT,
        ...(atStake > 0 ? { moneyAtStakeCents: atStake } : {}),
        deadline: actBy(ctx.today, severity),
        energyDemand: 'high',
        tags: ['delivery', 'revenue', 'hiring'],
      },
    };
  },
});

/** Marketing CAC up (month over month) while LTV is down against ~`lookback_days` ago. */
export const cacUpLtvDown = defineRisk({
  id: 'cac-up-ltv-down',
  title: 'Growth is losing money: CAC up while LTV down',
  severity: 'warning',
  needs: ['marketing.cacChangePct', 'marketing.cac', 'marketing.cacPrevious', 'finance.ltv'],
  thresholds: { cac_increase_pct: 10, ltv_decrease_pct: 5, lookback_days: 30 },
  evaluate(m, t, ctx) {
    const cacChange = m('marketing.cacChangePct');
    if (cacChange < t.cac_increase_pct) return null;
    const cac = m('marketing.cac');
    const cacBefore = m('marketing.cacPrevious');
    const ltv = m('finance.ltv');
    const ltvBefore = m.past('finance.ltv', t.lookback_days);
    if (ltvBefore === null) {
      return notEvaluable(
        `no finance.ltv from ~${t.lookback_days} days ago in the history yet, so whether LTV fell while CAC rose ${num(cacChange)}% cannot be told`,
      );
    }
    const ltvChange = changePct(ltv, ltvBefore);
    if (ltvChange === null || ltvChange > -t.ltv_decrease_pct) return null;
    const ratioNow = cac > 0 ? `${num(ltv / cac)}` : 'n/a';
    const ratioBefore = cacBefore > 0 ? `${num(ltvBefore / cacBefore)}` : 'n/a';
    return {
      message:
        `CAC rose ${num(cacChange)}% to ${money(cac, ctx.currency)} (from ${money(cacBefore, ctx.currency)}) while LTV fell ` +
        `${num(-ltvChange)}% to ${money(ltv, ctx.currency)} (from ${money(ltvBefore, ctx.currency)} ${t.lookback_days} days ago): ` +
        `LTV:CAC ${ratioNow}, down from ${ratioBefore}; growth is losing money`,
      action: {
        title: 'Cut the channels that raise CAC and find why LTV fell',
        deadline: endOfThisMonth(ctx.today),
        energyDemand: 'medium',
        tags: ['growth', 'revenue'],
      },
    };
  },
});

/** LTV:CAC below 3 (critical below 1). */
export const ltvCacBelowTarget = defineRisk({
  id: 'ltv-cac-below-target',
  title: 'LTV:CAC below target',
  severity: 'warning',
  needs: ['finance.ltv', 'marketing.cac'],
  thresholds: { ltv_cac_ratio: 3, critical_ltv_cac_ratio: 1 },
  evaluate(m, t, ctx) {
    const ltv = m('finance.ltv');
    const cac = m('marketing.cac');
    if (cac <= 0) return null;
    const ratio = ltv / cac;
    if (ratio >= t.ltv_cac_ratio) return null;
    const severity = ratio < t.critical_ltv_cac_ratio ? 'critical' : 'warning';
    return {
      severity,
      message:
        `LTV:CAC is ${num(ratio)} (${money(ltv, ctx.currency)} LTV / ${money(cac, ctx.currency)} CAC), below ${t.ltv_cac_ratio}: ` +
        (severity === 'critical'
          ? 'a new customer is worth less than it costs to win'
          : `a customer returns less than ${t.ltv_cac_ratio}x what it costs to win`),
      action: {
        title: `Fix unit economics: LTV:CAC is ${num(ratio)}`,
        deadline: endOfThisMonth(ctx.today),
        energyDemand: 'medium',
        tags: ['growth', 'revenue'],
      },
    };
  },
});

/** Months of a customer's gross profit it takes to earn back its CAC. */
export const cacPaybackTooLong = defineRisk({
  id: 'cac-payback-too-long',
  title: 'CAC payback too long',
  severity: 'warning',
  needs: ['marketing.cac', 'finance.arpa', 'finance.grossMarginPct'],
  thresholds: { payback_months: 12, critical_payback_months: 24 },
  evaluate(m, t, ctx) {
    const cac = m('marketing.cac');
    const arpa = m('finance.arpa');
    const margin = m('finance.grossMarginPct');
    if (cac <= 0) return null;
    const profit = (arpa * margin) / 100;
    const payback = profit > 0 ? cac / profit : Infinity;
    if (payback <= t.payback_months) return null;
    const severity = payback > t.critical_payback_months ? 'critical' : 'warning';
    const basis = `${money(arpa, ctx.currency)} ARPA x ${num(margin)}% gross margin`;
    return {
      severity,
      message:
        profit > 0
          ? `CAC payback is ${num(payback)} months: ${money(cac, ctx.currency)} CAC / ${money(profit, ctx.currency)} gross profit ` +
            `per customer a month (${basis}), above ${t.payback_months} months`
          : `CAC never pays back: ${money(cac, ctx.currency)} CAC against no gross profit per customer (${basis})`,
      action: {
        title: `Shorten CAC payback (${profit > 0 ? `${num(payback)} months` : 'never'}): cheaper channels or higher prices`,
        deadline: endOfThisMonth(ctx.today),
        energyDemand: 'medium',
        tags: ['growth', 'cash'],
      },
    };
  },
});

/** The quarter's target is short on pipeline while marketing's lead flow drops. */
export const targetGapWeakLeadFlow = defineRisk({
  id: 'target-gap-weak-lead-flow',
  title: 'Quarter target short on pipeline while leads fall',
  severity: 'warning',
  needs: [
    'marketing.leadsChangePct',
    'marketing.leads',
    'marketing.leadsPrevious',
    'sales.remainingTarget',
    'sales.pipelineThisQuarter',
  ],
  thresholds: { coverage_ratio: 3, leads_drop_pct: 10 },
  evaluate(m, t, ctx) {
    const leadsChange = m('marketing.leadsChangePct');
    if (leadsChange > -t.leads_drop_pct) return null;
    const remaining = m('sales.remainingTarget');
    const pipeline = m('sales.pipelineThisQuarter');
    if (remaining <= 0) return null;
    const coverage = pipeline / remaining;
    if (coverage >= t.coverage_ratio) return null;
    const gap = toCents(t.coverage_ratio * remaining - pipeline);
    return {
      message:
        `The pipeline closing this quarter (${money(pipeline, ctx.currency)}) covers ${num(coverage, 2)}x of the ` +
        `${money(remaining, ctx.currency)} still to book (below ${t.coverage_ratio}x) while leads fell ` +
        `${num(-leadsChange)}% last month (${m('marketing.leads')} from ${m('marketing.leadsPrevious')})`,
      action: {
        title: `Refill the pipeline: leads down ${num(-leadsChange)}% with the quarter ${num(coverage, 2)}x covered`,
        subject: QUARTER_PIPELINE_SUBJECT,
        ...(gap > 0 ? { moneyAtStakeCents: gap } : {}),
        deadline: addDays(ctx.today, 14),
        energyDemand: 'high',
        tags: ['revenue', 'growth', 'pipeline'],
      },
    };
  },
});

/**
 * Both ends of the funnel worsening: deals close less often while customers cost more.
 * The win rates are compared only on `min_closed_deals` closed deals in each window, the
 * sample the sales agent's own win-rate alert needs (`win_rate_min_closed_deals` in
 * sales.yaml, 4 by default): on fewer, a fall is "not evaluated", not a finding.
 */
export const winRateAndCacWorsening = defineRisk({
  id: 'win-rate-and-cac-worsening',
  title: 'Win rate falling while CAC rises',
  severity: 'warning',
  needs: [
    'sales.winRateChangePts',
    'sales.winRatePct',
    'sales.winRatePreviousPct',
    'sales.closedDeals',
    'sales.closedDealsPrevious',
    'marketing.cacChangePct',
    'marketing.cac',
    'marketing.cacPrevious',
  ],
  thresholds: { win_rate_drop_pts: 10, cac_increase_pct: 20, min_closed_deals: 4 },
  evaluate(m, t, ctx) {
    const cacChange = m('marketing.cacChangePct');
    if (cacChange < t.cac_increase_pct) return null;
    const closed = m('sales.closedDeals');
    const closedBefore = m('sales.closedDealsPrevious');
    if (closed < t.min_closed_deals || closedBefore < t.min_closed_deals) {
      // Too few deals to compare: no fall is no risk; a fall cannot be told from noise.
      const fell = m.optional('sales.winRateChangePts');
      if (fell !== null && fell > -t.win_rate_drop_pts) return null;
      return notEvaluable(
        `the win rate${fell !== null ? ` fell ${num(-fell)} points` : ''} on ${count(closed, 'closed deal')} in the last 90 days ` +
          `against ${count(closedBefore, 'closed deal')} in the 90 before, fewer than the ${t.min_closed_deals} in each window ` +
          `a win-rate comparison needs (as for the sales agent's alert), while CAC rose ${num(cacChange)}%`,
      );
    }
    const winChange = m('sales.winRateChangePts');
    if (winChange > -t.win_rate_drop_pts) return null;
    return {
      message:
        `Win rate fell ${num(-winChange)} points to ${num(m('sales.winRatePct'))}% (from ` +
        `${num(m('sales.winRatePreviousPct'))}%) over the last 90 days while CAC rose ${num(cacChange)}% ` +
        `to ${money(m('marketing.cac'), ctx.currency)} (from ${money(m('marketing.cacPrevious'), ctx.currency)}): leads cost more and close less`,
      action: {
        title: 'Review lead quality with sales and marketing',
        deadline: endOfThisMonth(ctx.today),
        energyDemand: 'medium',
        tags: ['revenue', 'growth'],
      },
    };
  },
});

export const GROWTH_RULES: RiskRule[] = [
  pipelineExceedsCapacity,
  cacUpLtvDown,
  ltvCacBelowTarget,
  cacPaybackTooLong,
  targetGapWeakLeadFlow,
  winRateAndCacWorsening,
];
