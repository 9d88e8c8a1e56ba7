import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { AgentResult, type MetricSnapshot, type Metrics } from '../../src/contract/report.js';
import { DEAL_STAGES } from '../../src/contract/datasets/sales.js';
import { salesAgent } from '../../src/agents/sales/index.js';
import { loadAgentInput } from '../../src/sources/workspace.js';

const ctx = (history: MetricSnapshot[] = []) => ({
  asOf: new Date('2026-11-26T12:00:00Z'),
  today: '2026-11-26',
  history,
});

/** A deals.csv row as the loader gives it: trimmed strings, empty cells undefined. */
const deal = (
  id: string,
  stage: string,
  amount: string,
  created: string,
  close: string,
  lastActivity: string,
  extra: { probability?: string; delivery_hours?: string } = {},
) => ({
  id,
  name: `${id} deal`,
  account: `Account ${id}`,
  owner: 'Maya Chen',
  stage,
  amount_cents: amount,
  created_on: created,
  close_date: close,
  last_activity_on: lastActivity,
  probability: extra.probability,
  delivery_hours: extra.delivery_hours,
});

// Today is 2026-11-26. Win-rate window (90 days): 2026-08-29..2026-11-26; the window
// before it: 2026-05-31..2026-08-28.
const deals = [
  // Open: A1 closes this week, A2 is idle exactly 14 days (stalled) and exactly $10K
  // (high-value), A3 is idle 13 days with a stated probability, A4 is overdue and idle.
  deal('A1', 'negotiation', '5000000', '2026-09-01', '2026-11-30', '2026-11-24', {
    delivery_hours: '80',
  }),
  deal('A2', 'proposal', '1000000', '2026-10-01', '2027-01-20', '2026-11-12'),
  deal('A3', 'Qualified', '2000000', '2026-10-15', '2026-12-20', '2026-11-13', {
    probability: '40',
  }),
  deal('A4', 'lead', '300000', '2026-10-20', '2026-11-20', '2026-11-01'),
  // Closed in the current window: 2 won, 2 lost.
  deal('W1', 'won', '1500000', '2026-09-01', '2026-10-10', '2026-10-10'), // cycle 39 days
  deal('W2', 'won', '500000', '2026-10-01', '2026-11-20', '2026-11-20'), // cycle 50 days
  deal('L1', 'lost', '700000', '2026-09-20', '2026-11-01', '2026-11-01'),
  deal('L2', 'lost', '300000', '2026-09-01', '2026-09-15', '2026-09-15'),
  // Closed in the previous window (both edges included): 3 won, 1 lost.
  deal('W3', 'won', '800000', '2026-05-01', '2026-06-10', '2026-06-10'),
  deal('W4', 'won', '400000', '2026-06-01', '2026-07-01', '2026-07-01'),
  deal('W5', 'won', '600000', '2026-08-01', '2026-08-28', '2026-08-28'),
  deal('L3', 'lost', '200000', '2026-05-01', '2026-05-31', '2026-05-31'),
  // Before both windows: counted nowhere.
  deal('L4', 'lost', '900000', '2026-04-01', '2026-05-30', '2026-05-30'),
];

const h = (deal_id: string, stage: string, entered_on: string) => ({ deal_id, stage, entered_on });
const stageHistory = [
  h('A1', 'lead', '2026-09-01'),
  h('A1', 'qualified', '2026-09-10'),
  h('A1', 'proposal', '2026-10-01'),
  h('A1', 'negotiation', '2026-11-01'),
  h('A2', 'lead', '2026-10-01'),
  h('A2', 'proposal', '2026-10-20'), // skipped qualified
  h('A3', 'qualified', '2026-11-01'), // listed before its lead row: sorted by date
  h('A3', 'lead', '2026-10-15'),
  h('A4', 'lead', '2026-10-20'),
  h('W1', 'lead', '2026-09-01'),
  h('W1', 'qualified', '2026-09-05'),
  h('W1', 'proposal', '2026-09-20'),
  h('W1', 'negotiation', '2026-10-01'),
  h('W1', 'won', '2026-10-10'),
  h('W2', 'lead', '2026-10-01'),
  h('W2', 'qualified', '2026-10-11'),
  h('W2', 'proposal', '2026-11-01'), // no won row: the close date 2026-11-20 ends the path
  h('L1', 'lead', '2026-09-20'),
  h('L1', 'qualified', '2026-10-01'),
  h('L1', 'proposal', '2026-10-15'),
  h('L1', 'lost', '2026-11-01'),
  h('L2', 'lead', '2026-09-01'),
  h('L2', 'lost', '2026-09-15'),
];

