/**
 * The golden HubSpot account: two deal pipelines, 12 deals with their stage history,
 * owners, companies and 25 contacts, in the shapes HubSpot's CRM v3 API returns (see
 * tests/fakes/hubspot-server.ts). Its sales and marketing metrics on 2026-11-26 were
 * worked out by hand in tests/sources/connectors/hubspot.test.ts (HUBSPOT_GOLDEN_EXPECTED
 * below repeats the results for the end-to-end test).
 */
import type { FakeAccount, FakeContact, FakeDeal } from '../hubspot-server.js';

export const HUBSPOT_GOLDEN_TOKEN = 'pat-na1-3f2b9c4e-8d1a-4e6f-9b7c-2a5d0e1f4c3b';

const DEFAULT_PIPELINE = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: [
    // HubSpot's default sales pipeline, with its default probabilities.
    {
      id: 'appointmentscheduled',
      label: 'Appointment Scheduled',
      probability: '0.2',
      isClosed: 'false',
    },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: '0.4', isClosed: 'false' },
    {
      id: 'presentationscheduled',
      label: 'Presentation Scheduled',
      probability: '0.6',
      isClosed: 'false',
    },
    {
      id: 'decisionmakerboughtin',
      label: 'Decision Maker Bought-In',
      probability: '0.8',
      isClosed: 'false',
    },
    { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: 'false' },
    { id: 'closedwon', label: 'Closed Won', probability: '1.0', isClosed: 'true' },
    { id: 'closedlost', label: 'Closed Lost', probability: '0.0', isClosed: 'true' },
  ],
} as const;

const PARTNER_PIPELINE = {
  id: '687164290',
  label: 'Partnerships',
  displayOrder: 1,
  stages: [
    { id: '1046431001', label: 'Intro', probability: '0.1', isClosed: 'false' },
    { id: '1046431002', label: 'Pilot', probability: '0.5', isClosed: 'false' },
    { id: '1046431003', label: 'Signed', probability: '1.0', isClosed: 'true' },
    { id: '1046431004', label: 'Not a fit', probability: '0.0', isClosed: 'true' },
  ],
} as const;

const MAYA = '52550153';
const ALEX = '52550154';

const ACME = '9120000001';
const GLOBEX = '9120000002';
const INITECH = '9120000003';
const UMBRELLA = '9120000004';
const STARK = '9120000006';
const WAYNE = '9120000007';
/** Associated with a deal but deleted since: the batch read answers 207 for it. */
const DELETED_COMPANY = '9120000099';

const at = (iso: string) => (iso.length === 10 ? `${iso}T10:00:00.000Z` : iso);

function deal(
  id: string,
  o: {
    name: string | null;
    pipeline?: string;
    stage: string;
    amount: string | null;
    currency?: string;
    created: string;
    close: string | null;
    lastActivity: string | null;
    modified?: string;
    owner: string | null;
    companies?: { id: string; type: string }[];
    deliveryHours?: string;
    history: [stage: string, when: string][];
  },
): FakeDeal {
  return {
    id,
    properties: {
      dealname: o.name,
      pipeline: o.pipeline ?? 'default',
      dealstage: o.stage,
      amount: o.amount,
      deal_currency_code: o.currency ?? 'USD',
      createdate: at(o.created),
      closedate: o.close === null ? null : at(o.close),
      notes_last_updated: o.lastActivity === null ? null : at(o.lastActivity),
      hs_lastmodifieddate: at(o.modified ?? '2026-11-25T08:00:00.000Z'),
      hubspot_owner_id: o.owner,
      delivery_hours: o.deliveryHours ?? null,
    },
    stageHistory: o.history.map(([value, when]) => ({ value, timestamp: at(when) })),
    companies: o.companies ?? [],
  };
}

const primary = (id: string) => [{ id, type: 'deal_to_company' }];

