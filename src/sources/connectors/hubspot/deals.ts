/**
 * Sales from HubSpot: deals.csv and deal_stage_history.csv rows built from the deal
 * pipelines, the deals (with their `dealstage` history and company association), the
 * owners and the associated companies' names. Mapping rules: docs/sources/hubspot.md.
 */
import type { DealStage } from '../../../contract/datasets/sales.js';
import { SourceRequestError, SourceSchemaError } from '../../../shared/errors.js';
import { settingsError } from '../kit/index.js';
import { calendarDate, decimalFraction, parseInstant, toCents } from './convert.js';
import type { HubSpotHttp } from './http.js';
import {
  CompaniesBatch,
  DealsPage,
  OwnersPage,
  PipelinesResponse,
  type HubSpotDeal,
  type Pipeline,
} from './schemas.js';
import { MAX_PAGE, type HubSpotSettings } from './settings.js';

/** A deal stage of a HubSpot pipeline and where it lands among ours. */
export interface StageInfo {
  id: string;
  label: string;
  pipelineId: string;
  pipelineLabel: string;
  isClosed: boolean;
  /** HubSpot's win probability (metadata.probability) in whole percent. */
  probabilityPct: number;
  /** Our stage, or undefined with `problem` saying what to configure. */
  stage: DealStage | undefined;
  problem?: string;
}

/**
 * The default rule for an open stage, by HubSpot's probability: below 30% lead, below
 * 50% qualified, below 80% proposal, else negotiation. HubSpot's default sales pipeline
 * (20/40/60/80/90%) becomes lead, qualified, proposal, negotiation, negotiation.
 */
export function openStageFor(probability: number): DealStage {
  if (probability < 0.3) return 'lead';
  if (probability < 0.5) return 'qualified';
  if (probability < 0.8) return 'proposal';
  return 'negotiation';
}

/** Every stage of every deal pipeline, by stage id, mapped to our stages. */
export function stageMap(
  pipelines: readonly Pipeline[],
  s: HubSpotSettings,
): Map<string, StageInfo> {
  const overrides = new Map(
    Object.entries(s.stage_map).map(([k, v]) => [k.trim().toLowerCase(), v] as const),
  );
  const map = new Map<string, StageInfo>();
  for (const p of pipelines) {
    for (const st of p.stages) {
      const probability = Number(st.metadata.probability);
      const isClosed = st.metadata.isClosed === 'true';
      const override =
        overrides.get(st.id.toLowerCase()) ??
        overrides.get(`${p.label}/${st.label}`.trim().toLowerCase()) ??
        overrides.get(st.label.trim().toLowerCase());
      let stage: DealStage | undefined = override;
      let problem: string | undefined;
      if (!stage) {
        if (!isClosed) stage = openStageFor(probability);
        else if (probability === 1) stage = 'won';
        else if (probability === 0) stage = 'lost';
        else {
          problem =
            `deal stage "${st.label}" (id ${st.id}, pipeline "${p.label}") is closed with a ${Math.round(probability * 100)}% probability, ` +
            `so it is neither clearly won nor lost: add it to sources.yaml hubspot.stage_map (e.g. "${st.id}": won)`;
        }
      }
      map.set(st.id, {
        id: st.id,
        label: st.label,
        pipelineId: p.id,
        pipelineLabel: p.label,
        isClosed,
        probabilityPct:
          stage === 'won' ? 100 : stage === 'lost' ? 0 : Math.round(probability * 100),
        stage,
        ...(problem ? { problem } : {}),
      });
    }
  }
  return map;
}

/** The pipelines sources.yaml asks for (ids or labels), or all. */
export function selectPipelines(pipelines: readonly Pipeline[], s: HubSpotSettings): Set<string> {
  if (!s.pipelines) return new Set(pipelines.map((p) => p.id));
  const chosen = new Set<string>();
  s.pipelines.forEach((want, i) => {
    const w = want.trim().toLowerCase();
    const p = pipelines.find((x) => x.id.toLowerCase() === w || x.label.trim().toLowerCase() === w);
    if (!p) {
      throw settingsError(
        'hubspot',
        ['pipelines', i],
        `no deal pipeline ${JSON.stringify(want)} in HubSpot ` +
          `(there are: ${pipelines.map((x) => `${x.label} (${x.id})`).join(', ')})`,
      );
    }
    chosen.add(p.id);
  });
  return chosen;
}

export async function fetchPipelines(api: HubSpotHttp): Promise<Pipeline[]> {
  const body = await api.request(
    'GET /crm/v3/pipelines/deals',
    'deal pipeline',
    PipelinesResponse,
    (o) => api.api.pipelines.getAllWithHttpInfo('deals', o as never),
  );
  return body.results.filter((p) => p.archived !== true);
}

