import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { AGENT_NAMES, AgentResult, type AgentName } from '../../src/contract/report.js';
import { AGENTS } from '../../src/agents/registry.js';
import { loadAgentInput } from '../../src/sources/workspace.js';

const DEMO = path.resolve('examples/demo-workspace');
const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

async function report(name: AgentName): Promise<AgentResult> {
  const agent = AGENTS[name];
  const { input } = await loadAgentInput(DEMO, agent);
  return AgentResult.parse(agent.compute(input, ctx));
}

describe('demo workspace (Northwind Analytics)', () => {
  it.each(AGENT_NAMES)('%s loads, computes and satisfies the contract', async (name) => {
    const r = await report(name);
    expect(r.dataAsOf).toBe('2026-11-26T12:00:00.000Z');
    expect(Object.keys(r.metrics).length).toBeGreaterThanOrEqual(3);
    expect(r.recommendations.length).toBeGreaterThan(0);
    for (const t of r.recommendations) expect(t.source).toBe(name);
  });

  it('has the exact headline figures', async () => {
    const finance = await report('finance');
    expect(finance.metrics).toMatchObject({ mrr: 15000, arr: 180000, customers: 45 });
    expect((await report('sales')).metrics.openDeals).toBe(12);
    expect((await report('operations')).metrics.activeProjects).toBe(4);
    expect((await report('hr')).metrics.headcount).toBe(12);
  });

  it('reconciles customer-success ARR with finance', async () => {
    expect((await report('customer-success')).metrics).toMatchObject({
      accounts: 45,
      trackedArr: 180000,
    });
  });
});

describe('sales and marketing demo values', () => {
  it('sales: pipeline, coverage, win rate and the Acme task the CEO step dedupes', async () => {
    const r = await report('sales');
    expect(r.metrics).toMatchObject({
      openDeals: 12,
      pipelineValue: 239936,
      weightedPipeline: 109609.8,
      pipelineThisQuarter: 168068, // open deals expected to close by 2026-12-31
      remainingTarget: 68010, // 100000 - (Contoso 7990 + Fabrikam 24000)
      pipelineCoverage: 2.47, // 168068 / 68010
      winRatePct: 42.9, // 3 won / 7 closed in the last 90 days
      winRatePreviousPct: 50, // 2 / 4 in the 90 days before
      avgDealSize: 11660, // (2990 + 7990 + 24000) / 3
      avgSalesCycleDays: 66, // (42 + 45 + 111) / 3
      salesVelocityPerDay: 908.57, // 12 x 11660 x 3/7 / 66
      'conversionPct.negotiation_to_won': 66.7, // 4 of 6
      closingThisWeek: 3,
      stalledDeals: 2,
      stalledHighValueDeals: 1,
    });
    expect(r.alerts.map((a) => a.id)).toEqual([
      'sales.pipeline-coverage-low',
      'sales.stalled-high-value',
      'sales.stalled-deals',
    ]);
    expect(r.recommendations[0]).toMatchObject({
      id: 'sales.close-deal-d-001',
      title: 'Close Acme Corp deal ($50K ARR)',
    });
  });

  it('marketing: October against September, per channel and content', async () => {
    const r = await report('marketing');
    expect(r.metrics).toMatchObject({
      spend: 9900,
      leads: 263,
      mqls: 83,
      newCustomers: 4,
      cac: 2475, // 990000 / 4 cents
      cacPrevious: 1733.33, // 1040000 / 6 cents
      cacChangePct: 42.8,
      leadsChangePct: -1.9, // 263 vs 268
      roiPct: 59.2, // (15756 - 9900) / 9900
      'leads.paid_search': 88,
      'cac.paid_search': 4400,
      'newCustomers.paid_social': 0,
      'roiPct.content': 511.9,
      contentViews: 11200,
      leadsPerPiece: 13.5, // 81 / 6
    });
    expect(r.alerts.map((a) => [a.id, a.metric])).toEqual([
      ['marketing.cac-rising', 'cacChangePct'],
      ['marketing.channel-no-customers', 'spend.paid_social'],
    ]);
  });
});