export const HUBSPOT_GOLDEN_DEALS: FakeDeal[] = [
  deal('18000000001', {
    name: 'Acme Corp - analytics platform (annual)',
    stage: 'decisionmakerboughtin',
    amount: '50000',
    created: '2026-09-15T14:03:22.118Z',
    close: '2026-11-30T17:00:00.000Z',
    lastActivity: '2026-11-24T16:20:00.000Z',
    owner: MAYA,
    companies: primary(ACME),
    deliveryHours: '80',
    history: [
      ['appointmentscheduled', '2026-09-15T14:03:22.118Z'],
      ['qualifiedtobuy', '2026-09-24'],
      ['presentationscheduled', '2026-10-08'],
      ['decisionmakerboughtin', '2026-11-04'],
    ],
  }),
  deal('18000000002', {
    name: 'Globex - Scale plan, 3 regions',
    stage: 'contractsent',
    amount: '24000.50',
    created: '2026-10-02T09:00:00.000Z',
    close: '2026-12-10T12:00:00.000Z',
    lastActivity: '2026-11-20T09:00:00.000Z',
    owner: ALEX,
    // Labelled associations list the same company twice.
    companies: [
      { id: GLOBEX, type: 'deal_to_company_unlabeled' },
      { id: GLOBEX, type: 'deal_to_company' },
    ],
    history: [
      ['appointmentscheduled', '2026-10-02T09:00:00.000Z'],
      ['presentationscheduled', '2026-10-20'],
      ['decisionmakerboughtin', '2026-11-10'],
      ['contractsent', '2026-11-18'],
    ],
  }),
  deal('18000000003', {
    name: 'Initech - Growth upgrade',
    stage: 'qualifiedtobuy',
    amount: '12000',
    created: '2026-10-08T11:00:00.000Z',
    close: '2026-11-20T12:00:00.000Z',
    lastActivity: null, // no logged activity: hs_lastmodifieddate stands in
    modified: '2026-11-05T08:00:00.000Z',
    owner: ALEX,
    companies: primary(INITECH),
    history: [
      ['appointmentscheduled', '2026-10-08T11:00:00.000Z'],
      ['99999999', '2026-10-12'], // a stage deleted since
      ['qualifiedtobuy', '2026-10-20'],
    ],
  }),
  deal('18000000004', {
    name: 'Umbrella Health - compliance reporting',
    stage: 'presentationscheduled',
    amount: '36000',
    currency: 'EUR',
    created: '2026-09-28',
    close: '2026-12-02T12:00:00.000Z',
    lastActivity: '2026-11-05T12:00:00.000Z',
    owner: MAYA,
    companies: primary(UMBRELLA),
    deliveryHours: '90',
    history: [
      ['appointmentscheduled', '2026-09-28'],
      ['qualifiedtobuy', '2026-10-05'],
      ['presentationscheduled', '2026-10-25'],
    ],
  }),
  deal('18000000005', {
    name: 'Hooli pilot',
    pipeline: PARTNER_PIPELINE.id,
    stage: '1046431001',
    amount: null,
    created: '2026-11-10',
    close: '2027-01-15T12:00:00.000Z',
    lastActivity: '2026-11-12',
    owner: null,
    history: [['1046431001', '2026-11-10']],
  }),
  deal('18000000006', {
    name: 'Stark Industries - annual',
    stage: 'closedwon',
    amount: '30000',
    created: '2026-08-01',
    close: '2026-10-15T16:00:00.000Z',
    lastActivity: '2026-10-15T16:00:00.000Z',
    owner: MAYA,
    companies: primary(STARK),
    history: [
      ['appointmentscheduled', '2026-08-01'],
      ['qualifiedtobuy', '2026-08-10'],
      ['presentationscheduled', '2026-09-01'],
      ['contractsent', '2026-09-20'],
      ['closedwon', '2026-10-15T16:00:00.000Z'],
    ],
  }),
  deal('18000000007', {
    name: 'Wayne Enterprises - annual plan',
    stage: 'closedwon',
    amount: '18000',
    created: '2026-09-10',
    close: '2026-11-12',
    lastActivity: '2026-11-12',
    owner: ALEX,
    companies: primary(WAYNE),
    history: [
      ['appointmentscheduled', '2026-09-10'],
      ['presentationscheduled', '2026-09-25'],
      ['closedwon', '2026-11-12'],
    ],
  }),
  deal('18000000008', {
    name: 'Soylent - pilot',
    stage: 'closedlost',
    amount: '9000',
    created: '2026-09-01',
    close: '2026-10-30',
    lastActivity: '2026-10-30',
    owner: MAYA,
    companies: primary(DELETED_COMPANY),
    history: [
      ['appointmentscheduled', '2026-09-01'],
      ['qualifiedtobuy', '2026-09-15'],
      ['closedlost', '2026-10-30'],
    ],
  }),
  deal('18000000009', {
    name: 'Acme Corp - partner referral',
    pipeline: PARTNER_PIPELINE.id,
    stage: '1046431003',
    amount: '6000',
    created: '2026-07-01',
    close: '2026-08-20',
    lastActivity: '2026-08-20',
    owner: MAYA,
    companies: primary(ACME),
    history: [
      ['1046431001', '2026-07-01'],
      ['1046431002', '2026-07-20'],
      ['1046431003', '2026-08-20'],
    ],
  }),
  deal('18000000010', {
    name: 'Globex - pilot 2025',
    stage: 'closedlost',
    amount: '15000',
    created: '2026-06-01',
    close: '2026-07-10',
    lastActivity: '2026-07-10',
    owner: ALEX,
    companies: primary(GLOBEX),
    history: [
      ['appointmentscheduled', '2026-06-01'],
      ['closedwon', '2026-06-20'], // marked won by mistake, then lost: the won entry is dropped
      ['closedlost', '2026-07-10'],
    ],
  }),
  deal('18000000011', {
    name: 'Initech - old renewal',
    stage: 'closedlost',
    amount: '4000',
    created: '2026-05-01',
    close: '2026-06-15',
    lastActivity: '2026-06-15',
    owner: '52550199', // a deactivated user: not in the owners list
    companies: primary(INITECH),
    history: [
      ['appointmentscheduled', '2026-05-01'],
      ['qualifiedtobuy', '2026-05-10'],
      ['closedlost', '2026-06-15'],
    ],
  }),
  deal('18000000012', {
    name: 'Umbrella Health - starter',
    stage: 'closedwon',
    amount: '5000',
    created: '2026-06-10',
    close: '2026-08-01',
    lastActivity: '2026-08-01',
    owner: MAYA,
    companies: primary(UMBRELLA),
    history: [
      ['appointmentscheduled', '2026-06-10'],
      ['closedwon', '2026-08-01'],
    ],
  }),
];

