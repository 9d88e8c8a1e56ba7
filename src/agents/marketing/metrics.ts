/**
 * The marketing figures: the funnel overall and per channel (spend, leads, MQLs, new
 * customers, attributed new ARR), CAC and ROI, and content performance, for the last
 * complete month compared with the month before (both from the monthly data). Pure.
 */
import type { CampaignMonth, ContentMonth } from '../../contract/datasets/marketing.js';
import type { AgentContext } from '../../contract/report.js';
import { addMonths, monthOf } from '../../shared/dates.js';
import { centsToUnits } from '../../shared/money.js';
import { percent, round, sumBy } from '../../shared/numbers.js';
import { slug } from '../../shared/text.js';

/** The datasets marketing reads (its input without the settings). */
export interface MarketingData {
  campaigns: readonly CampaignMonth[];
  content: readonly ContentMonth[];
}

export interface Funnel {
  spendCents: number;
  leads: number;
  mqls: number;
  newCustomers: number;
  /** Attributed new ARR in cents; null when no row of the set carries `new_arr_cents`. */
  newArrCents: number | null;
  /** Spend / new customers in cents (rounded once), null without new customers. */
  cacCents: number | null;
}

export interface ChannelFunnel extends Funnel {
  /** The channel key, e.g. paid_search. */
  name: string;
}

export interface MarketingFigures {
  metrics: Record<string, number | null>;
  /** YYYY-MM: today's month, the period reported (the last complete month) and the one before. */
  thisMonth: string;
  period: string;
  previous: string;
  cur: Funnel;
  prev: Funnel;
  /** The period's funnel per channel, by channel key. */
  channels: ChannelFunnel[];
}

export function funnel(rows: readonly CampaignMonth[]): Funnel {
  const spendCents = sumBy(rows, (r) => r.spend_cents);
  const newCustomers = sumBy(rows, (r) => r.new_customers);
  const tracked = rows.filter((r) => r.new_arr_cents !== undefined);
  return {
    spendCents,
    leads: sumBy(rows, (r) => r.leads),
    mqls: sumBy(rows, (r) => r.mqls),
    newCustomers,
    newArrCents: tracked.length === 0 ? null : sumBy(tracked, (r) => r.new_arr_cents ?? 0),
    cacCents: newCustomers > 0 ? Math.round(spendCents / newCustomers) : null,
  };
}

/** Percent change from `prev` to `cur`, 1 decimal; null when either is missing or prev is 0. */
export function change(cur: number | null, prev: number | null): number | null {
  if (cur === null || prev === null || prev === 0) return null;
  return percent(cur - prev, prev);
}

/** (new ARR - spend) / spend in percent; null without spend or without tracked ARR. */
export function roiPct(f: Funnel): number | null {
  return f.newArrCents === null ? null : percent(f.newArrCents - f.spendCents, f.spendCents);
}

const units = (c: number | null) => (c === null ? null : centsToUnits(c));

/** The funnel of each channel in `rows`, by channel key. */
export function channelFunnels(rows: readonly CampaignMonth[]): ChannelFunnel[] {
  return [...new Set(rows.map((r) => r.channel))]
    .sort()
    .map((name) => ({ name, ...funnel(rows.filter((r) => r.channel === name)) }));
}

/** `<metric>.<channel>` keys for every channel. */
export function channelMetrics(channels: readonly ChannelFunnel[]): Record<string, number | null> {
  return Object.fromEntries(
    channels.flatMap((c) => [
      [`spend.${c.name}`, centsToUnits(c.spendCents)],
      [`leads.${c.name}`, c.leads],
      [`mqls.${c.name}`, c.mqls],
      [`newCustomers.${c.name}`, c.newCustomers],
      [`newArr.${c.name}`, units(c.newArrCents)],
      [`leadToMqlPct.${c.name}`, percent(c.mqls, c.leads)],
      [`cac.${c.name}`, units(c.cacCents)],
      [`roiPct.${c.name}`, roiPct(c)],
    ]),
  );
}

/** Content performance of the pieces with traffic in `period`, its trend, and per piece. */
export function contentMetrics(
  content: readonly ContentMonth[],
  period: string,
  previous: string,
): Record<string, number | null> {
  const pieces = content.filter((r) => r.month === period);
  const before = content.filter((r) => r.month === previous);
  const views = sumBy(pieces, (r) => r.views);
  const leads = sumBy(pieces, (r) => r.leads);
  const perPiece = [...pieces]
    .sort((a, b) => a.piece_id.localeCompare(b.piece_id))
    .flatMap((p) => [
      [`contentViews.${slug(p.piece_id)}`, p.views],
      [`contentLeads.${slug(p.piece_id)}`, p.leads],
    ]);
  return {
    contentPieces: pieces.length,
    newContentPieces: pieces.filter((p) => monthOf(p.published_on) === period).length,
    contentViews: views,
    contentLeads: leads,
    viewsPerPiece: pieces.length === 0 ? null : round(views / pieces.length, 1),
    leadsPerPiece: pieces.length === 0 ? null : round(leads / pieces.length, 2),
    contentLeadRatePct: percent(leads, views, 2),
    contentViewsChangePct: change(
      views,
      sumBy(before, (r) => r.views),
    ),
    contentLeadsChangePct: change(
      leads,
      sumBy(before, (r) => r.leads),
    ),
    ...Object.fromEntries(perPiece),
  };
}

/** Every marketing metric, and the figures the alerts, tasks and health read. */
export function marketingMetrics(
  input: MarketingData,
  ctx: Pick<AgentContext, 'today'>,
): MarketingFigures {
  // The period is the last complete month; the current month is still filling up.
  const thisMonth = monthOf(ctx.today);
  const period = addMonths(thisMonth, -1);
  const previous = addMonths(thisMonth, -2);
  const rows = input.campaigns.filter((r) => r.month === period);
  const cur = funnel(rows);
  const prev = funnel(input.campaigns.filter((r) => r.month === previous));
  const channels = channelFunnels(rows);
  const metrics: Record<string, number | null> = {
    spend: centsToUnits(cur.spendCents),
    leads: cur.leads,
    mqls: cur.mqls,
    newCustomers: cur.newCustomers,
    newArr: units(cur.newArrCents),
    leadToMqlPct: percent(cur.mqls, cur.leads),
    mqlToCustomerPct: percent(cur.newCustomers, cur.mqls),
    leadToCustomerPct: percent(cur.newCustomers, cur.leads),
    cac: units(cur.cacCents),
    roiPct: roiPct(cur),
    spendPrevious: centsToUnits(prev.spendCents),
    leadsPrevious: prev.leads,
    mqlsPrevious: prev.mqls,
    newCustomersPrevious: prev.newCustomers,
    cacPrevious: units(prev.cacCents),
    spendChangePct: change(cur.spendCents, prev.spendCents),
    leadsChangePct: change(cur.leads, prev.leads),
    mqlsChangePct: change(cur.mqls, prev.mqls),
    newCustomersChangePct: change(cur.newCustomers, prev.newCustomers),
    cacChangePct: change(cur.cacCents, prev.cacCents),
    ...channelMetrics(channels),
    ...contentMetrics(input.content, period, previous),
  };
  return { metrics, thisMonth, period, previous, cur, prev, channels };
}