describe('operations and hr demo values', () => {
  it('operations: one project late, one at risk, the team 96.3% allocated', async () => {
    const r = await report('operations');
    expect(r.metrics).toMatchObject({
      activeProjects: 4, // P-101..P-104 (P-100 completed, P-105 planned)
      projectsOnTrack: 2, // P-101 Fabrikam onboarding, P-103 Dashboard builder v3
      projectsAtRisk: 1, // P-104 SOC 2: 20% done, 61.5% of the time used
      projectsLate: 1, // P-102 Contoso data migration, due 2026-11-20
      remainingProjectHours: 505, // (120-35) + 0 + (600-310) + (200-70)
      openBlockers: 3,
      oldestBlockerDays: 13, // P-104, since 2026-11-13
      overdueMilestones: 2,
      teamSize: 7,
      availableHoursThisWeek: 240,
      allocatedHoursThisWeek: 231,
      utilization: 96.3, // 231 / 240
      freeHoursThisWeek: 9, // Priya 2 + Sam 1 + Daniel 2 + Rachel 4
      // Weeks of 2026-11-30 .. 2026-12-21: Daniel off 12-07, Lena off 12-21.
      availableHoursNext4Weeks: 904, // 240 + 220 + 240 + 204
      allocatedHoursNext4Weeks: 710, // 226 + 190 + 182 + 112
      freeCapacityHoursNext4Weeks: 194, // 14 + 30 + 58 + 92
      utilizationNext4WeeksPct: 78.5,
    });
    expect(r.alerts.map((a) => [a.id, a.value])).toEqual([
      ['operations.projects-late', 1],
      ['operations.projects-at-risk', 1],
      ['operations.team-overloaded', 96.3],
    ]);
    expect(r.recommendations.map((t) => t.id)).toEqual([
      'operations.recover-project-p-102',
      'operations.recover-project-p-104',
      'operations.rebalance-capacity',
    ]);
  });

  it('hr: headcount 12, two open roles, burnout risk, overtime and a falling eNPS', async () => {
    const r = await report('hr');
    expect(r.metrics).toMatchObject({
      headcount: 12,
      openRoles: 2,
      longestOpenRoleDays: 90, // Senior Backend Engineer, open since 2026-08-28
      avgTimeToHireDays: 60, // (63 + 57) / 2
      activeCandidates: 12, // 6 applied, 3 screen, 2 interview, 1 offer
      attritionPct: 17.4, // 2 departures / ((12 + 11) / 2) employees
      enps: -9.1, // (3 - 4) / 11
      enpsChange: -36.4, // from 27.3 on 2026-08-17
      teamUtilizationPct: 96.5, // 911h worked / 944h available, last 4 weeks
      'utilizationPct.E-006': 118.8, // Tom Becker: 190 / 160
      peopleOnOvertime: 1,
      peopleWithoutVacation180Days: 2, // Alex Morgan, Tom Becker
    });
    expect(r.alerts.map((a) => [a.id, a.value, a.threshold])).toEqual([
      ['hr.burnout-risk', 96.5, 95],
      ['hr.overtime', 1, 0],
      ['hr.role-open-too-long', 90, 60],
      ['hr.enps-low', -9.1, 10],
    ]);
  });
});

describe('finance and customer success demo values', () => {
  it('finance: November to date has new, expansion, reactivation, contraction and churn', async () => {
    const r = await report('finance');
    expect(r.metrics).toMatchObject({
      mrr: 15000,
      arr: 180000,
      customers: 45,
      arpa: 333.33, // 1500000 / 45 cents
      mrrStart: 13079.4, // 2026-10-31: 15695280 annual cents / 12
      mrrNew: 2000, // Fabrikam, 2400000 a year from 2026-11-10
      mrrExpansion: 219.6, // Brightline extra seats 49.50 + Willow Creek Starter -> Growth 170.10, both 2026-11-26
      mrrReactivation: 99, // Wavecrest Hotels, back on 2026-11-09 (left 2026-08-31)
      mrrContraction: 299, // Mosaic Interiors dropped its Growth add-on on 2026-11-10
      mrrChurn: 99, // Sparrow Coffee, 2026-11-26
      netNewMrr: 1920.6, // 2000 + 219.6 + 99 - 299 - 99; 13079.4 + 1920.6 = 15000
      mrrGrowthPct: 14.68,
      netNewMrrLastMonth: 366.83, // October: Contoso 665.83 new, Gale Force 299 churn
      monthlyRevenueChurnPct: 1.05, // Aug..Oct: (118800 + 358800) / 45286040 annual
      pastDueMrr: 82.5, // Yellowtail Sushi Group
      cashBalance: 1350000,
      grossBurn: 151866.67,
      netBurn: 139322.83, // cash out + refunds - cash in, Aug..Oct average
      runwayMonths: 9.7, // 1350000 / 139322.83
      netBurnChangePct: -1.1, // October vs September
      grossMarginPct: 77.57, // (3806289 - 24850 - 848000) / (3806289 - 24850)
      ltv: 24518.53, // 333.33 x 77.57% / 1.05% (unrounded margin and churn)
    });
    expect(r.alerts.map((a) => [a.id, a.severity])).toEqual([
      ['finance.runway-low', 'warning'],
      ['finance.churn-spike', 'warning'], // 3.04% vs 2 x 1.05%
    ]);
    expect(r.recommendations.map((t) => t.id)).toEqual([
      'finance.collect-sub-1013',
      'finance.win-back-c-049',
      'finance.extend-runway',
    ]);
  });

  it('customer success: retention, an NPS drop and two at-risk renewals within 30 days', async () => {
    const r = await report('customer-success');
    expect(r.metrics).toMatchObject({
      accounts: 45,
      trackedArr: 180000,
      nps: 32.4, // (18 - 7) / 34, last 90 days
      npsPrevious: 50, // (12 - 2) / 20, the 90 days before
      npsChange: -17.6,
      customerChurnRatePct: 2.27, // Sparrow Coffee: 1 of 44 paying on 2026-10-31
      grrPct: 96.96, // (15695280 - 358800 - 118800) / 15695280
      nrrPct: 98.64, // + Willow Creek 204120 + Brightline 59400
      atRiskAccounts: 5,
      atRiskArr: 23608.8, // Halcyon 17050.80 + Copperleaf 3588 + Yellowtail, Marlow, Osprey 990 each
      atRiskArrPct: 13.12,
      inactiveCustomers: 2, // Marlow Property, Osprey Freight
      atRiskRenewalsNext30Days: 2, // Halcyon 2026-12-15, Copperleaf 2026-12-17
      nextAtRiskRenewalDays: 19,
    });
    expect(r.alerts.map((a) => [a.id, a.severity])).toEqual([
      ['customer-success.at-risk-arr', 'warning'],
      ['customer-success.renewal-at-risk', 'warning'],
      ['customer-success.nps-drop', 'warning'],
    ]);
    expect(r.recommendations.slice(0, 3).map((t) => t.id)).toEqual([
      'customer-success.save-account-c-041', // Marlow Property, risk 65
      'customer-success.save-account-c-045', // Halcyon Health Systems, risk 60
      'customer-success.save-account-c-017', // Copperleaf Salons, risk 50
    ]);
  });
});