function contact(
  id: string,
  o: {
    created: string;
    source: string | null;
    stage: string;
    mql?: string;
    customer?: string;
    company?: string;
  },
): FakeContact {
  return {
    id,
    properties: {
      createdate: at(o.created),
      lifecyclestage: o.stage,
      hs_analytics_source: o.source,
      hs_lifecyclestage_marketingqualifiedlead_date: o.mql ? at(o.mql) : null,
      hs_lifecyclestage_customer_date: o.customer ? at(o.customer) : null,
      associatedcompanyid: o.company ?? null,
      lastmodifieddate: '2026-11-25T08:00:00.000Z',
      email: `contact${id.slice(-2)}@example.com`,
    },
  };
}

const X = '9120000102'; // one company, two contacts becoming customers in October

export const HUBSPOT_GOLDEN_CONTACTS: FakeContact[] = [
  // Created in September 2026.
  contact('51000000001', {
    created: '2026-09-02',
    source: 'PAID_SEARCH',
    stage: 'customer',
    mql: '2026-09-10',
    customer: '2026-09-28',
    company: '9120000101',
  }),
  contact('51000000002', {
    created: '2026-09-05',
    source: 'PAID_SEARCH',
    stage: 'customer',
    mql: '2026-09-20',
    customer: '2026-10-20T15:00:00.000Z',
    company: X,
  }),
  contact('51000000003', {
    created: '2026-09-12',
    source: 'PAID_SEARCH',
    stage: 'marketingqualifiedlead',
    mql: '2026-10-03',
  }),
  contact('51000000004', {
    created: '2026-09-30T23:59:59.999Z',
    source: 'PAID_SEARCH',
    stage: 'lead',
  }),
  contact('51000000005', {
    created: '2026-09-08',
    source: 'PAID_SOCIAL',
    stage: 'marketingqualifiedlead',
    mql: '2026-09-25',
  }),
  contact('51000000006', { created: '2026-09-18', source: 'PAID_SOCIAL', stage: 'lead' }),
  contact('51000000007', {
    created: '2026-09-03',
    source: 'ORGANIC_SEARCH',
    stage: 'marketingqualifiedlead',
    mql: '2026-10-14',
  }),
  contact('51000000008', {
    created: '2026-09-21',
    source: 'ORGANIC_SEARCH',
    stage: 'customer',
    customer: '2026-10-05',
    company: '9120000103',
  }),
  contact('51000000009', { created: '2026-09-25', source: 'ORGANIC_SEARCH', stage: 'lead' }),
  contact('51000000010', {
    created: '2026-09-15',
    source: 'OFFLINE',
    stage: 'customer',
    mql: '2026-09-16',
    customer: '2026-10-28',
    company: '9120000104',
  }),
  contact('51000000011', {
    created: '2026-09-10',
    source: 'DIRECT_TRAFFIC',
    stage: 'marketingqualifiedlead',
    mql: '2026-09-11',
  }),
  contact('51000000012', { created: '2026-09-14', source: 'PAID_SEARCH', stage: 'other' }),
  // Created in October 2026.
  contact('51000000013', {
    created: '2026-10-02',
    source: 'PAID_SEARCH',
    stage: 'customer',
    mql: '2026-10-09',
    customer: '2026-11-10',
    company: '9120000105',
  }),
  contact('51000000014', {
    created: '2026-10-15',
    source: 'PAID_SEARCH',
    stage: 'marketingqualifiedlead',
    mql: '2026-11-03',
  }),
  contact('51000000015', {
    created: '2026-10-31T23:59:59.999Z',
    source: 'PAID_SEARCH',
    stage: 'lead',
  }),
  contact('51000000016', {
    created: '2026-10-06',
    source: 'PAID_SOCIAL',
    stage: 'marketingqualifiedlead',
    mql: '2026-10-21',
  }),
  contact('51000000017', { created: '2026-10-11', source: 'PAID_SOCIAL', stage: 'lead' }),
  contact('51000000018', { created: '2026-10-19', source: 'ORGANIC_SEARCH', stage: 'lead' }),
  contact('51000000019', {
    created: '2026-10-07',
    source: 'REFERRALS',
    stage: 'customer',
    mql: '2026-10-12',
    customer: '2026-10-30',
    company: '9120000106',
  }),
  contact('51000000020', {
    created: '2026-10-13',
    source: 'PAID_SOCIAL',
    stage: 'customer',
    customer: '2026-10-20T15:05:00.000Z',
    company: X,
  }),
  // Created in November 2026.
  contact('51000000021', { created: '2026-11-04', source: null, stage: 'lead' }),
  contact('51000000022', {
    created: '2026-11-01T00:00:00.000Z',
    source: 'PAID_SEARCH',
    stage: 'lead',
  }),
  contact('51000000023', { created: '2026-11-20', source: 'PAID_SEARCH', stage: 'subscriber' }),
  // Created before the window.
  contact('51000000024', {
    created: '2026-08-10',
    source: 'PAID_SEARCH',
    stage: 'customer',
    mql: '2026-08-12',
    customer: '2026-08-30',
    company: '9120000108',
  }),
  contact('51000000025', {
    created: '2026-08-20',
    source: 'PAID_SEARCH',
    stage: 'customer',
    customer: '2026-09-15',
    company: '9120000107',
  }),
];

