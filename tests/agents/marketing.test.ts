import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { AgentResult, type Metrics } from '../../src/contract/report.js';
import { channelKey } from '../../src/contract/datasets/marketing.js';
import { marketingAgent } from '../../src/agents/marketing/index.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

/** A campaigns.csv row as the loader gives it: strings, empty cells undefined. */
const row = (
  month: string,
  channel: string,
  spend: string,
  leads: string,
  mqls: string,
  customers: string,
  newArr?: string,
) => ({
  id: `${month}-${channel}`,
  month,
  channel,
  campaign: `${channel} always-on`,
  spend_cents: spend,
  leads,
  mqls,
  new_customers: customers,
  new_arr_cents: newArr,
});

const piece = (
  id: string,
  month: string,
  published: string,
  views: string,
  leads: string,
  title = `Piece ${id}`,
) => ({ piece_id: id, month, title, type: 'blog', published_on: published, views, leads });

// Today is 2026-11-26: the period is 2026-10 (last complete month), compared with 2026-09.
const campaigns = [
  row('2026-09', 'paid_search', '100000', '100', '30', '2', '600000'),
  row('2026-09', 'paid_social', '50000', '50', '10', '1', '300000'),
  row('2026-10', 'paid_search', '120000', '80', '20', '2', '500000'),
  row('2026-10', 'Paid Social', '90000', '20', '5', '0', '0'), // channel name normalised
  row('2026-10', 'content', '30000', '40', '12', '1', '299000'),
  // The current month is incomplete and not reported.
  row('2026-11', 'paid_search', '999999', '999', '999', '9', '9999999'),
];
const content = [
  piece('P1', '2026-09', '2026-08-01', '1000', '10'),
  piece('P1', '2026-10', '2026-08-01', '800', '6'),
  piece('P2', '2026-10', '2026-10-05', '1200', '15'),
  piece('P3', '2026-10', '2026-10-30', '200', '0'),
  piece('P2', '2026-11', '2026-10-05', '5000', '50'), // current month: ignored
];

function run(rows: unknown[] = campaigns, extra: Record<string, unknown> = {}) {
  const input = marketingAgent.input.parse({ campaigns: rows, content, ...extra });
  return AgentResult.parse(marketingAgent.compute(input, ctx));
}

/** Every metric is a finite number or null: never NaN or Infinity. */
function expectFinite(metrics: Metrics) {
  for (const [key, v] of Object.entries(metrics)) {
    expect(v === null || Number.isFinite(v), `${key} = ${v}`).toBe(true);
  }
}

describe('marketing agent: golden figures', () => {
  it('reports the funnel of the last complete month, CAC and ROI', () => {
    const m = run().metrics;
    expectFinite(m);
    expect(m).toMatchObject({
      spend: 2400, // (120000 + 90000 + 30000) / 100
      leads: 140, // 80 + 20 + 40
      mqls: 37, // 20 + 5 + 12
      newCustomers: 3, // 2 + 0 + 1
      newArr: 7990, // (500000 + 0 + 299000) / 100
      leadToMqlPct: 26.4, // 37 / 140 = 26.43%
      mqlToCustomerPct: 8.1, // 3 / 37 = 8.11%
      leadToCustomerPct: 2.1, // 3 / 140 = 2.14%
      cac: 800, // 240000 / 3 = 80000 cents
      roiPct: 232.9, // (799000 - 240000) / 240000 = 232.92%
    });
  });

  it('compares with the month before, from the monthly data', () => {
    expect(run().metrics).toMatchObject({
      spendPrevious: 1500, // (100000 + 50000) / 100
      leadsPrevious: 150,
      mqlsPrevious: 40,
      newCustomersPrevious: 3,
      cacPrevious: 500, // 150000 / 3 = 50000 cents
      spendChangePct: 60, // (240000 - 150000) / 150000
      leadsChangePct: -6.7, // (140 - 150) / 150
      mqlsChangePct: -7.5, // (37 - 40) / 40
      newCustomersChangePct: 0,
      cacChangePct: 60, // (80000 - 50000) / 50000
    });
  });

  it('breaks the funnel down by channel (keys `<metric>.<channel>`)', () => {
    const m = run().metrics;
    expect(m).toMatchObject({
      'spend.content': 300,
      'leads.content': 40,
      'mqls.content': 12,
      'newCustomers.content': 1,
      'newArr.content': 2990,
      'leadToMqlPct.content': 30, // 12 / 40
      'cac.content': 300, // 30000 / 1
      'roiPct.content': 896.7, // (299000 - 30000) / 30000 = 896.67%
      'spend.paid_search': 1200,
      'leads.paid_search': 80,
      'newCustomers.paid_search': 2,
      'cac.paid_search': 600, // 120000 / 2
      'roiPct.paid_search': 316.7, // (500000 - 120000) / 120000 = 316.67%
      'spend.paid_social': 900,
      'leads.paid_social': 20,
      'leadToMqlPct.paid_social': 25, // 5 / 20
      'newCustomers.paid_social': 0,
      'cac.paid_social': null, // no customer: no CAC
      'roiPct.paid_social': -100, // (0 - 90000) / 90000
    });
    expect(Object.keys(m).filter((k) => k.startsWith('spend.'))).toEqual([
      'spend.content',
      'spend.paid_search',
      'spend.paid_social',
    ]);
  });

  it('reports content performance per piece and its trend', () => {
    expect(run().metrics).toMatchObject({
      contentPieces: 3, // P1, P2, P3 have October rows
      newContentPieces: 2, // P2 and P3 were published in October
      contentViews: 2200, // 800 + 1200 + 200
      contentLeads: 21, // 6 + 15 + 0
      viewsPerPiece: 733.3, // 2200 / 3
      leadsPerPiece: 7, // 21 / 3
      contentLeadRatePct: 0.95, // 21 / 2200 = 0.9545%
      contentViewsChangePct: 120, // (2200 - 1000) / 1000
      contentLeadsChangePct: 110, // (21 - 10) / 10
      'contentViews.p1': 800,
      'contentLeads.p1': 6,
      'contentViews.p2': 1200,
      'contentLeads.p2': 15,
      'contentLeads.p3': 0,
    });
  });
});