function dealProperties(s: HubSpotSettings): string[] {
  return [
    ...new Set([
      'dealname',
      'dealstage',
      'pipeline',
      'amount',
      s.amount_property,
      'deal_currency_code',
      'closedate',
      'createdate',
      'hs_lastmodifieddate',
      'notes_last_updated',
      'hubspot_owner_id',
      ...(s.delivery_hours_property ? [s.delivery_hours_property] : []),
    ]),
  ];
}

export async function fetchDeals(api: HubSpotHttp, s: HubSpotSettings): Promise<HubSpotDeal[]> {
  const limit = Math.min(s.page_size ?? MAX_PAGE.deals, MAX_PAGE.deals);
  const properties = dealProperties(s);
  const deals: HubSpotDeal[] = [];
  let after: string | undefined;
  do {
    const page = await api.request('GET /crm/v3/objects/deals', 'deal', DealsPage, (o) =>
      api.api.deals.getPageWithHttpInfo(
        limit,
        after,
        properties,
        ['dealstage'],
        ['companies'],
        false,
        o as never,
      ),
    );
    deals.push(...page.results);
    after = page.paging?.next?.after;
  } while (after);
  return deals;
}

/** Owner id -> "First Last" (or the e-mail), for the owners the deals name. */
async function fetchOwners(api: HubSpotHttp, s: HubSpotSettings): Promise<Map<string, string>> {
  const limit = Math.min(s.page_size ?? MAX_PAGE.owners, MAX_PAGE.owners);
  const owners = new Map<string, string>();
  let after: string | undefined;
  do {
    const page = await api.request('GET /crm/v3/owners', 'owner', OwnersPage, (o) =>
      api.api.owners.getPageWithHttpInfo(undefined, after, limit, false, o as never),
    );
    for (const w of page.results) {
      const name = [w.firstName, w.lastName]
        .filter((x) => x && x.trim())
        .join(' ')
        .trim();
      owners.set(w.id, name || w.email || `Owner ${w.id}`);
    }
    after = page.paging?.next?.after;
  } while (after);
  return owners;
}

/** Company id -> name, read 100 at a time; ids HubSpot no longer has are left out. */
async function fetchCompanyNames(
  api: HubSpotHttp,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += MAX_PAGE.batch) {
    const chunk = ids.slice(i, i + MAX_PAGE.batch);
    const body = await api.request(
      'POST /crm/v3/objects/companies/batch/read',
      'company',
      CompaniesBatch,
      (o) =>
        api.api.companiesBatch.readWithHttpInfo(
          { inputs: chunk.map((id) => ({ id })), properties: ['name'], propertiesWithHistory: [] },
          false,
          o as never,
        ),
    );
    for (const c of body.results) {
      const name = c.properties.name?.trim();
      if (name) names.set(c.id, name);
    }
  }
  return names;
}

/** The deal's primary company: the `deal_to_company` association, else the first. */
function companyOf(d: HubSpotDeal): string | undefined {
  const list = d.associations?.companies?.results ?? [];
  return (list.find((a) => a.type === 'deal_to_company') ?? list[0])?.id;
}

export interface SalesRows {
  deals: Record<string, string | number | undefined>[];
  stageHistory: { deal_id: string; stage: DealStage; entered_on: string }[];
  /** Deals left out (missing_close_date: skip). */
  skipped: string[];
  /** Currencies seen and converted. */
  converted: string[];
}

const fieldError = (id: string, field: string, message: string) =>
  new SourceSchemaError(`hubspot: deal ${id} has ${message} in "${field}"`, {
    object: 'deal',
    id,
    field,
  });

/** All of it: pipelines, deals, owners and companies, mapped to the workspace rows. */
export async function loadSales(api: HubSpotHttp, s: HubSpotSettings): Promise<SalesRows> {
  const pipelines = await fetchPipelines(api);
  const stages = stageMap(pipelines, s);
  const wanted = selectPipelines(pipelines, s);
  const deals = (await fetchDeals(api, s)).filter((d) => wanted.has(d.properties.pipeline));

  const ownerIds = new Set(deals.map((d) => d.properties.hubspot_owner_id).filter(Boolean));
  const owners = ownerIds.size > 0 ? await fetchOwners(api, s) : new Map<string, string>();
  const companyIds = [...new Set(deals.map(companyOf).filter((x): x is string => !!x))];
  const companies = companyIds.length > 0 ? await fetchCompanyNames(api, companyIds) : new Map();

  return mapDeals(deals, stages, owners, companies, s);
}