const owner = (id: string, firstName: string, lastName: string, userId: number) => ({
  id,
  email: `${firstName.toLowerCase()}@boardroom-demo.example`,
  firstName,
  lastName,
  userId,
  userIdIncludingInactive: userId,
  type: 'PERSON',
  createdAt: '2025-01-10T09:00:00.000Z',
  updatedAt: '2026-06-01T09:00:00.000Z',
  archived: false,
  teams: [],
});

export const HUBSPOT_GOLDEN_ACCOUNT: FakeAccount = {
  portalId: 146839201,
  pipelines: [DEFAULT_PIPELINE, PARTNER_PIPELINE].map((p) => ({
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    stages: p.stages.map((s, i) => ({
      id: s.id,
      label: s.label,
      displayOrder: i,
      metadata: { isClosed: s.isClosed, probability: s.probability },
    })),
  })),
  owners: [
    owner(MAYA, 'Maya', 'Chen', 9130001),
    owner(ALEX, 'Alex', 'Morgan', 9130002),
    owner('52550155', 'Sam', 'Patel', 9130003),
    owner('52550156', 'Jordan', 'Lee', 9130004),
    owner('52550157', 'Priya', 'Nair', 9130005),
    owner('52550158', 'Chris', 'Okafor', 9130006),
  ],
  companies: [
    [ACME, 'Acme Corp'],
    [GLOBEX, 'Globex'],
    [INITECH, 'Initech'],
    [UMBRELLA, 'Umbrella Health'],
    [STARK, 'Stark Industries'],
    [WAYNE, 'Wayne Enterprises'],
  ].map(([id, name]) => ({
    id: id!,
    properties: { name: name!, domain: `${name!.toLowerCase().replace(/[^a-z]+/g, '')}.example` },
  })),
  deals: HUBSPOT_GOLDEN_DEALS,
  contacts: HUBSPOT_GOLDEN_CONTACTS,
};