describe('marketing agent: alerts and health', () => {
  it('fires cac-rising (critical above +50%) and channel-no-customers', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.metric, a.value, a.threshold])).toEqual([
      ['marketing.cac-rising', 'critical', 'cacChangePct', 60, 50],
      ['marketing.channel-no-customers', 'warning', 'spend.paid_social', 900, 0],
    ]);
    expect(r.alerts[1]!.message).toBe(
      'paid_social spent $900 in 2026-10 (20 leads, 5 MQLs) and won no customer',
    );
    expect(r.health).toBe(40); // 100 - 40 - 20
  });

  it('keeps CAC at warning between +20% and +50%', () => {
    const r = run(campaigns, { settings: { thresholds: { cac_increase_critical_pct: 70 } } });
    expect(r.alerts[0]).toMatchObject({
      id: 'marketing.cac-rising',
      severity: 'warning',
      threshold: 20,
    });
  });

  it('does not flag a channel whose spend is at or below the minimum', () => {
    const r = run(campaigns, { settings: { thresholds: { channel_no_customers_min_spend: 900 } } });
    expect(r.alerts.map((a) => a.id)).toEqual(['marketing.cac-rising']); // 900 is not > 900
  });

  it('fires leads-dropping as warning below -25% and critical below -50%', () => {
    const flow = (octLeads: string) => [
      row('2026-09', 'paid_search', '100000', '200', '40', '4', '1200000'),
      row('2026-10', 'paid_search', '100000', octLeads, '30', '4', '1200000'),
    ];
    const warn = run(flow('140'));
    expect(warn.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['marketing.leads-dropping', 'warning', -30, -25], // (140 - 200) / 200
    ]);
    const crit = run(flow('90'));
    expect(crit.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['marketing.leads-dropping', 'critical', -55, -50], // (90 - 200) / 200
    ]);
    expect(crit.recommendations.find((t) => t.id === 'marketing.recover-lead-flow')).toEqual({
      id: 'marketing.recover-lead-flow',
      title: 'Find out why leads fell 55% in 2026-10',
      source: 'marketing',
      reason: '90 leads in 2026-10 against 200 in 2026-09; paid_search 90.',
      // (200 - 90) missing leads x 1200000 / 200 new ARR per lead in September
      moneyAtStakeCents: 660000,
      deadline: '2026-12-10',
      energyDemand: 'high',
      tags: ['growth', 'pipeline'],
    });
  });

  it('stays quiet when the funnel is steady, and rounds CAC once to the cent', () => {
    const r = run([
      row('2026-09', 'content', '100000', '60', '20', '3'),
      row('2026-10', 'content', '100000', '60', '20', '3'),
    ]);
    expect(r.metrics.cac).toBe(333.33); // 100000 / 3 = 33333.33 cents
    expect(r.metrics.cacChangePct).toBe(0);
    expect(r.metrics.newArr).toBeNull(); // new_arr_cents not tracked
    expect(r.metrics.roiPct).toBeNull();
    expect(r.alerts).toEqual([]);
    expect(r.recommendations).toEqual([]);
    expect(r.health).toBe(100);
    expect(r.healthReason).toBe(
      'Marketing steady in 2026-10: 60 leads, 3 new customers, CAC $333.33',
    );
  });
});

