/**
 * Finance: recurring revenue and its movements from the subscription history, cash,
 * burn, runway and gross margin from the monthly cash flow, and LTV from both.
 * Formulas, units, periods and thresholds: docs/metrics/finance.md.
 *
 * Periods: "the period" is the current calendar month to date (1st .. today); the last
 * complete calendar month is reported too (`...LastMonth`). Burn, gross margin and the
 * churn behind LTV use the last 3 complete months. Every comparison is computed from the
 * dated data itself (subscription dates, monthly cash flow), never from stored history.
 */
import { z } from 'zod';
import { defineAgent } from '../contract/agent.js';
import type { Alert, TaskInput } from '../contract/report.js';
import {
  annualByCustomer,
  annualCents,
  countsOn,
  mrrCentsOf,
  mrrMovements,
  Subscription,
  type MrrMovements,
} from './finance-mrr.js';
import { addDays, addMonths, endOfMonth, monthOf } from '../shared/dates.js';
import { cents, isoMonth, rowsUniqueBy, settingsFile } from '../contract/fields.js';
import { centsToUnits, formatMoney, formatMoneyShort } from '../shared/money.js';
import { checkThreshold, healthFromAlerts } from './thresholds.js';
import { percent, round, sumBy } from '../shared/numbers.js';
import { slug } from '../shared/text.js';

export {
  BILLING_INTERVALS,
  SUBSCRIPTION_STATUSES,
  annualCents,
  mrrMovements,
  cohortRetention,
} from './finance-mrr.js';

export const FINANCE_THRESHOLDS = {
  /** Runway (months) below this: warning. */
  runway_months_warning: 12,
  /** Runway (months) below this: critical. */
  runway_months_critical: 6,
  /** Past-due MRR (currency units) above this: warning. */
  past_due_mrr_max: 500,
  /** Net new MRR of the month to date (currency units) below this: warning. */
  net_new_mrr_min: 0,
  /** Net burn of the last complete month up more than this % on the month before: warning. */
  burn_increase_pct_warning: 20,
  /** ... up more than this %: critical. */
  burn_increase_pct_critical: 50,
  /** Churn spike: this month's gross MRR churn % above this many times the 3-month average ... */
  churn_spike_factor: 2,
  /** ... and above this % (so a tiny churn on a zero average does not fire). */
  churn_spike_min_pct: 2,
};

/** How many complete months burn, gross margin and the LTV churn rate average over. */
export const BURN_MONTHS = 3;
/** At most this many win-back recommendations (largest lost MRR first). */
export const MAX_WIN_BACK_TASKS = 3;

const CashflowMonth = z.object({
  month: isoMonth(),
  /** Money received in the month, before refunds. */
  cash_in_cents: cents(),
  /** Money paid back to customers in the month. */
  refunds_cents: cents().optional(),
  /** Money paid out in the month (every expense, including cost of revenue). */
  cash_out_cents: cents(),
  /** Recognised revenue of the month (the P&L's), before refunds. */
  revenue_cents: cents().optional(),
  /** Cost of revenue (hosting, support, payment fees) of the month. */
  cost_of_revenue_cents: cents().optional(),
  closing_balance_cents: cents(),
});
type CashflowMonth = z.output<typeof CashflowMonth>;

export const FinanceInput = z.object({
  subscriptions: rowsUniqueBy(Subscription, 'id'),
  cashflow: rowsUniqueBy(CashflowMonth, 'month'),
  settings: settingsFile(FINANCE_THRESHOLDS),
});
export type FinanceInput = z.output<typeof FinanceInput>;

const units = (c: number | null): number | null => (c === null ? null : centsToUnits(c));

