/**
 * Finance: recurring revenue from subscriptions, cash and runway from the monthly
 * cash flow. Formulas, units and thresholds: docs/metrics.md#finance.
 */
import { z } from 'zod';
import { defineAgent } from './agent.js';
import type { Alert, TaskInput } from './contract.js';
import {
  addDays,
  addMonths,
  cents,
  centsToUnits,
  checkThreshold,
  formatMoney,
  formatMoneyShort,
  healthFromAlerts,
  isoDate,
  isoMonth,
  monthOf,
  oneOf,
  round,
  rowsUniqueBy,
  settingsFile,
  slug,
  sumBy,
  text,
} from './fields.js';

export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'trialing', 'canceled'] as const;
/** Statuses that count as paying: MRR, ARR and customers. */
export const PAYING_STATUSES: readonly string[] = ['active', 'past_due'];
export const BILLING_INTERVALS = ['month', 'quarter', 'year'] as const;
/** Billing periods per year, to turn one invoice into annual cents. */
const PERIODS_PER_YEAR: Record<(typeof BILLING_INTERVALS)[number], number> = {
  month: 12,
  quarter: 4,
  year: 1,
};

export const FINANCE_THRESHOLDS = {
  /** Runway (months) below this: warning. */
  runway_months_warning: 12,
  /** Runway (months) below this: critical. */
  runway_months_critical: 6,
  /** Past-due MRR (currency units) above this: warning. */
  past_due_mrr_max: 500,
};

/** How many complete months the burn is averaged over. */
export const BURN_MONTHS = 3;

const Subscription = z.object({
  id: text(),
  customer_id: text(),
  customer_name: text(),
  plan: text(),
  interval: oneOf(BILLING_INTERVALS),
  /** Amount invoiced per billing interval, integer cents, after discounts. */
  amount_cents: cents(),
  status: oneOf(SUBSCRIPTION_STATUSES),
  started_on: isoDate(),
  canceled_on: isoDate().optional(),
});

const CashflowMonth = z.object({
  month: isoMonth(),
  cash_in_cents: cents(),
  cash_out_cents: cents(),
  closing_balance_cents: cents(),
});

export const FinanceInput = z.object({
  subscriptions: rowsUniqueBy(Subscription, 'id'),
  cashflow: rowsUniqueBy(CashflowMonth, 'month'),
  settings: settingsFile(FINANCE_THRESHOLDS),
});
export type FinanceInput = z.output<typeof FinanceInput>;

function annualCents(s: { interval: keyof typeof PERIODS_PER_YEAR; amount_cents: number }): number {
  return s.amount_cents * PERIODS_PER_YEAR[s.interval];
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

    // Paying = status active or past_due and already started. Sum ANNUAL cents first,
    // then divide by 12 and round once to the cent: no per-row rounding drift.
    const paying = input.subscriptions.filter(
      (s) => PAYING_STATUSES.includes(s.status) && s.started_on <= today,
    );
    const annualTotal = sumBy(paying, annualCents);
    const mrrCents = Math.round(annualTotal / 12);
    const arrCents = mrrCents * 12;
    const customers = new Set(paying.map((s) => s.customer_id)).size;
    const pastDue = paying.filter((s) => s.status === 'past_due');
    const pastDueMrrCents = Math.round(sumBy(pastDue, annualCents) / 12);

    // Cash: closing balance of the latest month up to today's; burn: average over the
    // last BURN_MONTHS complete months (before today's month).
    const thisMonth = monthOf(today);
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
      complete.length > 0
        ? Math.round(sumBy(complete, (m) => m.cash_out_cents - m.cash_in_cents) / complete.length)
        : null;
    // Not burning (net burn <= 0) means infinite runway: reported as null.
    const runwayMonths =
      cashBalanceCents !== null && netBurnCents !== null && netBurnCents > 0
        ? round(cashBalanceCents / netBurnCents, 1)
        : null;

    const metrics = {
      mrr: centsToUnits(mrrCents),
      arr: centsToUnits(arrCents),
      customers,
      arpa: customers > 0 ? centsToUnits(Math.round(mrrCents / customers)) : null,
      pastDueMrr: centsToUnits(pastDueMrrCents),
      cashBalance: cashBalanceCents === null ? null : centsToUnits(cashBalanceCents),
      grossBurn: grossBurnCents === null ? null : centsToUnits(grossBurnCents),
      netBurn: netBurnCents === null ? null : centsToUnits(netBurnCents),
      runwayMonths,
    };

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
        id: 'finance.past-due-mrr',
        metric: 'pastDueMrr',
        value: metrics.pastDueMrr,
        op: '>',
        warning: t.past_due_mrr_max,
        message: (v, th) =>
          `${formatMoney(v * 100)} MRR is past due (${pastDue.length} subscriptions), above ${formatMoney(th * 100)}`,
      }),
    ];

    const recommendations: TaskInput[] = [];
    // Every past-due subscription: collect before it churns.
    for (const s of [...pastDue].sort((a, b) => annualCents(b) - annualCents(a))) {
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

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Finance within thresholds: MRR ${formatMoney(mrrCents)}, runway ${runwayMonths ?? 'not limited (not burning)'}${runwayMonths === null ? '' : ' months'}`,
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