/** The day the expected metrics are for. */
export const HUBSPOT_GOLDEN_TODAY = '2026-11-26';
export const HUBSPOT_GOLDEN_AS_OF = new Date('2026-11-26T12:00:00Z');

/** The sources.yaml `hubspot:` block (plus `base_url`, the fake's URL). */
export const HUBSPOT_GOLDEN_SETTINGS = {
  // Small pages, so every list and search runs over several pages.
  page_size: 5,
  search_interval_ms: 20,
  fx_rates: { EUR: 1.08 },
  delivery_hours_property: 'delivery_hours',
  channel_map: { ORGANIC_SEARCH: 'content', OFFLINE: 'events', DIRECT_TRAFFIC: null },
};

/** The workspace files the golden test pairs with the account (CSV rows: strings). */
export const HUBSPOT_GOLDEN_FILES = {
  sales: {
    company: {
      name: 'Golden Co',
      quarter: { start: '2026-10-01', end: '2026-12-31', revenue_target_cents: 20000000 },
    },
    settings: undefined,
  },
  marketing: {
    campaigns: [
      [
        '2026-08-google',
        '2026-08',
        'paid_search',
        'Google Ads - analytics keywords',
        '400000',
        '90',
        '30',
        '2',
        '600000',
      ],
      [
        '2026-09-google',
        '2026-09',
        'paid_search',
        'Google Ads - analytics keywords',
        '420000',
        '96',
        '31',
        '3',
        '776600',
      ],
      [
        '2026-09-linkedin',
        '2026-09',
        'paid_social',
        'LinkedIn - ops leaders',
        '300000',
        '58',
        '17',
        '1',
        '358800',
      ],
      [
        '2026-09-content',
        '2026-09',
        'content',
        'SEO and blog',
        '150000',
        '74',
        '22',
        '1',
        '299000',
      ],
      [
        '2026-10-content',
        '2026-10',
        'content',
        'SEO and blog',
        '150000',
        '70',
        '20',
        '1',
        '299000',
      ],
      [
        '2026-10-google',
        '2026-10',
        'paid_search',
        'Google Ads - analytics keywords',
        '440000',
        '88',
        '27',
        '1',
        '358800',
      ],
      [
        '2026-10-google-brand',
        '2026-10',
        'paid_search',
        'Google Ads - brand',
        '60000',
        '12',
        '4',
        '0',
        undefined,
      ],
      [
        '2026-10-linkedin',
        '2026-10',
        'paid_social',
        'LinkedIn - ops leaders',
        '320000',
        '61',
        '18',
        '0',
        '0',
      ],
      [
        '2026-10-webinar',
        '2026-10',
        'Events',
        'Webinar: KPI dashboards',
        '170000',
        '35',
        '12',
        '1',
        '799000',
      ],
      [
        '2026-11-google',
        '2026-11',
        'paid_search',
        'Google Ads - analytics keywords',
        '300000',
        '40',
        '10',
        '0',
        undefined,
      ],
    ].map(([id, month, channel, campaign, spend, leads, mqls, customers, arr]) => ({
      id,
      month,
      channel,
      campaign,
      spend_cents: spend,
      leads,
      mqls,
      new_customers: customers,
      new_arr_cents: arr,
    })),
    content: [],
    settings: undefined,
  },
};

