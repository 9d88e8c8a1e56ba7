/**
 * Finance recommendations: collect past-due payments, win back this month's churned
 * customers, extend a short runway, review a burn increase. Pure.
 */
import type { Subscription } from '../../contract/datasets/finance.js';
import {
  subjectKey,
  type AgentContext,
  type Alert,
  type TaskInput,
} from '../../contract/report.js';
import { addDays, addMonths } from '../../shared/dates.js';
import { formatMoney, formatMoneyShort } from '../../shared/money.js';
import { slug } from '../../shared/text.js';
import { annualByCustomer, annualCents, mrrCentsOf, type MrrMovements } from '../finance-mrr.js';
import type { FinanceFigures } from './metrics.js';
import { MAX_WIN_BACK_TASKS, type FinanceThresholds } from './settings.js';

type TaskContext = Pick<AgentContext, 'today' | 'currency'>;

/** Every past-due subscription, largest first: collect before it churns. */
export function collectTasks(pastDue: readonly Subscription[], ctx: TaskContext): TaskInput[] {
  return [...pastDue]
    .sort((a, b) => annualCents(b) - annualCents(a) || a.id.localeCompare(b.id))
    .map((s) => ({
      id: `finance.collect-${slug(s.id)}`,
      title: `Collect past-due payment from ${s.customer_name} (${formatMoneyShort(annualCents(s), ctx.currency)} ARR)`,
      source: 'finance',
      subject: subjectKey('account', s.customer_name),
      reason: `Subscription ${s.id} (${s.plan}, ${formatMoney(s.amount_cents, ctx.currency)} per ${s.interval}) is past due; unpaid, it churns.`,
      moneyAtStakeCents: annualCents(s),
      deadline: addDays(ctx.today, 7),
      energyDemand: 'low',
      tags: ['revenue', 'cash', 'retention'],
    }));
}

/** Customers who churned this month and are still gone, largest first: win them back. */
export function winBackTasks(
  mtd: MrrMovements,
  subs: readonly Subscription[],
  ctx: TaskContext,
): TaskInput[] {
  const payingToday = annualByCustomer(subs, ctx.today);
  const nameOf = (id: string) =>
    subs
      .filter((s) => s.customer_id === id)
      .sort((a, b) => b.started_on.localeCompare(a.started_on))[0]?.customer_name ?? id;
  return mtd.events
    .filter((e) => e.kind === 'churn' && !payingToday.has(e.customerId))
    .sort((a, b) => b.annualCents - a.annualCents || a.customerId.localeCompare(b.customerId))
    .slice(0, MAX_WIN_BACK_TASKS)
    .map((e) => {
      const name = nameOf(e.customerId);
      return {
        id: `finance.win-back-${slug(e.customerId)}`,
        title: `Win back ${name} (${formatMoneyShort(e.annualCents, ctx.currency)} ARR churned ${e.date})`,
        source: 'finance',
        subject: subjectKey('account', name),
        reason: `${name} stopped paying on ${e.date}: ${formatMoney(mrrCentsOf(e.annualCents), ctx.currency)} MRR lost this month.`,
        moneyAtStakeCents: e.annualCents,
        deadline: addDays(ctx.today, 14),
        energyDemand: 'medium',
        tags: ['revenue', 'retention'],
      };
    });
}

/**
 * Runway under the warning threshold: plan how to extend it; a burn-increase alert:
 * review spending. No moneyAtStakeCents: burn is not ARR-equivalent revenue and would
 * swamp every revenue task's score.
 */
export function cashTasks(
  f: FinanceFigures,
  alerts: readonly Alert[],
  t: FinanceThresholds,
  ctx: TaskContext,
): TaskInput[] {
  const money = (c: number) => formatMoney(c, ctx.currency);
  const tasks: TaskInput[] = [];
  const { runwayMonths, netBurnCents } = f;
  if (runwayMonths !== null && runwayMonths < t.runway_months_warning && netBurnCents !== null) {
    tasks.push({
      id: 'finance.extend-runway',
      title: `Extend runway beyond ${t.runway_months_warning} months (now ${runwayMonths})`,
      source: 'finance',
      reason: `Net burn ${money(netBurnCents)}/month against ${money(f.cashBalanceCents ?? 0)} cash. Cut burn or start raising.`,
      deadline: `${addMonths(f.thisMonth, 1)}-15`,
      energyDemand: 'high',
      tags: ['cash', 'fundraising'],
    });
  }
  if (alerts.some((a) => a.id === 'finance.burn-increase')) {
    tasks.push({
      id: 'finance.review-spending',
      title: `Review spending: net burn up ${f.netBurnChangePct}% in ${f.lastMonth}`,
      source: 'finance',
      reason: `Net burn went from ${money(f.netBurnBeforeCents ?? 0)} to ${money(f.netBurnLastCents ?? 0)}; find what grew before it becomes the new normal.`,
      deadline: addDays(ctx.today, 7),
      energyDemand: 'medium',
      tags: ['cash'],
    });
  }
  return tasks;
}

/** Every finance recommendation, in the order above. */
export function financeTasks(
  f: FinanceFigures,
  subs: readonly Subscription[],
  alerts: readonly Alert[],
  t: FinanceThresholds,
  ctx: TaskContext,
): TaskInput[] {
  return [
    ...collectTasks(f.pastDue, ctx),
    ...winBackTasks(f.mtd, subs, ctx),
    ...cashTasks(f, alerts, t, ctx),
  ];
}