const company = {
  name: 'Test Co',
  quarter: { start: '2026-10-01', end: '2026-12-31', revenue_target_cents: '5000000' },
};

function run(extra: Record<string, unknown> = {}, history: MetricSnapshot[] = []) {
  const input = salesAgent.input.parse({ deals, stageHistory, company, ...extra });
  return AgentResult.parse(salesAgent.compute(input, ctx(history)));
}

/** Every metric is a finite number or null: never NaN or Infinity. */
function expectFinite(metrics: Metrics) {
  for (const [key, v] of Object.entries(metrics)) {
    expect(v === null || Number.isFinite(v), `${key} = ${v}`).toBe(true);
  }
}

describe('sales agent: golden figures', () => {
  it('values the pipeline, by stage and weighted', () => {
    const m = run().metrics;
    expectFinite(m);
    expect(m).toMatchObject({
      openDeals: 4,
      pipelineValue: 83000, // (5000000 + 1000000 + 2000000 + 300000) / 100
      // (5000000 x 75 + 1000000 x 50 + 2000000 x 40 (stated) + 300000 x 10) / 100 = 5080000 cents
      weightedPipeline: 50800,
      'dealsByStage.lead': 1,
      'valueByStage.lead': 3000,
      'dealsByStage.qualified': 1,
      'valueByStage.qualified': 20000,
      'dealsByStage.proposal': 1,
      'valueByStage.proposal': 10000,
      'dealsByStage.negotiation': 1,
      'valueByStage.negotiation': 50000,
      weightedDeliveryHours: 60, // 80h x 75%
      pipelineValueChangePct: null, // no history
    });
  });

  it('computes stage conversion and time in stage from the stage history', () => {
    const m = run().metrics;
    expect(m).toMatchObject({
      // lead: moved on A1 A2 A3 W1 W2 L1 = 6; lost there L2; A4 still in lead: 6 / 7
      'conversionPct.lead_to_qualified': 85.7,
      // qualified: A1 W1 W2 L1 moved on, none lost there (A3 undecided): 4 / 4
      'conversionPct.qualified_to_proposal': 100,
      // proposal: A1 W1 W2 moved on, L1 lost there (A2 undecided): 3 / 4
      'conversionPct.proposal_to_negotiation': 75,
      // negotiation: W1 won (A1 undecided): 1 / 1
      'conversionPct.negotiation_to_won': 100,
      // lead: A1 9, A2 19, A3 17, W1 4, W2 10, L1 11, L2 14 -> 84 / 7
      'avgDaysInStage.lead': 12,
      // qualified: A1 21, W1 15, W2 21, L1 14 -> 71 / 4 = 17.75
      'avgDaysInStage.qualified': 17.8,
      // proposal: A1 31, W1 11, W2 19 (to its close date), L1 17 -> 78 / 4
      'avgDaysInStage.proposal': 19.5,
      'avgDaysInStage.negotiation': 9, // W1 only
    });
  });

  it('computes win rate, its trend, deal size, cycle and velocity over 90-day windows', () => {
    const m = run().metrics;
    expect(m).toMatchObject({
      wonDeals: 2,
      lostDeals: 2,
      closedDeals: 4, // the sample of each win rate: 2 + 2 now, 3 + 1 before
      closedDealsPrevious: 4,
      wonValue: 20000, // (1500000 + 500000) / 100
      winRatePct: 50, // 2 / (2 + 2)
      winRatePreviousPct: 75, // W3 W4 W5 won, L3 lost: 3 / 4 (L4 is before both windows)
      winRateChangePts: -25, // 50 - 75
      avgDealSize: 10000, // 2000000 / 2 / 100
      avgSalesCycleDays: 44.5, // (39 + 50) / 2
      // 4 open x $10,000 x 50% / 44.5 days = 449.438...; in cents 4 x 2000000 x 2 / (4 x 89)
      salesVelocityPerDay: 449.44,
    });
  });

  it('measures coverage of the quarter target by the pipeline closing this quarter', () => {
    expect(run().metrics).toMatchObject({
      pipelineThisQuarter: 73000, // A1 + A3 + A4 (overdue, still open); A2 closes in 2027
      wonThisQuarter: 20000, // W1 + W2
      remainingTarget: 30000, // 50000 - 20000
      pipelineCoverage: 2.43, // 73000 / 30000 = 2.433
    });
  });

  it('counts deals closing in the next 7 days and this month, overdue and stalled deals', () => {
    expect(run().metrics).toMatchObject({
      closingThisWeek: 1, // A1 (2026-11-30) within 2026-11-26..2026-12-02
      closingThisWeekValue: 50000,
      closingThisMonth: 1, // A1 within 2026-11-26..2026-11-30
      closingThisMonthValue: 50000,
      overdueDeals: 1, // A4, expected 2026-11-20
      stalledDeals: 2, // A2 idle 14 days, A4 idle 25 days; A3 idle 13 days is not
      stalledValue: 13000,
      stalledHighValueDeals: 1, // A2: $10,000 >= high_value_deal_min 10000
    });
  });

  it('reads the previous pipeline from the stored run about 30 days ago', () => {
    const history = [
      { date: '2026-10-25', metrics: { pipelineValue: 100000 } },
      { date: '2026-11-25', metrics: { pipelineValue: 90000 } }, // after 2026-10-27: not used
    ];
    // (83000 - 100000) / 100000
    expect(run({}, history).metrics.pipelineValueChangePct).toBe(-17);
    // A stored value more than 7 days before the target date is no comparison.
    const old = [{ date: '2026-10-19', metrics: { pipelineValue: 100000 } }];
    expect(run({}, old).metrics.pipelineValueChangePct).toBeNull();
  });

  it('takes stage probabilities from sales.yaml; a deal`s own probability still wins', () => {
    const r = run({ settings: { stage_probabilities: { negotiation: '90', lead: 20 } } });
    // (5000000 x 90 + 1000000 x 50 + 2000000 x 40 + 300000 x 20) / 100 = 5860000 cents
    expect(r.metrics.weightedPipeline).toBe(58600);
    expect(r.recommendations[0]?.reason).toContain('90% likely');
  });
});

