/**
 * The HubSpot connector: sales' `deals` and `stageHistory` (deals.csv and
 * deal_stage_history.csv) from the CRM's deals and deal pipelines, and marketing's lead
 * funnel (leads, MQLs and new customers per month and channel) from the contacts,
 * overlaid on campaigns.csv. Auth: a private app's access token (Bearer). Setup, scopes,
 * settings, endpoints and mapping rules: docs/sources/hubspot.md.
 */
import type { AgentName } from '../../../contract/report.js';
import { SourceRequestError } from '../../../shared/errors.js';
import type { CheckResult, Connector, ConnectorContext, ConnectorResult } from '../connector.js';
import { fetchPipelines, loadSales, stageMap } from './deals.js';
import { loadMarketing } from './funnel.js';
import { HubSpotHttp, type RateLimitState } from './http.js';
import { CompaniesPage, OwnersPage, SearchTotal } from './schemas.js';
import { HUBSPOT_SUPPLIES, parseSettings, readToken, type HubSpotSettings } from './settings.js';

export { DEFAULT_TOKEN_ENV, HubSpotSettings, parseSettings } from './settings.js';

const SUPPLIES = HUBSPOT_SUPPLIES;

function open(ctx: Pick<ConnectorContext, 'env' | 'settings' | 'settingsLine' | 'signal'>): {
  settings: HubSpotSettings;
  api: HubSpotHttp;
} {
  const settings = parseSettings(ctx);
  const token = readToken(ctx.env, settings.tokenEnv);
  const api = new HubSpotHttp({
    token,
    tokenEnv: settings.tokenEnv,
    baseUrl: settings.baseUrl,
    timeoutMs: settings.timeout_ms,
    rateLimitReserve: settings.rate_limit_reserve,
    rateLimitMaxPauseMs: settings.rate_limit_max_pause_ms,
    searchIntervalMs: settings.search_interval_ms,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  return { settings, api };
}

async function load(agent: AgentName, ctx: ConnectorContext): Promise<ConnectorResult> {
  if (agent !== 'sales' && agent !== 'marketing') {
    throw new SourceRequestError(
      `hubspot supplies sales (deals, stageHistory) and marketing (campaigns), not ${agent}: fix agents.${agent} in sources.yaml`,
      { agent },
    );
  }
  const { settings, api } = open(ctx);
  try {
    if (agent === 'sales') {
      const rows = await loadSales(api, settings);
      return {
        datasets: { deals: rows.deals, stageHistory: rows.stageHistory },
        sourceCalls: api.calls,
        dataAsOf: new Date(),
      };
    }
    const funnel = await loadMarketing(api, settings, ctx.today, ctx.fileDatasets.campaigns);
    return {
      datasets: { campaigns: funnel.campaigns },
      sourceCalls: api.calls,
      dataAsOf: new Date(),
    };
  } finally {
    api.close();
  }
}

const plural = (n: number, word: string) =>
  `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function describeRateLimit(r: RateLimitState): string {
  if (r.remaining === undefined) return '';
  const window = r.intervalMs ? ` per ${r.intervalMs / 1000} s` : '';
  const daily =
    r.dailyRemaining !== undefined
      ? `, ${r.dailyRemaining.toLocaleString('en-US')} left today`
      : '';
  return `; rate limit ${r.remaining}${r.max !== undefined ? `/${r.max}` : ''} left${window}${daily}`;
}

async function check(ctx: Omit<ConnectorContext, 'fileDatasets'>): Promise<CheckResult> {
  let opened: ReturnType<typeof open>;
  try {
    opened = open(ctx);
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const { settings, api } = opened;
  try {
    // The cheapest calls that prove every scope the loads need.
    const pipelines = await fetchPipelines(api);
    const stages = [...stageMap(pipelines, settings).values()];
    const deals = await api.request('POST /crm/v3/objects/deals/search', 'deal', SearchTotal, (o) =>
      api.api.dealsSearch.doSearchWithHttpInfo(
        { limit: 1, properties: ['dealstage'] } as never,
        o as never,
      ),
    );
    const contacts = await api.request(
      'POST /crm/v3/objects/contacts/search',
      'contact',
      SearchTotal,
      (o) =>
        api.api.contactsSearch.doSearchWithHttpInfo(
          { limit: 1, properties: ['createdate'] } as never,
          o as never,
        ),
    );
    await api.request('GET /crm/v3/owners', 'owner', OwnersPage, (o) =>
      api.api.owners.getPageWithHttpInfo(undefined, undefined, 1, false, o as never),
    );
    await api.request('GET /crm/v3/objects/companies', 'company', CompaniesPage, (o) =>
      api.api.companies.getPageWithHttpInfo(
        1,
        undefined,
        ['name'],
        undefined,
        undefined,
        false,
        o as never,
      ),
    );

    const problems = stages.filter((s) => s.problem).map((s) => s.problem!);
    if (problems.length > 0) return { ok: false, message: `hubspot: ${problems[0]}` };
    const byStage = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']
      .map((st) => [st, stages.filter((s) => s.stage === st).length] as const)
      .filter(([, n]) => n > 0)
      .map(([st, n]) => `${st} ${n}`)
      .join(', ');
    const fx = Object.entries(settings.fx_rates)
      .map(([c, r]) => `${c} at ${r}`)
      .join(', ');
    return {
      ok: true,
      message:
        `hubspot: ${plural(pipelines.length, 'deal pipeline')} (${plural(stages.length, 'stage')}: ${byStage}), ` +
        `${plural(deals.total, 'deal')}, ${plural(contacts.total, 'contact')}; owners and companies readable; ` +
        `amounts in ${settings.currency}${fx ? ` (converting ${fx})` : ''}` +
        describeRateLimit(api.rateLimit) +
        ` (${api.calls} requests)`,
    };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  } finally {
    api.close();
  }
}

export const hubspotConnector: Connector = {
  name: 'hubspot',
  supplies: SUPPLIES,
  load,
  check,
};
