/** Customer-success recommendations: save the riskiest accounts, renewals first. Pure. */
import { subjectKey, type AgentContext, type TaskInput } from '../../contract/report.js';
import { addDays } from '../../shared/dates.js';
import { formatMoneyShort } from '../../shared/money.js';
import { slug } from '../../shared/text.js';
import type { AccountRisk } from './risk.js';
import { MAX_ACCOUNT_TASKS, type CustomerSuccessThresholds } from './settings.js';

/**
 * One "save account" task per at-risk account (riskiest first, at most
 * MAX_ACCOUNT_TASKS), due at its renewal when that is inside the renewal window, else in
 * 14 days; high energy when it renews within renewal_at_risk_days.
 */
export function saveAccountTasks(
  atRisk: readonly AccountRisk[],
  t: CustomerSuccessThresholds,
  ctx: Pick<AgentContext, 'today' | 'currency'>,
): TaskInput[] {
  return atRisk.slice(0, MAX_ACCOUNT_TASKS).map((r) => {
    const renewalSoon =
      r.daysToRenewal !== undefined &&
      r.daysToRenewal >= 0 &&
      r.daysToRenewal <= t.renewal_window_days;
    return {
      id: `customer-success.save-account-${slug(r.customerId)}`,
      title: `Save ${r.name} (risk ${r.score}, ${formatMoneyShort(r.arrCents, ctx.currency)} ARR${renewalSoon ? `, renews ${r.renewalDate}` : ''})`,
      source: 'customer-success' as const,
      subject: subjectKey('account', r.name),
      reason: `${r.name}: risk ${r.score}/100 from ${r.reasons.join(', ')}${r.csm ? `; CSM ${r.csm}` : ''}.`,
      moneyAtStakeCents: r.arrCents,
      deadline: renewalSoon ? r.renewalDate! : addDays(ctx.today, 14),
      energyDemand:
        renewalSoon && r.daysToRenewal! <= t.renewal_at_risk_days
          ? ('high' as const)
          : ('medium' as const),
      tags: ['retention'],
    };
  });
}
