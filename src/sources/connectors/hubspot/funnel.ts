/**
 * Marketing's lead funnel from HubSpot contacts: leads (contacts created), MQLs (entered
 * the marketing-qualified-lead stage) and new customers (entered the customer stage) per
 * month and channel (the contact's original source, `hs_analytics_source`), overlaid on
 * the campaigns.csv rows, which keep spend, campaign names and new ARR. Rules:
 * docs/sources/hubspot.md.
 */
import { addMonths, monthOf } from '../../../shared/dates.js';
import { channelKey } from '../../../contract/datasets/marketing.js';
import { dateIn, parseInstant, startOfMonthMs } from './convert.js';
import type { HubSpotHttp } from './http.js';
import { ContactsSearch, type HubSpotContact } from './schemas.js';
import { MAX_PAGE, type HubSpotSettings } from './settings.js';

export const CONTACT_PROPERTIES = [
  'createdate',
  'lifecyclestage',
  'hs_analytics_source',
  'hs_lifecyclestage_marketingqualifiedlead_date',
  'hs_lifecyclestage_customer_date',
  'associatedcompanyid',
] as const;

/** HubSpot's original-source values and the channel each becomes by default. */
export const DEFAULT_CHANNELS: Record<string, string> = {
  PAID_SEARCH: 'paid_search',
  PAID_SOCIAL: 'paid_social',
  ORGANIC_SEARCH: 'organic_search',
  SOCIAL_MEDIA: 'organic_social',
  EMAIL_MARKETING: 'email',
  REFERRALS: 'referrals',
  AI_REFERRALS: 'ai_referrals',
  OTHER_CAMPAIGNS: 'other_campaigns',
  DIRECT_TRAFFIC: 'direct',
  OFFLINE: 'offline',
};

/** The channel of an original source, or null when sources.yaml leaves it out. */
export function channelOf(source: string | null | undefined, s: HubSpotSettings): string | null {
  const src = (source ?? '').trim().toUpperCase() || 'UNKNOWN';
  const configured = Object.entries(s.channel_map).find(([k]) => k.trim().toUpperCase() === src);
  if (configured) return configured[1] === null ? null : channelKey(configured[1]);
  return DEFAULT_CHANNELS[src] ?? (channelKey(src) || 'unknown');
}

export interface FunnelCounts {
  leads: number;
  mqls: number;
  newCustomers: number;
}

/** month -> channel -> counts */
export type Funnel = Map<string, Map<string, FunnelCounts>>;

/** The funnel's months: funnel_months of them, ending with today's month. */
export function funnelMonths(today: string, s: HubSpotSettings): string[] {
  const current = monthOf(today);
  return Array.from({ length: s.funnel_months }, (_, i) =>
    addMonths(current, i - (s.funnel_months - 1)),
  );
}

/** HubSpot's search returns at most this many results per query. */
export const SEARCH_CAP = 10_000;

/**
 * The contacts with an event in `month`: created, or entering the MQL or the customer
 * stage, in it (three OR-ed filter groups; each ANDs a >= start and a < end on one date
 * property). Every page of the search, lowest id first. A month with more matches than
 * the search can return is searched in halves (a contact may then come twice; the
 * counting keeps one).
 */
export async function searchMonth(
  api: HubSpotHttp,
  month: string,
  s: HubSpotSettings,
): Promise<HubSpotContact[]> {
  const start = startOfMonthMs(month, s.time_zone);
  const end = startOfMonthMs(addMonths(month, 1), s.time_zone);
  return searchRange(api, start, end, s);
}

