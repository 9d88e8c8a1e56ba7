/**
 * The operations recommendations: recover each late or at-risk project (late first,
 * then by ARR at stake), and free capacity when the team is overloaded this week.
 * Pure: the figures, the allocations and thresholds in.
 */
import type { Allocation } from '../../contract/datasets/team.js';
import { DELIVERY_CAPACITY_SUBJECT, subjectKey, type TaskInput } from '../../contract/report.js';
import { addDays } from '../../shared/dates.js';
import { sumBy } from '../../shared/numbers.js';
import { slug } from '../../shared/text.js';
import { formatHours } from './format.js';
import type { CapacityFigures, OperationsFigures } from './metrics.js';
import type { ProjectAssessment, ProjectHealth } from './projects.js';
import { CAPACITY_WEEKS, type OperationsThresholds } from './settings.js';

const HEALTH_ORDER: Record<ProjectHealth, number> = { late: 0, at_risk: 1, on_track: 2 };

export function operationsTasks(
  f: OperationsFigures,
  allocations: readonly Allocation[],
  t: OperationsThresholds,
): TaskInput[] {
  const plannedAhead = (projectId: string) =>
    sumBy(
      allocations.filter(
        (a) => a.project_id === projectId && f.capacity.nextWeeks.includes(a.week),
      ),
      (a) => a.planned_hours ?? 0,
    );
  const recover = [...f.projects.late, ...f.projects.atRisk]
    .sort(
      (a, b) =>
        HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] ||
        (b.project.arr_at_stake_cents ?? 0) - (a.project.arr_at_stake_cents ?? 0) ||
        a.project.due_date.localeCompare(b.project.due_date) ||
        a.project.id.localeCompare(b.project.id),
    )
    .map((a) => recoverProjectTask(a, plannedAhead(a.project.id), f.today));
  return [...recover, ...rebalanceCapacityTask(f.capacity, f.today, t)];
}

function recoverProjectTask(
  a: ProjectAssessment,
  plannedAheadHours: number,
  today: string,
): TaskInput {
  const p = a.project;
  const late = a.health === 'late';
  return {
    id: `operations.recover-project-${slug(p.id)}`,
    title: `Get ${p.name} back on track`,
    source: 'operations',
    subject: subjectKey('project', p.name),
    reason:
      `${p.name}${p.customer ? ` for ${p.customer}` : ''} is ${late ? 'late' : 'at risk'}: ` +
      `${a.reasons.join('; ')}. Owner ${p.owner}; ${formatHours(Math.max(0, p.budget_hours - p.spent_hours))} of budget left, ` +
      `${formatHours(plannedAheadHours)} planned over the next ${CAPACITY_WEEKS} weeks.`,
    ...(p.arr_at_stake_cents !== undefined ? { moneyAtStakeCents: p.arr_at_stake_cents } : {}),
    deadline: late ? addDays(today, 7) : p.due_date,
    energyDemand: late ? 'high' : 'medium',
    tags: p.customer ? ['delivery', 'retention'] : ['delivery'],
  };
}

/** When this week's utilization reaches the warning: who is fully booked, what is free ahead. */
function rebalanceCapacityTask(
  c: CapacityFigures,
  today: string,
  t: OperationsThresholds,
): TaskInput[] {
  if (c.utilization === null || c.utilization < t.utilization_warning_pct) return [];
  const full = c.nowWeeks
    .filter((w) => w.available > 0 && w.planned >= w.available)
    .map((w) => `${c.team.name(w.personId)} ${formatHours(w.planned)}/${formatHours(w.available)}`);
  return [
    {
      id: 'operations.rebalance-capacity',
      title: `Free delivery capacity (team ${c.utilization}% allocated this week)`,
      source: 'operations',
      subject: DELIVERY_CAPACITY_SUBJECT,
      reason:
        `${formatHours(c.now.planned)} of ${formatHours(c.now.available)} are allocated this week` +
        (full.length > 0 ? ` (fully booked: ${full.join(', ')})` : '') +
        `; ${formatHours(c.ahead.free)} free over the next ${CAPACITY_WEEKS} weeks. Defer, delegate or hire before new work lands.`,
      deadline: addDays(today, 14),
      energyDemand: 'medium',
      tags: ['delivery', 'hiring'],
    },
  ];
}
