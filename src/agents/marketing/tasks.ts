/**
 * Marketing recommendations: review channels that spend without return, scale the best
 * one, and find out why leads fell. Spend is cost, not revenue: a review task puts no
 * money at stake (docs/metrics.md, Recommendations). Pure.
 */
import {
  subjectKey,
  type AgentContext,
  type Alert,
  type TaskInput,
} from '../../contract/report.js';
import { addDays, endOfMonth } from '../../shared/dates.js';
import { formatMoney } from '../../shared/money.js';
import { slug } from '../../shared/text.js';
import { idleChannels } from './alerts.js';
import { roiPct, type MarketingFigures } from './metrics.js';
import type { MarketingThresholds } from './settings.js';

type TaskContext = Pick<AgentContext, 'today' | 'currency'>;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Every channel with spend and no customer, and every channel whose CAC is more than
 * channel_cac_premium_pct above the blended CAC; biggest spend first.
 */
export function reviewChannelTasks(
  f: MarketingFigures,
  t: MarketingThresholds,
  ctx: TaskContext,
): TaskInput[] {
  const money = (c: number) => formatMoney(c, ctx.currency);
  const { cur } = f;
  const expensive = f.channels.filter(
    (c) =>
      c.cacCents !== null &&
      cur.cacCents !== null &&
      c.cacCents > cur.cacCents * (1 + t.channel_cac_premium_pct / 100),
  );
  const blended = cur.cacCents === null ? 'no blended CAC' : `${money(cur.cacCents)} blended`;
  return [...idleChannels(f, t), ...expensive]
    .sort((a, b) => b.spendCents - a.spendCents || a.name.localeCompare(b.name))
    .map((c) => ({
      id: `marketing.review-channel-${slug(c.name)}`,
      title: `Review ${c.name} spend (${c.cacCents === null ? 'no new customers' : `CAC ${money(c.cacCents)}`} vs ${blended})`,
      source: 'marketing',
      subject: subjectKey('channel', c.name),
      reason: `${c.name} spent ${money(c.spendCents)} in ${f.period} for ${plural(c.newCustomers, 'new customer')} (${c.leads} leads, ${c.mqls} MQLs); cut or fix it before next month's budget.`,
      deadline: endOfMonth(f.thisMonth),
      energyDemand: 'medium',
      tags: ['growth', 'efficiency'],
    }));
}

/** The channel with the best ROI, when it reaches scale_channel_roi_pct: put more into it. */
export function scaleChannelTasks(
  f: MarketingFigures,
  t: MarketingThresholds,
  ctx: TaskContext,
): TaskInput[] {
  const money = (c: number) => formatMoney(c, ctx.currency);
  const best = f.channels
    .filter((c) => c.newCustomers > 0 && c.spendCents > 0 && c.newArrCents !== null)
    .map((c) => ({ ...c, roi: roiPct(c)! }))
    .sort((a, b) => b.roi - a.roi || a.name.localeCompare(b.name))[0];
  if (!best || best.roi < t.scale_channel_roi_pct) return [];
  return [
    {
      id: `marketing.scale-channel-${slug(best.name)}`,
      title: `Put more budget into ${best.name} (ROI ${best.roi}%, CAC ${money(best.cacCents ?? 0)})`,
      source: 'marketing',
      subject: subjectKey('channel', best.name),
      reason: `${best.name} brought ${money(best.newArrCents ?? 0)} new ARR from ${money(best.spendCents)} in ${f.period} (${plural(best.newCustomers, 'customer')}), the best return of any channel.`,
      moneyAtStakeCents: best.newArrCents ?? 0,
      deadline: endOfMonth(f.thisMonth),
      energyDemand: 'medium',
      tags: ['growth', 'revenue'],
    },
  ];
}

/**
 * After a leads-dropping alert: find out why. At stake: the new ARR the missing leads
 * would have brought at last month's ARR per lead.
 */
export function recoverLeadFlowTasks(
  f: MarketingFigures,
  alerts: readonly Alert[],
  ctx: TaskContext,
): TaskInput[] {
  if (!alerts.some((a) => a.id === 'marketing.leads-dropping')) return [];
  const { cur, prev, period } = f;
  const atStake =
    prev.newArrCents === null || prev.leads === 0
      ? undefined
      : Math.round(((prev.leads - cur.leads) * prev.newArrCents) / prev.leads);
  return [
    {
      id: 'marketing.recover-lead-flow',
      title: `Find out why leads fell ${-(f.metrics.leadsChangePct ?? 0)}% in ${period}`,
      source: 'marketing',
      reason: `${cur.leads} leads in ${period} against ${prev.leads} in ${f.previous}; ${f.channels
        .map((c) => `${c.name} ${c.leads}`)
        .join(', ')}.`,
      ...(atStake !== undefined && atStake > 0 ? { moneyAtStakeCents: atStake } : {}),
      deadline: addDays(ctx.today, 14),
      energyDemand: 'high',
      tags: ['growth', 'pipeline'],
    },
  ];
}

/** Every marketing recommendation, in the order above. */
export function marketingTasks(
  f: MarketingFigures,
  alerts: readonly Alert[],
  t: MarketingThresholds,
  ctx: TaskContext,
): TaskInput[] {
  return [
    ...reviewChannelTasks(f, t, ctx),
    ...scaleChannelTasks(f, t, ctx),
    ...recoverLeadFlowTasks(f, alerts, ctx),
  ];
}
