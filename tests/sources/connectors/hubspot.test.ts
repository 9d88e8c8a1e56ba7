/**
 * The HubSpot connector against a local HubSpot (tests/fakes/hubspot-server.ts): the
 * golden account through the connector and the sales and marketing agents, the requests
 * it makes (auth, pagination, properties, filters), and its mapping rules.
 * Errors, rate limits and check(): hubspot-errors.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentResult } from '../../../src/contract/report.js';
import { marketingAgent } from '../../../src/agents/marketing/index.js';
import { salesAgent } from '../../../src/agents/sales/index.js';
import {
  SourceRequestError,
  SourceSchemaError,
  ValidationError,
} from '../../../src/shared/errors.js';
import type { ConnectorContext } from '../../../src/sources/connectors/connector.js';
import {
  calendarDate,
  startOfMonthMs,
  toCents,
} from '../../../src/sources/connectors/hubspot/convert.js';
import { openStageFor } from '../../../src/sources/connectors/hubspot/deals.js';
import { hubspotConnector } from '../../../src/sources/connectors/hubspot/index.js';
import {
  HUBSPOT_GOLDEN_ACCOUNT,
  HUBSPOT_GOLDEN_AS_OF,
  HUBSPOT_GOLDEN_EXPECTED,
  HUBSPOT_GOLDEN_FILES,
  HUBSPOT_GOLDEN_SETTINGS,
  HUBSPOT_GOLDEN_TODAY,
  HUBSPOT_GOLDEN_TOKEN,
} from '../../fakes/hubspot-fixtures/golden.js';
import {
  startFakeHubSpot,
  type FakeAccount,
  type FakeHubSpot,
} from '../../fakes/hubspot-server.js';

let fake: FakeHubSpot;
afterEach(async () => {
  await fake?.close();
});

function ctx(
  settings: Record<string, unknown> = HUBSPOT_GOLDEN_SETTINGS,
  fileDatasets: Record<string, unknown> = {},
): ConnectorContext {
  return {
    companyId: 'golden',
    env: { HUBSPOT_ACCESS_TOKEN: HUBSPOT_GOLDEN_TOKEN },
    settings: { ...settings, base_url: fake.url },
    today: HUBSPOT_GOLDEN_TODAY,
    asOf: HUBSPOT_GOLDEN_AS_OF,
    fileDatasets,
  };
}

const agentCtx = { asOf: HUBSPOT_GOLDEN_AS_OF, today: HUBSPOT_GOLDEN_TODAY, history: [] };

async function runSales(settings: Record<string, unknown> = HUBSPOT_GOLDEN_SETTINGS) {
  const files = HUBSPOT_GOLDEN_FILES.sales;
  const result = await hubspotConnector.load('sales', ctx(settings, files));
  const input = salesAgent.input.parse({ ...files, ...result.datasets });
  const report = AgentResult.parse(salesAgent.compute(input, agentCtx));
  return { result, report };
}

async function runMarketing(settings: Record<string, unknown> = HUBSPOT_GOLDEN_SETTINGS) {
  const files = HUBSPOT_GOLDEN_FILES.marketing;
  const result = await hubspotConnector.load('marketing', ctx(settings, files));
  const input = marketingAgent.input.parse({ ...files, ...result.datasets });
  const report = AgentResult.parse(marketingAgent.compute(input, agentCtx));
  return { result, report };
}

type Row = Record<string, unknown>;
const rowsOf = (datasets: Record<string, unknown>, key: string) => datasets[key] as Row[];

describe('hubspot golden account: sales', () => {
  beforeEach(async () => {
    fake = await startFakeHubSpot();
  });

  it('gives the hand-computed sales metrics through the connector and the agent', async () => {
    const { result, report } = await runSales();
    // Today 2026-11-26. Open deals (amount cents, HubSpot probability):
    //   D1 negotiation 5000000 @80 (Decision Maker Bought-In 0.8), D2 negotiation 2400050 @90
    //   (Contract Sent; "24000.50"), D3 qualified 1200000 @40, D4 proposal 3888000 @60
    //   (36000 EUR x 1.08), D5 lead 0 @10 (Partnerships "Intro" 0.1, no amount).
    // Closed, current window 2026-08-29..11-26: W1 won 3000000 (08-01 -> 10-15, 75 days),
    //   W2 won 1800000 (09-10 -> 11-12, 63 days), L1 lost 900000 (10-30).
    // Closed, previous window 2026-05-31..08-28: W3 won (08-20, Partnerships "Signed"),
    //   W4 won (08-01), L2 lost (07-10), L3 lost (06-15).
    expect(report.metrics).toMatchObject({
      openDeals: 5,
      pipelineValue: 124880.5, // 5000000 + 2400050 + 1200000 + 3888000 + 0 = 12488050 cents
      // (5000000x80 + 2400050x90 + 1200000x40 + 3888000x60 + 0x10) / 100
      // = (400000000 + 216004500 + 48000000 + 233280000) / 100 = 8972845 cents
      weightedPipeline: 89728.45,
      'dealsByStage.lead': 1,
      'dealsByStage.qualified': 1,
      'dealsByStage.proposal': 1,
      'dealsByStage.negotiation': 2,
      'valueByStage.lead': 0,
      'valueByStage.qualified': 12000,
      'valueByStage.proposal': 38880,
      'valueByStage.negotiation': 74000.5, // 5000000 + 2400050
      // Stage history mapped to our stages (first entry per stage; W-L2's undone "Closed
      // Won" dropped; D3's deleted stage skipped; D2's Contract Sent merged into
      // negotiation). lead: all 12 reached it; 10 moved on, L2 lost there, D5 still in it.
      'conversionPct.lead_to_qualified': 90.9, // 10 / 11
      // qualified reached by D1 D3 D4 W1 L1 L3: D1 D4 W1 moved on, L1 L3 lost, D3 open: 3 / 5
      'conversionPct.qualified_to_proposal': 60,
      // proposal reached by D1 D2 D4 W1 W2 W3: all but D4 (open) moved on: 5 / 5
      'conversionPct.proposal_to_negotiation': 100,
      'conversionPct.negotiation_to_won': 100, // W1 won; D1 D2 open: 1 / 1
      // lead days: D1 9, D2 18, D3 12, D4 7, W1 9, W2 15, L1 14, W3 19, L2 39, L3 9, W4 52
      //   = 203 / 11 = 18.45
      'avgDaysInStage.lead': 18.5,
      // qualified: D1 14, D4 20, W1 22, L1 45, L3 36 = 137 / 5
      'avgDaysInStage.qualified': 27.4,
      // proposal: D1 27, D2 21, W1 19, W2 48, W3 31 = 146 / 5
      'avgDaysInStage.proposal': 29.2,
      'avgDaysInStage.negotiation': 25, // W1 09-20 -> 10-15
      wonDeals: 2,
      lostDeals: 1,
      wonValue: 48000, // 3000000 + 1800000
      winRatePct: 66.7, // 2 / 3
      winRatePreviousPct: 50, // W3 W4 of W3 W4 L2 L3
      winRateChangePts: 16.7,
      avgDealSize: 24000, // 4800000 / 2
      avgSalesCycleDays: 69, // (75 + 63) / 2
      // open x wonCents x nWon / (closed x cycleDays) = 5 x 4800000 x 2 / (3 x 138)
      // = 115942.03 -> 115942 cents
      salesVelocityPerDay: 1159.42,
      // Quarter 2026-10-01..12-31, target 20000000: won W1 + W2 = 4800000, remaining
      // 15200000; open closing by 12-31: D1 D2 D3 D4 = 12488050; 12488050 / 15200000 = 0.82
      pipelineThisQuarter: 124880.5,
      wonThisQuarter: 48000,
      remainingTarget: 152000,
      pipelineCoverage: 0.82,
      closingThisWeek: 2, // D1 11-30, D4 12-02 (today..12-02)
      closingThisWeekValue: 88880, // 5000000 + 3888000
      closingThisMonth: 1, // D1
      closingThisMonthValue: 50000,
      overdueDeals: 1, // D3 closes 11-20
      // idle >= 14 days: D3 (hs_lastmodifieddate 11-05, no notes_last_updated) 21,
      // D4 (11-05) 21, D5 (11-12) 14
      stalledDeals: 3,
      stalledValue: 50880, // 1200000 + 3888000 + 0
      stalledHighValueDeals: 2, // D3, D4 >= $10,000
      weightedDeliveryHours: 118, // 80h x 80% + 90h x 60% (delivery_hours property)
    });
    expect(report.metrics).toMatchObject(HUBSPOT_GOLDEN_EXPECTED.sales);
    // 1 pipelines + 3 deal pages (5, 5, 2) + 2 owner pages (5, 1) + 1 company batch
    expect(result.sourceCalls).toBe(7);
    expect(fake.requests).toHaveLength(7);
  });

  it('maps each deal to a deals.csv row: account, owner, currency, dates, probability', async () => {
    const { result } = await runSales();
    const deals = rowsOf(result.datasets, 'deals');
    expect(deals).toHaveLength(12);
    // Exactly the deals.csv columns.
    expect(Object.keys(deals[0]!).sort()).toEqual(
      [
        'account',
        'amount_cents',
        'close_date',
        'created_on',
        'delivery_hours',
        'id',
        'last_activity_on',
        'name',
        'owner',
        'probability',
        'stage',
      ].sort(),
    );
    const byId = new Map(deals.map((d) => [d.id, d]));
    expect(byId.get('18000000001')).toEqual({
      id: '18000000001',
      name: 'Acme Corp - analytics platform (annual)',
      account: 'Acme Corp',
      owner: 'Maya Chen',
      stage: 'negotiation',
      amount_cents: 5000000,
      created_on: '2026-09-15',
      close_date: '2026-11-30',
      last_activity_on: '2026-11-24',
      probability: 80,
      delivery_hours: 80,
    });
    // 36000 EUR x 1.08 = 38880.00 USD
    expect(byId.get('18000000004')).toMatchObject({ amount_cents: 3888000, probability: 60 });
    expect(byId.get('18000000002')).toMatchObject({ account: 'Globex', amount_cents: 2400050 });
    // No notes_last_updated: the last modification stands in.
    expect(byId.get('18000000003')).toMatchObject({ last_activity_on: '2026-11-05' });
    // No owner, no company, no amount.
    expect(byId.get('18000000005')).toMatchObject({
      owner: 'Unassigned',
      account: 'Hooli pilot',
      amount_cents: 0,
      stage: 'lead',
      probability: 10,
    });
    // A company HubSpot no longer has (207 on the batch read): the deal name.
    expect(byId.get('18000000008')).toMatchObject({ account: 'Soylent - pilot', stage: 'lost' });
    // An owner not in the owners list (deactivated).
    expect(byId.get('18000000011')).toMatchObject({ owner: 'Owner 52550199' });
    expect(byId.get('18000000009')).toMatchObject({ stage: 'won', probability: 100 });
  });

  it('maps the dealstage history to deal_stage_history.csv rows', async () => {
    const { result } = await runSales();
    const history = rowsOf(result.datasets, 'stageHistory');
    const of = (id: string) =>
      history.filter((h) => h.deal_id === id).map((h) => `${h.stage} ${h.entered_on}`);
    // HubSpot lists history newest first; rows are oldest first.
    expect(of('18000000001')).toEqual([
      'lead 2026-09-15',
      'qualified 2026-09-24',
      'proposal 2026-10-08',
      'negotiation 2026-11-04',
    ]);
    // Decision Maker Bought-In (11-10) and Contract Sent (11-18) are both negotiation: the first counts.
    expect(of('18000000002')).toEqual([
      'lead 2026-10-02',
      'proposal 2026-10-20',
      'negotiation 2026-11-10',
    ]);
    // A stage deleted since (99999999) is skipped.
    expect(of('18000000003')).toEqual(['lead 2026-10-08', 'qualified 2026-10-20']);
    // Marked Closed Won, then Closed Lost: the undone won entry is left out.
    expect(of('18000000010')).toEqual(['lead 2026-06-01', 'lost 2026-07-10']);
    // A custom pipeline: Intro 10% -> lead, Pilot 50% -> proposal, Signed (closed, 100%) -> won.
    expect(of('18000000009')).toEqual(['lead 2026-07-01', 'proposal 2026-07-20', 'won 2026-08-20']);
    expect(history).toHaveLength(34);
  });

  it('sends the token, pages with after, and asks for the properties and history it maps', async () => {
    await runSales();
    for (const r of fake.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${HUBSPOT_GOLDEN_TOKEN}`);
      expect(r.headers['user-agent']).toMatch(/^hubspot-api-client-nodejs/);
    }
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /crm/v3/pipelines/deals',
      'GET /crm/v3/objects/deals',
      'GET /crm/v3/objects/deals',
      'GET /crm/v3/objects/deals',
      'GET /crm/v3/owners',
      'GET /crm/v3/owners',
      'POST /crm/v3/objects/companies/batch/read',
    ]);
    const deals = fake.requestsTo('GET /crm/v3/objects/deals');
    for (const r of deals) {
      expect(r.query.limit).toEqual(['5']);
      expect(r.query.propertiesWithHistory).toEqual(['dealstage']);
      expect(r.query.associations).toEqual(['companies']);
      expect(r.query.archived).toEqual(['false']);
      expect(r.query.properties).toEqual(
        expect.arrayContaining([
          'dealname',
          'dealstage',
          'pipeline',
          'amount',
          'deal_currency_code',
          'closedate',
          'createdate',
          'notes_last_updated',
          'hs_lastmodifieddate',
          'hubspot_owner_id',
          'delivery_hours',
        ]),
      );
    }
    // The cursor of each page is the previous page's paging.next.after.
    expect(deals.map((r) => r.query.after?.[0])).toEqual([undefined, '18000000006', '18000000011']);
    const owners = fake.requestsTo('GET /crm/v3/owners');
    expect(owners.map((r) => [r.query.limit?.[0], r.query.after?.[0]])).toEqual([
      ['5', undefined],
      ['5', '52550158'],
    ]);
    const batch = fake.requestsTo('POST /crm/v3/objects/companies/batch/read')[0]!;
    expect(batch.query.archived).toEqual(['false']);
    expect(batch.body).toMatchObject({
      properties: ['name'],
      inputs: [
        { id: '9120000001' },
        { id: '9120000002' },
        { id: '9120000003' },
        { id: '9120000004' },
        { id: '9120000006' },
        { id: '9120000007' },
        { id: '9120000099' },
      ],
    });
  });

  it("uses HubSpot's page maxima when page_size is not set", async () => {
    await hubspotConnector.load('sales', ctx({ fx_rates: { EUR: 1.08 } }));
    expect(fake.requestsTo('GET /crm/v3/objects/deals')[0]!.query.limit).toEqual(['50']);
    expect(fake.requestsTo('GET /crm/v3/owners')[0]!.query.limit).toEqual(['100']);
    expect(fake.requests).toHaveLength(4);
  });
});

describe('hubspot golden account: marketing', () => {
  beforeEach(async () => {
    fake = await startFakeHubSpot();
  });

  it('gives the hand-computed lead funnel through the connector and the agent', async () => {
    const { result, report } = await runMarketing();
    // channel_map: ORGANIC_SEARCH -> content, OFFLINE -> events, DIRECT_TRAFFIC left out;
    // lifecycle stage "other" left out. October 2026 (the period), from the contacts:
    //   paid_search: leads 13 14 15 (15 at 10-31 23:59:59.999Z); MQLs 3 13; customers:
    //     2 and 20 are one company (9120000102) -> 1, in the channel of 2 (created first)
    //   paid_social: leads 16 17 20; MQL 16; customers 0
    //   content:     lead 18; MQL 7; customer 8
    //   events:      -; -; customer 10
    //   referrals:   19; 19; 19 (no campaigns.csv row: a new row without spend)
    // September 2026 (previous): paid_search 1 2 3 4 (12 is "other"); MQLs 1 2; customers
    //   1 and 25 (created in August); paid_social 5 6; 5; -; content 7 8 9; -; -;
    //   events 10; 10; - (11 is DIRECT_TRAFFIC).
    // Spend from campaigns.csv: October 440000 + 60000 (brand) + 320000 + 150000 +
    //   170000 + 0 = 1140000; September 420000 + 300000 + 150000 + 0 = 870000.
    expect(report.metrics).toMatchObject({
      spend: 11400,
      leads: 8, // 3 + 3 + 1 + 0 + 1
      mqls: 5, // 2 + 1 + 1 + 0 + 1
      newCustomers: 4, // 1 + 0 + 1 + 1 + 1
      newArr: 14568, // file: 358800 + 0 + 299000 + 799000 = 1456800 (brand and referrals untracked)
      leadToMqlPct: 62.5, // 5 / 8
      mqlToCustomerPct: 80, // 4 / 5
      leadToCustomerPct: 50, // 4 / 8
      cac: 2850, // 1140000 / 4
      roiPct: 27.8, // (1456800 - 1140000) / 1140000 = 27.79%
      spendPrevious: 8700,
      leadsPrevious: 10, // 4 + 2 + 3 + 1
      mqlsPrevious: 4, // 2 + 1 + 0 + 1
      newCustomersPrevious: 2,
      cacPrevious: 4350, // 870000 / 2
      spendChangePct: 31, // 270000 / 870000
      leadsChangePct: -20, // (8 - 10) / 10
      mqlsChangePct: 25,
      newCustomersChangePct: 100,
      cacChangePct: -34.5, // (285000 - 435000) / 435000
      'spend.paid_search': 5000, // 440000 + 60000
      'leads.paid_search': 3,
      'mqls.paid_search': 2,
      'newCustomers.paid_search': 1,
      'cac.paid_search': 5000,
      'roiPct.paid_search': -28.2, // (358800 - 500000) / 500000
      'leads.paid_social': 3,
      'mqls.paid_social': 1,
      'newCustomers.paid_social': 0,
      'cac.paid_social': null,
      'leads.content': 1,
      'mqls.content': 1,
      'newCustomers.content': 1,
      'roiPct.content': 99.3, // (299000 - 150000) / 150000
      'leads.events': 0,
      'newCustomers.events': 1,
      'cac.events': 1700,
      'roiPct.events': 370, // (799000 - 170000) / 170000
      'leadToMqlPct.events': null,
      'spend.referrals': 0,
      'leads.referrals': 1,
      'mqls.referrals': 1,
      'newCustomers.referrals': 1,
      'newArr.referrals': null,
    });
    expect(report.metrics).toMatchObject(HUBSPOT_GOLDEN_EXPECTED.marketing);
    // paid_social spent $3,200 and won no customer.
    expect(report.alerts.map((a) => a.id)).toEqual(['marketing.channel-no-customers']);
    // September 13 contacts (3 pages of 5), October 13 (3), November 5 (1).
    expect(result.sourceCalls).toBe(7);
  });

  it('overlays leads, MQLs and customers on campaigns.csv and keeps spend, names and ARR', async () => {
    const { result } = await runMarketing();
    const rows = new Map(rowsOf(result.datasets, 'campaigns').map((r) => [r.id, r]));
    // Before the window (2026-09..2026-11): the file's numbers.
    expect(rows.get('2026-08-google')).toEqual(HUBSPOT_GOLDEN_FILES.marketing.campaigns[0]);
    expect(rows.get('2026-10-google')).toMatchObject({
      spend_cents: '440000',
      campaign: 'Google Ads - analytics keywords',
      new_arr_cents: '358800',
      leads: 3,
      mqls: 2,
      new_customers: 1,
    });
    // A second row of the same channel and month gets 0 (the channel's total is on the first).
    expect(rows.get('2026-10-google-brand')).toMatchObject({
      spend_cents: '60000',
      leads: 0,
      mqls: 0,
      new_customers: 0,
    });
    // "Events" in the file is the events channel.
    expect(rows.get('2026-10-webinar')).toMatchObject({ leads: 0, mqls: 0, new_customers: 1 });
    expect(rows.get('2026-09-hubspot-events')).toMatchObject({
      month: '2026-09',
      channel: 'events',
      spend_cents: 0,
      leads: 1,
      mqls: 1,
      new_customers: 0,
    });
    expect(rows.get('2026-10-hubspot-referrals')).toMatchObject({
      leads: 1,
      mqls: 1,
      new_customers: 1,
    });
    // A contact without an original source.
    expect(rows.get('2026-11-hubspot-unknown')).toMatchObject({ channel: 'unknown', leads: 1 });
    expect(rows.get('2026-11-google')).toMatchObject({ leads: 2, mqls: 1, new_customers: 1 });
    expect(rows.size).toBe(13);
  });

  it('searches each month with date filters, the properties it counts, and paging', async () => {
    await runMarketing();
    const searches = fake.requestsTo('POST /crm/v3/objects/contacts/search');
    expect(searches).toHaveLength(7);
    const sep = Date.UTC(2026, 8, 1);
    const oct = Date.UTC(2026, 9, 1);
    const nov = Date.UTC(2026, 10, 1);
    const dec = Date.UTC(2026, 11, 1);
    const window = (from: number, to: number) =>
      [
        'createdate',
        'hs_lifecyclestage_marketingqualifiedlead_date',
        'hs_lifecyclestage_customer_date',
      ].map((propertyName) => ({
        filters: [
          { propertyName, operator: 'GTE', value: String(from) },
          { propertyName, operator: 'LT', value: String(to) },
        ],
      }));
    const expected = [
      [sep, oct, undefined],
      [sep, oct, '5'],
      [sep, oct, '10'],
      [oct, nov, undefined],
      [oct, nov, '5'],
      [oct, nov, '10'],
      [nov, dec, undefined],
    ] as const;
    searches.forEach((r, i) => {
      const [from, to, after] = expected[i]!;
      expect(r.headers.authorization).toBe(`Bearer ${HUBSPOT_GOLDEN_TOKEN}`);
      expect(r.headers['content-type']).toMatch(/application\/json/);
      expect(r.body).toEqual({
        filterGroups: window(from, to),
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        properties: [
          'createdate',
          'lifecyclestage',
          'hs_analytics_source',
          'hs_lifecyclestage_marketingqualifiedlead_date',
          'hs_lifecyclestage_customer_date',
          'associatedcompanyid',
        ],
        limit: 5,
        ...(after ? { after } : {}),
      });
    });
  });

  it('takes month boundaries and dates in settings.time_zone', async () => {
    const { result } = await runMarketing({
      ...HUBSPOT_GOLDEN_SETTINGS,
      time_zone: 'America/Los_Angeles',
    });
    const first = fake.requestsTo('POST /crm/v3/objects/contacts/search')[0]!;
    // 2026-09-01 00:00 in Los Angeles (PDT, UTC-7) is 07:00Z.
    expect(
      (first.body as { filterGroups: { filters: { value: string }[] }[] }).filterGroups[0]!
        .filters[0]!.value,
    ).toBe(String(Date.UTC(2026, 8, 1, 7)));
    const rows = new Map(rowsOf(result.datasets, 'campaigns').map((r) => [r.id, r]));
    // Contact 22 was created 2026-11-01T00:00Z = October 31 in Los Angeles.
    expect(rows.get('2026-10-google')).toMatchObject({ leads: 4 });
    expect(rows.get('2026-11-google')).toMatchObject({ leads: 1 });
  });

  it('uses a 200-contact page when page_size is not set', async () => {
    await hubspotConnector.load('marketing', ctx({}, HUBSPOT_GOLDEN_FILES.marketing));
    const searches = fake.requestsTo('POST /crm/v3/objects/contacts/search');
    expect(searches).toHaveLength(3);
    expect(searches.map((r) => (r.body as { limit: number }).limit)).toEqual([200, 200, 200]);
  });
});

describe('hubspot mapping rules', () => {
  /** The golden account with a few changes. */
  function account(change: (a: FakeAccount) => void): FakeAccount {
    const a = structuredClone(HUBSPOT_GOLDEN_ACCOUNT);
    change(a);
    return a;
  }
  const dealOf = (a: FakeAccount, id: string) => a.deals.find((d) => d.id === id)!;

  it('reads only the pipelines sources.yaml names (by label or id)', async () => {
    fake = await startFakeHubSpot();
    const result = await hubspotConnector.load(
      'sales',
      ctx({ ...HUBSPOT_GOLDEN_SETTINGS, pipelines: ['partnerships'] }),
    );
    expect(rowsOf(result.datasets, 'deals').map((d) => d.id)).toEqual([
      '18000000005',
      '18000000009',
    ]);
    expect(new Set(rowsOf(result.datasets, 'stageHistory').map((h) => h.deal_id))).toEqual(
      new Set(['18000000005', '18000000009']),
    );
    await expect(
      hubspotConnector.load('sales', ctx({ ...HUBSPOT_GOLDEN_SETTINGS, pipelines: ['Renewals'] })),
    ).rejects.toThrow(
      /hubspot\.pipelines\.0.*no deal pipeline "Renewals".*Sales Pipeline \(default\), Partnerships \(687164290\)/,
    );
  });

  it('maps stages by stage_map (id or label) before the probability rule', async () => {
    fake = await startFakeHubSpot();
    const result = await hubspotConnector.load(
      'sales',
      ctx({
        ...HUBSPOT_GOLDEN_SETTINGS,
        stage_map: { 'Contract Sent': 'proposal', '1046431001': 'qualified' },
      }),
    );
    const deals = new Map(rowsOf(result.datasets, 'deals').map((d) => [d.id, d]));
    expect(deals.get('18000000002')).toMatchObject({ stage: 'proposal', probability: 90 });
    expect(deals.get('18000000005')).toMatchObject({ stage: 'qualified', probability: 10 });
    expect([0.05, 0.29, 0.3, 0.49, 0.5, 0.79, 0.8, 1].map(openStageFor)).toEqual([
      'lead',
      'lead',
      'qualified',
      'qualified',
      'proposal',
      'proposal',
      'negotiation',
      'negotiation',
    ]);
  });

  it('asks for stage_map when a closed stage is neither 0% nor 100%', async () => {
    fake = await startFakeHubSpot({
      account: account((a) => {
        a.pipelines[1]!.stages[2]!.metadata.probability = '0.5';
      }),
    });
    const err = await hubspotConnector.load('sales', ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceRequestError);
    expect((err as Error).message).toMatch(
      /deal 18000000009: deal stage "Signed" \(id 1046431003, pipeline "Partnerships"\) is closed with a 50% probability.*hubspot\.stage_map \(e\.g\. "1046431003": won\)/,
    );
    const ok = await hubspotConnector.load(
      'sales',
      ctx({ ...HUBSPOT_GOLDEN_SETTINGS, stage_map: { '1046431003': 'won' } }),
    );
    expect(rowsOf(ok.datasets, 'deals').find((d) => d.id === '18000000009')).toMatchObject({
      stage: 'won',
      probability: 100,
    });
  });

  it('refuses to mix currencies without a rate, naming the currency and the setting', async () => {
    fake = await startFakeHubSpot({
      account: account((a) => {
        dealOf(a, '18000000002').properties.deal_currency_code = 'GBP';
      }),
    });
    const err = await hubspotConnector.load('sales', ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceRequestError);
    expect((err as SourceRequestError).message).toMatch(
      /deal 18000000002 .* is in GBP.*fx_rates: \{ GBP: <value of 1 GBP in USD> \}/,
    );
    expect((err as SourceRequestError).context).toMatchObject({
      currency: 'GBP',
      setting: 'hubspot.fx_rates',
    });
  });

  it('converts with the rate once, exactly, in integer cents', () => {
    expect(toCents('36000', 1.08)).toBe(3888000);
    expect(toCents('24000.50')).toBe(2400050);
    expect(toCents('0.005')).toBe(1); // half up
    expect(toCents('0.004')).toBe(0);
    expect(toCents('100.10', 1.1)).toBe(11011); // 110.11, where floats give 110.11000000000001
    expect(toCents('19.99', 0.9)).toBe(1799); // 17.991
    expect(toCents('-5')).toBeUndefined();
    expect(toCents('1e3')).toBeUndefined();
    expect(toCents('12,000')).toBeUndefined();
  });

  it('fails on an open deal without a close date, or leaves it out with missing_close_date: skip', async () => {
    fake = await startFakeHubSpot({
      account: account((a) => {
        dealOf(a, '18000000003').properties.closedate = null;
        dealOf(a, '18000000007').properties.closedate = null; // won: the day it entered Closed Won
      }),
    });
    const err = await hubspotConnector.load('sales', ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceSchemaError);
    expect((err as SourceSchemaError).message).toMatch(
      /deal 18000000003 \(Initech - Growth upgrade\) has no close date \("properties\.closedate"\).*missing_close_date: skip/,
    );
    expect((err as SourceSchemaError).context).toMatchObject({
      object: 'deal',
      id: '18000000003',
      field: 'properties.closedate',
    });

    const ok = await hubspotConnector.load(
      'sales',
      ctx({ ...HUBSPOT_GOLDEN_SETTINGS, missing_close_date: 'skip' }),
    );
    const deals = rowsOf(ok.datasets, 'deals');
    expect(deals.map((d) => d.id)).not.toContain('18000000003');
    expect(rowsOf(ok.datasets, 'stageHistory').some((h) => h.deal_id === '18000000003')).toBe(
      false,
    );
    expect(deals.find((d) => d.id === '18000000007')).toMatchObject({ close_date: '2026-11-12' });
  });

  it('names the deal and property of an amount or delivery hours it cannot read', async () => {
    fake = await startFakeHubSpot({
      account: account((a) => {
        dealOf(a, '18000000006').properties.amount = '30,000';
      }),
    });
    await expect(hubspotConnector.load('sales', ctx())).rejects.toThrow(
      /deal 18000000006 has an amount that is not a non-negative number \("30,000"\) in "properties\.amount"/,
    );
  });

  it('reads the amount from amount_property when set (e.g. hs_acv)', async () => {
    fake = await startFakeHubSpot({
      account: account((a) => {
        for (const d of a.deals)
          d.properties.hs_acv = d.id === '18000000001' ? '60000' : d.properties.amount!;
      }),
    });
    const result = await hubspotConnector.load(
      'sales',
      ctx({ ...HUBSPOT_GOLDEN_SETTINGS, amount_property: 'hs_acv' }),
    );
    expect(fake.requestsTo('GET /crm/v3/objects/deals')[0]!.query.properties).toContain('hs_acv');
    expect(rowsOf(result.datasets, 'deals').find((d) => d.id === '18000000001')).toMatchObject({
      amount_cents: 6000000,
    });
  });

  it('supplies sales and marketing only', async () => {
    fake = await startFakeHubSpot();
    expect(hubspotConnector.name).toBe('hubspot');
    expect(hubspotConnector.supplies).toEqual({
      sales: ['deals', 'stageHistory'],
      marketing: ['campaigns'],
    });
    await expect(hubspotConnector.load('finance', ctx())).rejects.toThrow(SourceRequestError);
    expect(fake.requests).toHaveLength(0);
  });

  it('validates settings: unknown keys and bad values are named', async () => {
    fake = await startFakeHubSpot();
    const bad = async (settings: Record<string, unknown>) =>
      hubspotConnector.load('sales', ctx(settings)).then(
        () => {
          throw new Error('expected a settings error');
        },
        (e: unknown) => e as ValidationError,
      );
    const unknown = await bad({ stage_maps: {} });
    expect(unknown).toBeInstanceOf(ValidationError);
    expect(unknown.message).toMatch(
      /sources\.yaml, field "hubspot\.stage_maps": unknown key "stage_maps"/,
    );
    expect((await bad({ stage_map: { closedwon: 'booked' } })).message).toMatch(
      /hubspot\.stage_map\.closedwon/,
    );
    expect((await bad({ time_zone: 'Mars/Olympus' })).message).toMatch(/hubspot\.time_zone.*IANA/);
    expect((await bad({ fx_rates: { EUR: -1 } })).message).toMatch(/hubspot\.fx_rates\.EUR/);
    expect((await bad({ token_env: 'HUBSPOT TOKEN' })).message).toMatch(/hubspot\.token_env/);
    expect(fake.requests).toHaveLength(0);
  });

  it('takes calendar dates and month starts in a time zone, exactly at the boundaries', () => {
    expect(calendarDate('2026-11-04T03:00:00.000Z', 'UTC')).toBe('2026-11-04');
    expect(calendarDate('2026-11-04T03:00:00.000Z', 'America/Los_Angeles')).toBe('2026-11-03');
    expect(calendarDate('2026-11-04T23:30:00Z', 'Asia/Tokyo')).toBe('2026-11-05');
    expect(calendarDate('2026-11-30', 'America/Los_Angeles')).toBe('2026-11-30'); // a date property
    expect(calendarDate('1793750400000', 'UTC')).toBe('2026-11-04'); // epoch milliseconds
    expect(calendarDate('next week', 'UTC')).toBeUndefined();
    expect(startOfMonthMs('2026-11', 'UTC')).toBe(Date.UTC(2026, 10, 1));
    // Los Angeles: PDT (UTC-7) on 2026-10-01, PST (UTC-8) on 2026-12-01.
    expect(startOfMonthMs('2026-10', 'America/Los_Angeles')).toBe(Date.UTC(2026, 9, 1, 7));
    expect(startOfMonthMs('2026-12', 'America/Los_Angeles')).toBe(Date.UTC(2026, 11, 1, 8));
    // Berlin: CEST (UTC+2) on 2026-10-01.
    expect(startOfMonthMs('2026-10', 'Europe/Berlin')).toBe(Date.UTC(2026, 8, 30, 22));
  });

  it('searches a month with more contacts than the search returns (10,000) in halves', async () => {
    const many = Array.from({ length: 10_050 }, (_, i) => ({
      id: String(60000000000 + i),
      properties: {
        // Spread over October 2026, a contact every ~4.4 minutes.
        createdate: new Date(Date.UTC(2026, 9, 1) + i * 265_000).toISOString(),
        lifecyclestage: 'lead',
        hs_analytics_source: 'PAID_SEARCH',
        hs_lifecyclestage_marketingqualifiedlead_date: null,
        hs_lifecyclestage_customer_date: null,
        associatedcompanyid: null,
      },
    }));
    fake = await startFakeHubSpot({ account: { ...HUBSPOT_GOLDEN_ACCOUNT, contacts: many } });
    const result = await hubspotConnector.load(
      'marketing',
      ctx({ search_interval_ms: 0, funnel_months: 2 }, HUBSPOT_GOLDEN_FILES.marketing),
    );
    const oct = rowsOf(result.datasets, 'campaigns').find((r) => r.id === '2026-10-google');
    expect(oct).toMatchObject({ leads: 10_050 });
    const bodies = fake
      .requestsTo('POST /crm/v3/objects/contacts/search')
      .map((r) => r.body as { after?: string; filterGroups: { filters: { value: string }[] }[] });
    // November: 1 request. October: the first page (total 10,050), then each half.
    const octStarts = bodies
      .filter((b) => b.after === undefined)
      .map((b) => Number(b.filterGroups[0]!.filters[0]!.value));
    expect(octStarts).toContain(Date.UTC(2026, 9, 1));
    expect(octStarts).toContain(
      Date.UTC(2026, 9, 1) + Math.floor((Date.UTC(2026, 10, 1) - Date.UTC(2026, 9, 1)) / 2),
    );
    expect(bodies.every((b) => Number(b.after ?? 0) + 200 <= 10_000)).toBe(true);
  }, 30_000);
});