describe('sales agent: alerts and health', () => {
  it('fires coverage, stalled high-value, declining win rate and the stalled-deals info', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.metric, a.value, a.threshold])).toEqual([
      ['sales.pipeline-coverage-low', 'warning', 'pipelineCoverage', 2.43, 3],
      ['sales.stalled-high-value', 'warning', 'stalledHighValueDeals', 1, 0],
      ['sales.win-rate-declining', 'warning', 'winRateChangePts', -25, -10],
      ['sales.stalled-deals', 'info', 'stalledDeals', 2, 0],
    ]);
    // What each alert is about, when it is one thing: a task on it explains it.
    expect(r.alerts.map((a) => a.subject)).toEqual([
      'pipeline:this quarter',
      'deal:account a2',
      undefined,
      undefined,
    ]);
    expect(r.alerts[1]!.message).toBe(
      '1 deal of $10,000+ ARR idle for 14+ days: Account A2 ($10,000 ARR)',
    );
    expect(r.alerts[2]!.message).toBe(
      'Win rate fell 25 points to 50% over the last 90 days (2 won of 4) from 75% (3 of 4), beyond -10 points',
    );
    expect(r.health).toBe(35); // 100 - 20 - 20 - 20 - 5
    expect(r.healthReason).toMatch(/^3 warnings, 1 info: Pipeline closing this quarter/);
  });

  it('raises coverage and win rate to critical past the critical thresholds', () => {
    const r = run({
      settings: {
        thresholds: { pipeline_coverage_critical: 2.5, win_rate_change_critical_pts: -20 },
      },
    });
    expect(
      r.alerts.filter((a) => a.severity === 'critical').map((a) => [a.id, a.threshold]),
    ).toEqual([
      ['sales.pipeline-coverage-low', 2.5],
      ['sales.win-rate-declining', -20],
    ]);
  });

  it('stays silent when thresholds are relaxed', () => {
    const r = run({
      settings: {
        thresholds: {
          stalled_days: 30,
          pipeline_coverage_warning: 2,
          win_rate_change_warning_pts: -30, // -25 is not below -30 (nor below critical -25)
        },
      },
    });
    expect(r.metrics.stalledDeals).toBe(0);
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
    expect(r.healthReason).toBe('Pipeline healthy: 4 open deals worth $83,000, none stalled');
  });

  it('does not flag a stalled deal below the high-value floor as high-value', () => {
    const r = run({ settings: { thresholds: { high_value_deal_min: 10000.01 } } });
    expect(r.metrics.stalledHighValueDeals).toBe(0);
    expect(r.alerts.map((a) => a.id)).not.toContain('sales.stalled-high-value');
    expect(r.alerts.map((a) => a.id)).toContain('sales.stalled-deals');
  });

  it('skips the win-rate alert when a window has too few closed deals', () => {
    const r = run({ settings: { thresholds: { win_rate_min_closed_deals: 5 } } });
    expect(r.metrics.winRateChangePts).toBe(-25); // still reported
    expect(r.alerts.map((a) => a.id)).not.toContain('sales.win-rate-declining');
  });

  it('has no coverage without a quarter, or once the target is met', () => {
    const none = run({ company: undefined });
    expect(none.metrics).toMatchObject({
      pipelineThisQuarter: null,
      wonThisQuarter: null,
      remainingTarget: null,
      pipelineCoverage: null,
    });
    expect(none.alerts.map((a) => a.id)).not.toContain('sales.pipeline-coverage-low');
    const met = run({
      company: { quarter: { ...company.quarter, revenue_target_cents: '1500000' } },
    });
    expect(met.metrics.remainingTarget).toBe(0); // max(0, 15000 - 20000)
    expect(met.metrics.pipelineCoverage).toBeNull();
  });
});