/**
 * The agents' metrics for the golden account on 2026-11-26 (the arithmetic is in
 * tests/sources/connectors/hubspot.test.ts).
 */
export const HUBSPOT_GOLDEN_EXPECTED = {
  sales: {
    openDeals: 5,
    pipelineValue: 124880.5,
    weightedPipeline: 89728.45,
    'dealsByStage.lead': 1,
    'dealsByStage.qualified': 1,
    'dealsByStage.proposal': 1,
    'dealsByStage.negotiation': 2,
    'valueByStage.lead': 0,
    'valueByStage.qualified': 12000,
    'valueByStage.proposal': 38880,
    'valueByStage.negotiation': 74000.5,
    'conversionPct.lead_to_qualified': 90.9,
    'conversionPct.qualified_to_proposal': 60,
    'conversionPct.proposal_to_negotiation': 100,
    'conversionPct.negotiation_to_won': 100,
    'avgDaysInStage.lead': 18.5,
    'avgDaysInStage.qualified': 27.4,
    'avgDaysInStage.proposal': 29.2,
    'avgDaysInStage.negotiation': 25,
    wonDeals: 2,
    lostDeals: 1,
    wonValue: 48000,
    winRatePct: 66.7,
    winRatePreviousPct: 50,
    winRateChangePts: 16.7,
    avgDealSize: 24000,
    avgSalesCycleDays: 69,
    salesVelocityPerDay: 1159.42,
    pipelineThisQuarter: 124880.5,
    wonThisQuarter: 48000,
    remainingTarget: 152000,
    pipelineCoverage: 0.82,
    closingThisWeek: 2,
    closingThisWeekValue: 88880,
    closingThisMonth: 1,
    closingThisMonthValue: 50000,
    overdueDeals: 1,
    stalledDeals: 3,
    stalledValue: 50880,
    stalledHighValueDeals: 2,
    weightedDeliveryHours: 118,
  },
  marketing: {
    spend: 11400,
    leads: 8,
    mqls: 5,
    newCustomers: 4,
    newArr: 14568,
    leadToMqlPct: 62.5,
    mqlToCustomerPct: 80,
    leadToCustomerPct: 50,
    cac: 2850,
    roiPct: 27.8,
    spendPrevious: 8700,
    leadsPrevious: 10,
    mqlsPrevious: 4,
    newCustomersPrevious: 2,
    cacPrevious: 4350,
    spendChangePct: 31,
    leadsChangePct: -20,
    mqlsChangePct: 25,
    newCustomersChangePct: 100,
    cacChangePct: -34.5,
    'leads.paid_search': 3,
    'mqls.paid_search': 2,
    'newCustomers.paid_search': 1,
    'spend.paid_search': 5000,
    'cac.paid_search': 5000,
    'roiPct.paid_search': -28.2,
    'leads.paid_social': 3,
    'mqls.paid_social': 1,
    'newCustomers.paid_social': 0,
    'cac.paid_social': null,
    'leads.content': 1,
    'mqls.content': 1,
    'newCustomers.content': 1,
    'roiPct.content': 99.3,
    'leads.events': 0,
    'newCustomers.events': 1,
    'cac.events': 1700,
    'roiPct.events': 370,
    'leadToMqlPct.events': null,
    'spend.referrals': 0,
    'leads.referrals': 1,
    'mqls.referrals': 1,
    'newCustomers.referrals': 1,
    'newArr.referrals': null,
  },
} as const;