/** Net burn of one month: cash out + refunds - cash in (negative = cash-generating). */
function netBurnOf(m: CashflowMonth): number {
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

/** The movement metrics of one period, under `suffix`. */
function movementMetrics(m: MrrMovements, suffix: string): Record<string, number | null> {
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

export const financeAgent = defineAgent({
  name: 'finance',
  title: 'Finance',
  datasets: {
    subscriptions: { file: 'subscriptions.csv', format: 'csv' },
    cashflow: { file: 'cashflow.csv', format: 'csv' },
    settings: { file: 'finance.yaml', format: 'yaml', optional: true },
  },
  input: FinanceInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;
    const subs = input.subscriptions;

    // --- Recurring revenue -------------------------------------------------------
    const thisMonth = monthOf(today);
    const lastMonth = addMonths(thisMonth, -1);
    const mtd = mrrMovements(subs, `${thisMonth}-01`, today);
    const prev = mrrMovements(subs, `${lastMonth}-01`, endOfMonth(lastMonth));
    const mrrCents = mtd.endMrrCents;
    const arrCents = mrrCents * 12;
    const customers = mtd.endCustomers;
    const arpaCents = customers > 0 ? Math.round(mrrCents / customers) : null;

    const pastDue = subs.filter((s) => s.status === 'past_due' && countsOn(s, today));
    const pastDueMrrCents = mrrCentsOf(sumBy(pastDue, annualCents));

    // Monthly revenue churn for LTV: (contraction + churn) / start MRR over the last
    // BURN_MONTHS complete calendar months, summed in annual cents before dividing.
    let churnStartAnnual = 0;
    let churnLostAnnual = 0;
    for (let i = 1; i <= BURN_MONTHS; i++) {
      const month = addMonths(thisMonth, -i);
      const m = i === 1 ? prev : mrrMovements(subs, `${month}-01`, endOfMonth(month));
      churnStartAnnual += m.annual.start;
      churnLostAnnual += m.annual.contraction + m.annual.churn;
    }
    const monthlyRevenueChurnPct = percent(churnLostAnnual, churnStartAnnual, 2);

    // --- Cash ------------------------------------------------------------------------
    // Cash: closing balance of the latest month up to today's; burn and margin: the last
    // BURN_MONTHS complete months in the file (before today's month).
    const months = [...input.cashflow]
      .filter((m) => m.month <= thisMonth)
      .sort((a, b) => a.month.localeCompare(b.month));
    const latest = months.at(-1);
    const complete = months.filter((m) => m.month < thisMonth).slice(-BURN_MONTHS);
    const cashBalanceCents = latest ? latest.closing_balance_cents : null;
    const grossBurnCents =
      complete.length > 0
        ? Math.round(sumBy(complete, (m) => m.cash_out_cents) / complete.length)
        : null;
    const netBurnCents =
      complete.length > 0 ? Math.round(sumBy(complete, netBurnOf) / complete.length) : null;
    // Not burning (net burn <= 0) means runway is not limited: reported as null.
    const runwayMonths =
      cashBalanceCents !== null && netBurnCents !== null && netBurnCents > 0
        ? round(cashBalanceCents / netBurnCents, 1)
        : null;

    const rowOf = (month: string) => months.find((m) => m.month === month);
    const last = rowOf(lastMonth);
    const before = rowOf(addMonths(lastMonth, -1));
    const netBurnLastCents = last ? netBurnOf(last) : null;
    const netBurnBeforeCents = before ? netBurnOf(before) : null;
    // Month over month only against a month that burned (a change on <= 0 means nothing).
    const netBurnChangePct =
      netBurnLastCents !== null && netBurnBeforeCents !== null && netBurnBeforeCents > 0
        ? percent(netBurnLastCents - netBurnBeforeCents, netBurnBeforeCents, 2)
        : null;

    // Gross margin on net revenue (revenue - refunds) over the complete months that
    // carry both revenue and cost of revenue.
    const marginMonths = complete.filter(
      (m) => m.revenue_cents !== undefined && m.cost_of_revenue_cents !== undefined,
    );
    const netRevenueCents = sumBy(
      marginMonths,
      (m) => (m.revenue_cents ?? 0) - (m.refunds_cents ?? 0),
    );
    const grossProfitCents =
      netRevenueCents - sumBy(marginMonths, (m) => m.cost_of_revenue_cents ?? 0);
    const marginKnown = marginMonths.length > 0 && netRevenueCents > 0;
    const grossMarginPct = marginKnown ? percent(grossProfitCents, netRevenueCents, 2) : null;

    // LTV = ARPA x gross margin / monthly revenue churn, from the unrounded margin and
    // churn: arpa x (profit / revenue) / (lost / start) = arpa x profit x start / (revenue x lost).
    const ltvCents =
      arpaCents !== null && marginKnown && churnLostAnnual > 0
        ? productRatioRound(
            [arpaCents, grossProfitCents, churnStartAnnual],
            [netRevenueCents, churnLostAnnual],
          )
        : null;

    const lostCents = mtd.cents.contraction + mtd.cents.churn;
    const metrics: Record<string, number | null> = {
      mrr: centsToUnits(mrrCents),
      arr: centsToUnits(arrCents),
      customers,
      arpa: units(arpaCents),
      ...movementMetrics(mtd, ''),
      newCustomers: mtd.customers.new,
      reactivatedCustomers: mtd.customers.reactivation,
      churnedCustomers: mtd.customers.churn,
      quickRatio:
        lostCents > 0 ? round((mtd.cents.new + mtd.cents.expansion) / lostCents, 2) : null,
      ...movementMetrics(prev, 'LastMonth'),
      monthlyRevenueChurnPct,
      pastDueMrr: centsToUnits(pastDueMrrCents),
      cashBalance: units(cashBalanceCents),
      grossBurn: units(grossBurnCents),
      netBurn: units(netBurnCents),
      runwayMonths,
      netBurnLastMonth: units(netBurnLastCents),
      netBurnChangePct,
      revenueLastMonth:
        last?.revenue_cents !== undefined
          ? centsToUnits(last.revenue_cents - (last.refunds_cents ?? 0))
          : null,
      refundsLastMonth: last ? centsToUnits(last.refunds_cents ?? 0) : null,
      grossMarginPct,
      ltv: units(ltvCents),
    };

    const spikeThreshold = round(
      Math.max(t.churn_spike_min_pct, t.churn_spike_factor * (monthlyRevenueChurnPct ?? 0)),
      2,
    );
    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'finance.runway-low',
        metric: 'runwayMonths',
        value: runwayMonths,
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
          `Net new MRR this month is ${formatMoney(mtd.netNewCents)} (new ${formatMoney(mtd.cents.new)}, expansion ${formatMoney(mtd.cents.expansion)}, reactivation ${formatMoney(mtd.cents.reactivation)}, contraction ${formatMoney(mtd.cents.contraction)}, churn ${formatMoney(mtd.cents.churn)}), below ${formatMoney(th * 100)}`,
      }),
      ...checkThreshold({
        id: 'finance.burn-increase',
        metric: 'netBurnChangePct',
        value: netBurnChangePct,
        op: '>',
        warning: t.burn_increase_pct_warning,
        critical: t.burn_increase_pct_critical,
        message: (v, th) =>
          `Net burn rose ${v}% in ${lastMonth} (${formatMoney(netBurnBeforeCents ?? 0)} to ${formatMoney(netBurnLastCents ?? 0)}), above ${th}%`,
      }),
      ...checkThreshold({
        id: 'finance.churn-spike',
        metric: 'grossMrrChurnPct',
        value: metrics.grossMrrChurnPct ?? null,
        op: '>',
        warning: spikeThreshold,
        message: (v, th) =>
          `Gross MRR churn this month is ${v}% (${formatMoney(lostCents)} of ${formatMoney(mtd.startMrrCents)}), above ${th}% (${t.churn_spike_factor}x the 3-month average of ${monthlyRevenueChurnPct ?? 0}%, at least ${t.churn_spike_min_pct}%)`,
      }),
      ...checkThreshold({
        id: 'finance.past-due-mrr',
        metric: 'pastDueMrr',
        value: metrics.pastDueMrr ?? null,
        op: '>',
        warning: t.past_due_mrr_max,
        message: (v, th) =>
          `${formatMoney(v * 100)} MRR is past due (${pastDue.length} subscriptions), above ${formatMoney(th * 100)}`,
      }),
    ];

    const recommendations: TaskInput[] = [];
    // Every past-due subscription: collect before it churns.
    for (const s of [...pastDue].sort(
      (a, b) => annualCents(b) - annualCents(a) || a.id.localeCompare(b.id),
    )) {
      recommendations.push({
        id: `finance.collect-${slug(s.id)}`,
        title: `Collect past-due payment from ${s.customer_name} (${formatMoneyShort(annualCents(s))} ARR)`,
        source: 'finance',
        reason: `Subscription ${s.id} (${s.plan}, ${formatMoney(s.amount_cents)} per ${s.interval}) is past due; unpaid, it churns.`,
        moneyAtStakeCents: annualCents(s),
        deadline: addDays(today, 7),
        energyDemand: 'low',
        tags: ['revenue', 'cash', 'retention'],
      });
    }
    // Customers who churned this month and are still gone: try to win them back.
    const payingToday = annualByCustomer(subs, today);
    const nameOf = (id: string) =>
      subs
        .filter((s) => s.customer_id === id)
        .sort((a, b) => b.started_on.localeCompare(a.started_on))[0]?.customer_name ?? id;
    const winBack = mtd.events
      .filter((e) => e.kind === 'churn' && !payingToday.has(e.customerId))
      .sort((a, b) => b.annualCents - a.annualCents || a.customerId.localeCompare(b.customerId))
      .slice(0, MAX_WIN_BACK_TASKS);
    for (const e of winBack) {
      const name = nameOf(e.customerId);
      recommendations.push({
        id: `finance.win-back-${slug(e.customerId)}`,
        title: `Win back ${name} (${formatMoneyShort(e.annualCents)} ARR churned ${e.date})`,
        source: 'finance',
        reason: `${name} stopped paying on ${e.date}: ${formatMoney(mrrCentsOf(e.annualCents))} MRR lost this month.`,
        moneyAtStakeCents: e.annualCents,
        deadline: addDays(today, 14),
        energyDemand: 'medium',
        tags: ['revenue', 'retention'],
      });
    }
    // Runway under the warning threshold: plan how to extend it. No moneyAtStakeCents:
    // burn is not ARR-equivalent revenue and would swamp every revenue task's score.
    if (runwayMonths !== null && runwayMonths < t.runway_months_warning && netBurnCents !== null) {
      recommendations.push({
        id: 'finance.extend-runway',
        title: `Extend runway beyond ${t.runway_months_warning} months (now ${runwayMonths})`,
        source: 'finance',
        reason: `Net burn ${formatMoney(netBurnCents)}/month against ${formatMoney(cashBalanceCents ?? 0)} cash. Cut burn or start raising.`,
        deadline: `${addMonths(thisMonth, 1)}-15`,
        energyDemand: 'high',
        tags: ['cash', 'fundraising'],
      });
    }
    if (alerts.some((a) => a.id === 'finance.burn-increase')) {
      recommendations.push({
        id: 'finance.review-spending',
        title: `Review spending: net burn up ${netBurnChangePct}% in ${lastMonth}`,
        source: 'finance',
        reason: `Net burn went from ${formatMoney(netBurnBeforeCents ?? 0)} to ${formatMoney(netBurnLastCents ?? 0)}; find what grew before it becomes the new normal.`,
        deadline: addDays(today, 7),
        energyDemand: 'medium',
        tags: ['cash'],
      });
    }

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Finance within thresholds: MRR ${formatMoney(mrrCents)} (net new ${formatMoney(mtd.netNewCents)} this month), runway ${runwayMonths === null ? 'not limited (not burning)' : `${runwayMonths} months`}`,
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