describe('sales agent: recommendations', () => {
  it('closes deals due within 14 days, revives stalled ones, builds pipeline, reviews losses', () => {
    const r = run();
    expect(r.recommendations.map((t) => t.id)).toEqual([
      'sales.close-deal-a1',
      'sales.revive-deal-a2',
      'sales.revive-deal-a4',
      'sales.build-pipeline',
      'sales.review-lost-deals',
    ]);
    expect(r.recommendations[0]).toEqual({
      id: 'sales.close-deal-a1',
      title: 'Close Account A1 deal ($50K ARR)',
      source: 'sales',
      subject: 'deal:account a1',
      reason: 'A1 deal: negotiation, 75% likely, expected to close 2026-11-30; owner Maya Chen.',
      moneyAtStakeCents: 5000000,
      deadline: '2026-11-30',
      energyDemand: 'high',
      tags: ['revenue', 'sales'],
    });
    expect(r.recommendations[1]).toMatchObject({
      moneyAtStakeCents: 1000000,
      deadline: '2027-01-20',
    });
    // A4's expected close date has passed: the deadline is today.
    expect(r.recommendations[2]).toMatchObject({
      moneyAtStakeCents: 300000,
      deadline: '2026-11-26',
    });
    expect(r.recommendations[3]).toEqual({
      id: 'sales.build-pipeline',
      title: 'Build $17K of pipeline closing by 2026-12-31',
      source: 'sales',
      subject: 'pipeline:this quarter',
      reason:
        "Coverage is 2.43x of the $30,000 left of the quarter's target; 3x needs $17,000 more pipeline expected to close by 2026-12-31.",
      moneyAtStakeCents: 1700000, // 3 x 3000000 - 7300000
      deadline: '2026-12-10', // today + 14, before the quarter ends
      energyDemand: 'high',
      tags: ['revenue', 'pipeline'],
    });
    expect(r.recommendations[4]).toMatchObject({
      title: 'Review why deals are lost (win rate 50%, was 75%)',
      moneyAtStakeCents: 1000000, // L1 700000 + L2 300000
      deadline: '2026-12-10',
    });
  });
});

