import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/agents/contract.js';
import { operationsAgent } from '../../src/agents/operations.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

const project = (
  id: string,
  status: string,
  start: string,
  due: string,
  budget: string,
  spent: string,
  pct: string,
  arr?: string,
) => ({
  id,
  name: `Project ${id}`,
  customer: arr ? 'Contoso' : undefined,
  owner: 'Priya Nair',
  status,
  start_date: start,
  due_date: due,
  budget_hours: budget,
  spent_hours: spent,
  percent_complete: pct,
  arr_at_stake_cents: arr,
});

const projects = [
  // 25 of 60 days used (41.7%), 30% done: 11.7 points behind, within 20.
  project('P-1', 'active', '2026-11-01', '2026-12-31', '100', '20', '30'),
  // Overdue and over budget.
  project('P-2', 'active', '2026-10-01', '2026-11-20', '50', '60', '90', '500000'),
  // 56 of 91 days used (61.5%), 20% done: behind schedule.
  project('P-3', 'active', '2026-10-01', '2026-12-31', '200', '50', '20'),
  project('P-4', 'completed', '2026-08-01', '2026-09-30', '40', '38', '100'),
  project('P-5', 'planned', '2026-12-14', '2027-01-29', '60', '0', '0'),
];
const capacity = [
  { person: 'A', role: 'Engineer', available_hours_per_week: '40', allocated_hours_per_week: '30' },
  { person: 'B', role: 'Engineer', available_hours_per_week: '40', allocated_hours_per_week: '44' },
  { person: 'C', role: 'Designer', available_hours_per_week: '20', allocated_hours_per_week: '20' },
];

function run(cap = capacity) {
  const input = operationsAgent.input.parse({ projects, capacity: cap });
  return AgentResult.parse(operationsAgent.compute(input, ctx));
}

describe('operations agent', () => {
  it('counts active projects only, and finds the ones at risk', () => {
    expect(run().metrics).toEqual({
      activeProjects: 3,
      projectsAtRisk: 2,
      overdueProjects: 1,
      remainingProjectHours: 230, // 80 + 0 + 150
      availableHours: 100,
      allocatedHours: 94,
      freeCapacityHours: 10, // per person: B's overload does not eat A's slack
      utilization: 94,
    });
  });

  it('fires utilization-high (warning at 94%) and projects-at-risk', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['operations.utilization-high', 'warning', 94, 90],
      ['operations.projects-at-risk', 'warning', 2, 0],
    ]);
    expect(r.health).toBe(60);
  });

  it('does not fire utilization-high at 50%', () => {
    const r = run([
      {
        person: 'A',
        role: 'Engineer',
        available_hours_per_week: '40',
        allocated_hours_per_week: '20',
      },
    ]);
    expect(r.metrics.utilization).toBe(50);
    expect(r.alerts.map((a) => a.id)).toEqual(['operations.projects-at-risk']);
    expect(r.recommendations.map((t) => t.id)).not.toContain('operations.rebalance-capacity');
  });

  it('recommends recovering at-risk projects, largest ARR first', () => {
    const r = run();
    expect(r.recommendations.map((t) => t.id)).toEqual([
      'operations.recover-project-p-2',
      'operations.recover-project-p-3',
      'operations.rebalance-capacity',
    ]);
    expect(r.recommendations[0]).toEqual({
      id: 'operations.recover-project-p-2',
      title: 'Get Project P-2 back on track',
      source: 'operations',
      reason:
        'Project P-2 for Contoso is overdue since 2026-11-20, over budget (60h of 50h); owner Priya Nair.',
      moneyAtStakeCents: 500000,
      deadline: '2026-12-03', // overdue: a week from today
      energyDemand: 'medium',
      tags: ['delivery', 'retention'],
    });
    expect(r.recommendations[1]?.deadline).toBe('2026-12-31');
    expect(r.recommendations[1]?.moneyAtStakeCents).toBeUndefined();
  });

  it('reports null utilization without capacity rows', () => {
    const r = run([]);
    expect(r.metrics.utilization).toBeNull();
    expect(r.metrics.freeCapacityHours).toBe(0);
  });
});
