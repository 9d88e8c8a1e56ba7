import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/agents/contract.js';
import { hrAgent } from '../../src/agents/hr.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

const person = (
  id: string,
  type: string,
  start: string,
  end: string | undefined,
  cost: string,
) => ({
  id,
  name: `Person ${id}`,
  role: 'Engineer',
  department: 'Engineering',
  employment_type: type,
  start_date: start,
  end_date: end,
  annual_cost_cents: cost,
});
const people = [
  person('E1', 'full_time', '2024-01-01', undefined, '12000000'),
  person('E2', 'contractor', '2025-01-01', undefined, '6000000'),
  person('E3', 'part_time', '2026-01-01', '2026-11-26', '3000001'), // last day today: still on the team
  person('E4', 'full_time', '2024-01-01', '2026-10-01', '9000000'), // left 56 days ago
  person('E5', 'full_time', '2025-01-01', '2026-11-20', '9000000'), // left 6 days ago
  person('E6', 'full_time', '2026-12-01', undefined, '9000000'), // not started yet
];

const role = (
  id: string,
  status: string,
  opened: string,
  target: string | undefined,
  budget: string,
) => ({
  id,
  title: `Role ${id}`,
  department: 'Customer Success',
  status,
  opened_on: opened,
  target_start: target,
  annual_budget_cents: budget,
});
const roles = [
  role('R-1', 'open', '2026-09-01', '2027-01-15', '12000000'),
  role('R-2', 'OPEN', '2026-11-01', undefined, '9000000'),
  role('R-3', 'filled', '2026-06-01', '2026-12-01', '9000000'),
  role('R-4', 'on_hold', '2026-01-01', undefined, '9000000'),
];

function run(extra: Record<string, unknown> = {}) {
  const input = hrAgent.input.parse({ people, roles, ...extra });
  return AgentResult.parse(hrAgent.compute(input, ctx));
}

describe('hr agent', () => {
  it('counts the team on the briefing date', () => {
    expect(run().metrics).toEqual({
      headcount: 3,
      contractors: 1,
      joiningSoon: 1,
      departuresLast90Days: 2,
      monthlyPayroll: 17500, // 21000001 / 12 = 1750000.08 -> 1750000 cents
      openRoles: 2,
      hiringPlanMonthlyCost: 17500,
      longestOpenRoleDays: 86,
    });
  });

  it('fires role-open-too-long (warning, not critical) and departures', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['hr.role-open-too-long', 'warning', 86, 60],
      ['hr.departures', 'warning', 2, 2],
    ]);
    expect(r.alerts[0]?.message).toBe('Role R-1 has been open 86 days (threshold 60)');
  });

  it('does not fire under relaxed thresholds', () => {
    const r = run({
      settings: { thresholds: { role_open_days_warning: 90, departures_90d_warning: 3 } },
    });
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
  });

  it('recommends filling open roles, longest open first', () => {
    const r = run();
    expect(r.recommendations).toEqual([
      {
        id: 'hr.fill-role-r-1',
        title: 'Fill Role R-1 (open 86 days)',
        source: 'hr',
        reason:
          'Customer Success role open since 2026-09-01, budget $120K/year, wanted by 2027-01-15.',
        deadline: '2027-01-15',
        energyDemand: 'medium',
        tags: ['hiring', 'customer-success'],
      },
      {
        id: 'hr.fill-role-r-2',
        title: 'Fill Role R-2 (open 25 days)',
        source: 'hr',
        reason: 'Customer Success role open since 2026-11-01, budget $90K/year.',
        deadline: '2026-12-26',
        energyDemand: 'medium',
        tags: ['hiring', 'customer-success'],
      },
    ]);
  });

  it('reports a bad date with its row and column', () => {
    const bad = hrAgent.input.safeParse({
      people: [person('E1', 'full_time', '2026-02-30', undefined, '1')],
      roles: [],
    });
    expect(bad.error?.issues[0]?.path).toEqual(['people', 0, 'start_date']);
    expect(bad.error?.issues[0]?.message).toBe(
      'expected a date written YYYY-MM-DD, got "2026-02-30"',
    );
  });
});