describe('sales agent: currency', () => {
  it('writes money in alerts, tasks and health in the company currency (EUR)', () => {
    const input = salesAgent.input.parse({ deals, stageHistory, company });
    const r = AgentResult.parse(salesAgent.compute(input, { ...ctx(), currency: 'EUR' }));
    expect(r.alerts[1]!.message).toBe(
      '1 deal of €10,000+ ARR idle for 14+ days: Account A2 (€10,000 ARR)',
    );
    expect(r.recommendations[0]!.title).toBe('Close Account A1 deal (€50K ARR)');
    expect(r.recommendations[3]!.reason).toContain('the €30,000 left');
    const calm = salesAgent.input.parse({
      deals,
      stageHistory,
      company,
      settings: {
        thresholds: {
          stalled_days: 30,
          pipeline_coverage_warning: 2,
          win_rate_change_warning_pts: -30,
        },
      },
    });
    const healthy = salesAgent.compute(calm, { ...ctx(), currency: 'EUR' });
    expect(healthy.healthReason).toBe('Pipeline healthy: 4 open deals worth €83,000, none stalled');
    // Same figures whatever the currency: only the text changes.
    expect(r.metrics).toEqual(run().metrics);
    expect(JSON.stringify(r)).not.toContain('$');
  });
});

describe('sales agent: edge cases', () => {
  it('reports an empty pipeline with nulls, never NaN, and a critical coverage', () => {
    const r = run({ deals: [], stageHistory: [] });
    expectFinite(r.metrics);
    expect(r.metrics).toMatchObject({
      openDeals: 0,
      pipelineValue: 0,
      weightedPipeline: 0,
      'conversionPct.lead_to_qualified': null,
      'avgDaysInStage.lead': null,
      closedDeals: 0,
      closedDealsPrevious: 0,
      winRatePct: null,
      winRatePreviousPct: null,
      winRateChangePts: null,
      avgDealSize: null,
      avgSalesCycleDays: null,
      salesVelocityPerDay: null,
      remainingTarget: 50000,
      pipelineCoverage: 0,
    });
    expect(r.alerts.map((a) => [a.id, a.severity])).toEqual([
      ['sales.pipeline-coverage-low', 'critical'],
    ]);
  });

  it('has null velocity when won deals closed the day they were created', () => {
    const r = run({
      deals: [
        deal('X1', 'lead', '100000', '2026-11-01', '2026-12-01', '2026-11-20'),
        deal('X2', 'won', '100000', '2026-11-10', '2026-11-10', '2026-11-10'),
      ],
      stageHistory: [],
    });
    expectFinite(r.metrics);
    expect(r.metrics.avgSalesCycleDays).toBe(0);
    expect(r.metrics.salesVelocityPerDay).toBeNull();
    expect(r.metrics.winRatePct).toBe(100);
  });

  it('never produces NaN or Infinity, and the by-stage values add up (property)', () => {
    const dateArb = fc
      .integer({ min: 0, max: 400 })
      .map((n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    const dealArb = fc.record({
      stage: fc.constantFrom(...DEAL_STAGES),
      amount: fc.integer({ min: 0, max: 100_000_000 }),
      created: dateArb,
      close: dateArb,
      activity: dateArb,
    });
    fc.assert(
      fc.property(fc.array(dealArb, { maxLength: 25 }), (rows) => {
        const r = run({
          deals: rows.map((d, i) =>
            deal(`P${i}`, d.stage, String(d.amount), d.created, d.close, d.activity),
          ),
          stageHistory: [],
        });
        expectFinite(r.metrics);
        const m = r.metrics;
        const byStage = ['lead', 'qualified', 'proposal', 'negotiation'].reduce(
          (s, st) => s + (m[`valueByStage.${st}`] ?? 0) * 100,
          0,
        );
        expect(Math.round(byStage)).toBe(Math.round(m.pipelineValue! * 100));
        expect(m.weightedPipeline!).toBeLessThanOrEqual(m.pipelineValue!);
        for (const k of Object.keys(m).filter((k) => k.startsWith('conversionPct.'))) {
          if (m[k] !== null) expect(m[k]!).toBeGreaterThanOrEqual(0);
          if (m[k] !== null) expect(m[k]!).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('sales agent: validation', () => {
  it('rejects an unknown stage and a probability above 100', () => {
    const bad = salesAgent.input.safeParse({
      deals: [deal('D-1', 'maybe', '1', '2026-11-01', '2026-12-01', '2026-11-01')],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['deals', 0, 'stage']);
    const p = salesAgent.input.safeParse({
      deals: [
        deal('D-1', 'lead', '1', '2026-11-01', '2026-12-01', '2026-11-01', { probability: '120' }),
      ],
    });
    expect(p.error?.issues[0]?.path).toEqual(['deals', 0, 'probability']);
  });

  it('rejects history rows for unknown deals and a stage entered twice', () => {
    const unknown = salesAgent.input.safeParse({
      deals,
      stageHistory: [h('Z9', 'lead', '2026-11-01')],
    });
    expect(unknown.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['stageHistory', 0, 'deal_id'], 'unknown deal "Z9" (not in deals.csv)'],
    ]);
    const twice = salesAgent.input.safeParse({
      deals,
      stageHistory: [h('A1', 'lead', '2026-09-01'), h('A1', 'lead', '2026-09-02')],
    });
    expect(twice.error?.issues[0]?.path).toEqual(['stageHistory', 1, 'stage']);
    const badStage = salesAgent.input.safeParse({
      deals,
      stageHistory: [h('A1', 'demo', '2026-09-01')],
    });
    expect(badStage.error?.issues[0]?.path).toEqual(['stageHistory', 0, 'stage']);
  });

  it('rejects bad settings: unknown stage keys, probabilities above 100, fractional windows', () => {
    const key = salesAgent.input.safeParse({
      deals,
      settings: { stage_probabilities: { won: 90 } },
    });
    expect(key.error?.issues[0]?.path).toEqual(['settings', 'stage_probabilities']);
    const high = salesAgent.input.safeParse({
      deals,
      settings: { stage_probabilities: { lead: 101 } },
    });
    expect(high.error?.issues[0]?.path).toEqual(['settings', 'stage_probabilities', 'lead']);
    const days = salesAgent.input.safeParse({
      deals,
      settings: { thresholds: { win_rate_window_days: 7.5 } },
    });
    expect(days.error?.issues[0]?.path).toEqual(['settings', 'thresholds', 'win_rate_window_days']);
    const typo = salesAgent.input.safeParse({
      deals,
      settings: { thresholds: { stalled_dayz: 3 } },
    });
    expect(typo.success).toBe(false);
  });

  it('rejects a quarter that ends before it starts', () => {
    const q = salesAgent.input.safeParse({
      deals,
      company: { quarter: { start: '2026-12-31', end: '2026-10-01' } },
    });
    expect(q.error?.issues[0]?.path).toEqual(['company', 'quarter', 'end']);
  });

  it('names file, line and field for a bad stage history row in a workspace', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sales-'));
    await writeFile(
      path.join(dir, 'deals.csv'),
      'id,name,account,owner,stage,amount_cents,created_on,close_date,last_activity_on\n' +
        'D-1,One,Acct,Maya,lead,100,2026-11-01,2026-12-01,2026-11-20\n',
    );
    await writeFile(
      path.join(dir, 'deal_stage_history.csv'),
      'deal_id,stage,entered_on\nD-1,lead,2026-11-01\nD-2,lead,2026-11-02\n',
    );
    await expect(loadAgentInput(dir, salesAgent)).rejects.toThrow(
      /deal_stage_history\.csv, line 3, field "deal_id": unknown deal "D-2"/,
    );
  });
});