/** Pure mapping of fetched deals to deals.csv and deal_stage_history.csv rows. */
export function mapDeals(
  deals: readonly HubSpotDeal[],
  stages: ReadonlyMap<string, StageInfo>,
  owners: ReadonlyMap<string, string>,
  companies: ReadonlyMap<string, string>,
  s: HubSpotSettings,
): SalesRows {
  const tz = s.time_zone;
  const out: SalesRows = { deals: [], stageHistory: [], skipped: [], converted: [] };
  const converted = new Set<string>();
  const stageOf = (id: string, stageId: string, field: string): StageInfo => {
    const info = stages.get(stageId);
    if (!info) {
      throw new SourceSchemaError(
        `hubspot: deal ${id} is in stage ${JSON.stringify(stageId)} ("${field}"), which no deal pipeline has ` +
          `(GET /crm/v3/pipelines/deals); was the stage deleted?`,
        { object: 'deal', id, field },
      );
    }
    if (!info.stage) throw new SourceRequestError(`hubspot: deal ${id}: ${info.problem}`, { id });
    return info;
  };

  for (const d of deals) {
    const p = d.properties;
    const id = d.id;
    const current = stageOf(id, p.dealstage, 'properties.dealstage');
    const stage = current.stage!;
    const closed = stage === 'won' || stage === 'lost';

    // Stage history, oldest first: known stages only; a won/lost entry other than the
    // deal's own closed stage was undone (reopened), so it is left out; a deal enters
    // each of our stages once, on the first day it reached it.
    const entries = [...d.propertiesWithHistory.dealstage]
      .map((h) => ({ ...h, ms: parseInstant(h.timestamp)! }))
      .sort((a, b) => a.ms - b.ms);
    const seen = new Set<DealStage>();
    const history: SalesRows['stageHistory'] = [];
    for (const h of entries) {
      const info = stages.get(h.value);
      if (!info) continue; // a stage deleted since: nothing to map it to
      if (!info.stage) throw new SourceRequestError(`hubspot: deal ${id}: ${info.problem}`, { id });
      const st = info.stage;
      if ((st === 'won' || st === 'lost') && st !== stage) continue;
      if (seen.has(st)) continue;
      seen.add(st);
      history.push({ deal_id: id, stage: st, entered_on: calendarDate(h.timestamp, tz)! });
    }

    const created = calendarDate(p.createdate, tz)!;
    let closeDate = p.closedate ? calendarDate(p.closedate, tz) : undefined;
    if (!closeDate && closed) closeDate = history.find((h) => h.stage === stage)?.entered_on;
    if (!closeDate) {
      if (s.missing_close_date === 'skip') {
        out.skipped.push(id);
        continue;
      }
      throw new SourceSchemaError(
        `hubspot: deal ${id} (${p.dealname ?? 'no name'}) has no close date ("properties.closedate"): set one in HubSpot, ` +
          `or set hubspot.missing_close_date: skip in sources.yaml to leave such deals out`,
        { object: 'deal', id, field: 'properties.closedate' },
      );
    }

    const lastActivity = p.notes_last_updated ?? p.hs_lastmodifieddate ?? p.createdate;

    const rawAmount = p[s.amount_property];
    const currency = (p.deal_currency_code?.trim() || s.currency).toUpperCase();
    let rate = 1;
    if (currency !== s.currency) {
      const r = s.fx_rates[currency];
      if (r === undefined) {
        throw new SourceRequestError(
          `hubspot: deal ${id} (${p.dealname ?? 'no name'}) is in ${currency}, and sources.yaml hubspot.fx_rates has no ${currency} rate: ` +
            `add fx_rates: { ${currency}: <value of 1 ${currency} in ${s.currency}> } (boardroom never sums mixed currencies)`,
          { id, currency, setting: 'hubspot.fx_rates' },
        );
      }
      rate = r;
      converted.add(currency);
    }
    let amountCents = 0;
    if (rawAmount !== undefined && rawAmount !== null && rawAmount.trim() !== '') {
      const c = toCents(rawAmount, rate);
      if (c === undefined) {
        throw fieldError(
          id,
          `properties.${s.amount_property}`,
          `an amount that is not a non-negative number (${JSON.stringify(rawAmount)})`,
        );
      }
      amountCents = c;
    }

    let deliveryHours: number | undefined;
    if (s.delivery_hours_property) {
      const raw = p[s.delivery_hours_property];
      if (raw !== undefined && raw !== null && raw.trim() !== '') {
        if (!decimalFraction(raw)) {
          throw fieldError(
            id,
            `properties.${s.delivery_hours_property}`,
            `delivery hours that are not a non-negative number (${JSON.stringify(raw)})`,
          );
        }
        deliveryHours = Number(raw);
      }
    }

    const ownerId = p.hubspot_owner_id?.trim();
    const companyId = companyOf(d);
    const name = p.dealname?.trim() || `Deal ${id}`;
    out.deals.push({
      id,
      name,
      account: (companyId && companies.get(companyId)) || name,
      owner: ownerId ? (owners.get(ownerId) ?? `Owner ${ownerId}`) : 'Unassigned',
      stage,
      amount_cents: amountCents,
      created_on: created,
      close_date: closeDate,
      last_activity_on: calendarDate(lastActivity, tz)!,
      probability: current.probabilityPct,
      delivery_hours: deliveryHours,
    });
    out.stageHistory.push(...history);
  }
  out.converted = [...converted].sort();
  return out;
}