describe('marketing agent: recommendations', () => {
  it('reviews channels without customers and scales the best-returning one', () => {
    expect(run().recommendations).toEqual([
      {
        id: 'marketing.review-channel-paid-social',
        title: 'Review paid_social spend (no new customers vs $800 blended)',
        source: 'marketing',
        subject: 'channel:paid_social',
        reason:
          "paid_social spent $900 in 2026-10 for 0 new customers (20 leads, 5 MQLs); cut or fix it before next month's budget.",
        deadline: '2026-11-30',
        energyDemand: 'medium',
        tags: ['growth', 'efficiency'],
      },
      {
        id: 'marketing.scale-channel-content',
        title: 'Put more budget into content (ROI 896.7%, CAC $300)',
        source: 'marketing',
        subject: 'channel:content',
        reason:
          'content brought $2,990 new ARR from $300 in 2026-10 (1 customer), the best return of any channel.',
        moneyAtStakeCents: 299000,
        deadline: '2026-11-30',
        energyDemand: 'medium',
        tags: ['growth', 'revenue'],
      },
    ]);
  });

  it('reviews a channel whose CAC is more than 50% above the blended CAC', () => {
    const r = run([
      row('2026-10', 'paid_search', '300000', '50', '10', '1', '100000'), // CAC 3000
      row('2026-10', 'content', '100000', '50', '10', '3', '100000'), // CAC 333.33
    ]);
    // blended 400000 / 4 = 1000.00; 3000 > 1000 x 1.5
    expect(r.recommendations.map((t) => t.title)).toEqual([
      'Review paid_search spend (CAC $3,000 vs $1,000 blended)',
    ]);
    // No channel reaches 200% ROI: no scale task.
    expect(r.metrics['roiPct.content']).toBe(0);
  });
});

describe('marketing agent: currency', () => {
  it("writes amounts in the company's currency (EUR: €)", () => {
    const input = marketingAgent.input.parse({ campaigns, content });
    const r = AgentResult.parse(marketingAgent.compute(input, { ...ctx, currency: 'EUR' }));
    expect(r.metrics).toEqual(run().metrics);
    expect(r.alerts[1]!.message).toBe(
      'paid_social spent €900 in 2026-10 (20 leads, 5 MQLs) and won no customer',
    );
    expect(r.recommendations[1]!.title).toBe('Put more budget into content (ROI 896.7%, CAC €300)');
    expect(JSON.stringify([r.alerts, r.recommendations])).not.toContain('$');
  });
});

describe('marketing agent: edge cases and validation', () => {
  it('reports empty data with nulls, never NaN', () => {
    const input = marketingAgent.input.parse({ campaigns: [] });
    const r = AgentResult.parse(marketingAgent.compute(input, ctx));
    expectFinite(r.metrics);
    expect(r.metrics).toMatchObject({
      spend: 0,
      leads: 0,
      cac: null,
      roiPct: null,
      leadToMqlPct: null,
      cacChangePct: null,
      leadsChangePct: null,
      contentPieces: 0,
      viewsPerPiece: null,
      leadsPerPiece: null,
      contentLeadRatePct: null,
    });
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
  });

  it('has null CAC without new customers and null ROI without spend', () => {
    const r = run([
      row('2026-10', 'events', '50000', '10', '2', '0', '0'),
      row('2026-10', 'referral', '0', '5', '2', '1', '299000'),
    ]);
    expect(r.metrics['cac.events']).toBeNull();
    expect(r.metrics['roiPct.referral']).toBeNull(); // no spend
    expect(r.metrics['cac.referral']).toBe(0); // 0 spend / 1 customer
    expect(r.metrics.cacChangePct).toBeNull();
  });

  it('never produces NaN or Infinity for generated months (property)', () => {
    const rowArb = fc.record({
      month: fc.constantFrom('2026-09', '2026-10', '2026-11'),
      channel: fc.constantFrom('paid_search', 'content', 'events'),
      spend: fc.integer({ min: 0, max: 10_000_000 }),
      leads: fc.integer({ min: 0, max: 500 }),
      mqls: fc.integer({ min: 0, max: 500 }),
      customers: fc.integer({ min: 0, max: 20 }),
      arr: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }), (rows) => {
        const input = marketingAgent.input.parse({
          campaigns: rows.map((r, i) => ({
            ...row(
              r.month,
              r.channel,
              String(r.spend),
              String(r.leads),
              String(r.mqls),
              String(r.customers),
              r.arr === undefined ? undefined : String(r.arr),
            ),
            id: `r${i}`,
          })),
        });
        const result = AgentResult.parse(marketingAgent.compute(input, ctx));
        expectFinite(result.metrics);
      }),
      { numRuns: 150 },
    );
  });

  it('normalises channel names and rejects one without letters or digits', () => {
    expect(channelKey(' Paid Search ')).toBe('paid_search');
    expect(channelKey('LinkedIn/Ads')).toBe('linkedin_ads');
    const bad = marketingAgent.input.safeParse({
      campaigns: [row('2026-10', '--', '1', '1', '1', '1')],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['campaigns', 0, 'channel']);
  });

  it('rejects a content piece listed twice for a month, and fractional new ARR cents', () => {
    const twice = marketingAgent.input.safeParse({
      campaigns: [],
      content: [
        piece('P1', '2026-10', '2026-10-01', '1', '1'),
        piece('P1', '2026-10', '2026-10-01', '2', '2'),
      ],
    });
    expect(twice.error?.issues[0]?.path).toEqual(['content', 1, 'month']);
    const arr = marketingAgent.input.safeParse({
      campaigns: [row('2026-10', 'content', '1', '1', '1', '1', '12.5')],
    });
    expect(arr.error?.issues[0]?.path).toEqual(['campaigns', 0, 'new_arr_cents']);
  });
});