async function searchRange(
  api: HubSpotHttp,
  start: number,
  end: number,
  s: HubSpotSettings,
): Promise<HubSpotContact[]> {
  const within = (propertyName: string) => ({
    filters: [
      { propertyName, operator: 'GTE', value: String(start) },
      { propertyName, operator: 'LT', value: String(end) },
    ],
  });
  const limit = Math.min(s.page_size ?? MAX_PAGE.search, MAX_PAGE.search);
  const contacts: HubSpotContact[] = [];
  let after: string | undefined;
  do {
    const body = {
      filterGroups: [
        within('createdate'),
        within('hs_lifecyclestage_marketingqualifiedlead_date'),
        within('hs_lifecyclestage_customer_date'),
      ],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: [...CONTACT_PROPERTIES],
      limit,
      ...(after ? { after } : {}),
    };
    const page = await api.request(
      'POST /crm/v3/objects/contacts/search',
      'contact',
      ContactsSearch,
      (o) => api.api.contactsSearch.doSearchWithHttpInfo(body as never, o as never),
    );
    if (!after && page.total > SEARCH_CAP && end - start > 60_000) {
      const mid = start + Math.floor((end - start) / 2);
      return [...(await searchRange(api, start, mid, s)), ...(await searchRange(api, mid, end, s))];
    }
    contacts.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return contacts;
}

/**
 * Counts per month and channel. A contact counts as a lead in the month it was created,
 * as an MQL in the month it entered that stage, and as a new customer in the month it
 * entered the customer stage; all three under its original source's channel. New
 * customers are counted per company: contacts of one company (associatedcompanyid)
 * becoming customers in one month are one new customer, in the channel of the
 * earliest-created of them. Contacts whose current lifecycle stage is excluded, or whose
 * source maps to null, are not counted.
 */
export function countFunnel(
  byMonth: ReadonlyMap<string, readonly HubSpotContact[]>,
  s: HubSpotSettings,
): Funnel {
  const excluded = new Set(s.exclude_lifecycle_stages.map((x) => x.trim().toLowerCase()));
  const funnel: Funnel = new Map();
  const bump = (month: string, channel: string, key: keyof FunnelCounts) => {
    const channels = funnel.get(month) ?? new Map<string, FunnelCounts>();
    funnel.set(month, channels);
    const c = channels.get(channel) ?? { leads: 0, mqls: 0, newCustomers: 0 };
    channels.set(channel, c);
    c[key]++;
  };
  const monthOfValue = (v: string | null | undefined) => {
    if (!v) return undefined;
    const ms = parseInstant(v);
    return ms === undefined ? undefined : dateIn(ms, s.time_zone).slice(0, 7);
  };
  for (const [month, contacts] of byMonth) {
    const customers = new Map<string, { created: number; id: string; channel: string }>();
    const seen = new Set<string>();
    for (const c of contacts) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      const p = c.properties;
      if (excluded.has((p.lifecyclestage ?? '').trim().toLowerCase())) continue;
      const channel = channelOf(p.hs_analytics_source, s);
      if (channel === null) continue;
      if (monthOfValue(p.createdate) === month) bump(month, channel, 'leads');
      if (monthOfValue(p.hs_lifecyclestage_marketingqualifiedlead_date) === month) {
        bump(month, channel, 'mqls');
      }
      if (monthOfValue(p.hs_lifecyclestage_customer_date) === month) {
        const key = p.associatedcompanyid?.trim()
          ? `company:${p.associatedcompanyid.trim()}`
          : `contact:${c.id}`;
        const created = parseInstant(p.createdate)!;
        const prev = customers.get(key);
        if (!prev || created < prev.created || (created === prev.created && c.id < prev.id)) {
          customers.set(key, { created, id: c.id, channel });
        }
      }
    }
    for (const { channel } of customers.values()) bump(month, channel, 'newCustomers');
  }
  return funnel;
}

type Row = Record<string, unknown>;

/**
 * campaigns.csv rows with the funnel's months taken from HubSpot: in each month of the
 * window, each channel's leads, MQLs and new customers go on its first row (by id) and 0
 * on its other rows; a channel-month HubSpot has and the file lacks becomes a new row
 * with no spend. Rows of other months, and spend, campaign and new ARR everywhere, stay
 * as the file has them.
 */
export function overlayCampaigns(
  fileRows: readonly Row[],
  funnel: Funnel,
  months: readonly string[],
): Row[] {
  const window = new Set(months);
  const rows = fileRows.map((r) => ({ ...r }));
  const firstOf = new Map<string, Row>();
  const inWindow = rows
    .filter(
      (r) => typeof r.month === 'string' && window.has(r.month) && typeof r.channel === 'string',
    )
    .sort((a, b) => String(a.id ?? '').localeCompare(String(b.id ?? '')));
  for (const r of inWindow) {
    const key = `${r.month as string}\u0000${channelKey(r.channel as string)}`;
    const counts = firstOf.has(key)
      ? undefined
      : funnel.get(r.month as string)?.get(channelKey(r.channel as string));
    if (!firstOf.has(key)) firstOf.set(key, r);
    r.leads = counts?.leads ?? 0;
    r.mqls = counts?.mqls ?? 0;
    r.new_customers = counts?.newCustomers ?? 0;
  }
  const ids = new Set(rows.map((r) => String(r.id)));
  for (const month of months) {
    const channels = [...(funnel.get(month) ?? new Map<string, FunnelCounts>())].sort(([a], [b]) =>
      a.localeCompare(b),
    );
    for (const [channel, c] of channels) {
      if (firstOf.has(`${month}\u0000${channel}`)) continue;
      let id = `${month}-hubspot-${channel}`;
      for (let n = 2; ids.has(id); n++) id = `${month}-hubspot-${channel}-${n}`;
      ids.add(id);
      rows.push({
        id,
        month,
        channel,
        campaign: `HubSpot contacts (${channel})`,
        spend_cents: 0,
        leads: c.leads,
        mqls: c.mqls,
        new_customers: c.newCustomers,
        new_arr_cents: undefined,
      });
    }
  }
  return rows;
}

export interface MarketingRows {
  campaigns: Row[];
  months: string[];
  contacts: number;
}

export async function loadMarketing(
  api: HubSpotHttp,
  s: HubSpotSettings,
  today: string,
  fileCampaigns: unknown,
): Promise<MarketingRows> {
  const months = funnelMonths(today, s);
  const byMonth = new Map<string, HubSpotContact[]>();
  for (const month of months) byMonth.set(month, await searchMonth(api, month, s));
  const funnel = countFunnel(byMonth, s);
  const rows = Array.isArray(fileCampaigns) ? (fileCampaigns as Row[]) : [];
  return {
    campaigns: overlayCampaigns(rows, funnel, months),
    months,
    contacts: new Set([...byMonth.values()].flat().map((c) => c.id)).size,
  };
}
