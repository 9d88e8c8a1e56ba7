/**
 * Operations: delivery projects (status, schedule, budget) and the delivery team's
 * weekly capacity. Formulas, units and thresholds: docs/metrics.md#operations.
 */
import { z } from 'zod';
import { defineAgent } from './agent.js';
import type { Alert, TaskInput } from './contract.js';
import {
  addDays,
  cents,
  checkThreshold,
  daysBetween,
  decimal,
  healthFromAlerts,
  isoDate,
  oneOf,
  percent,
  round,
  rowsUniqueBy,
  settingsFile,
  slug,
  sumBy,
  text,
} from './fields.js';

export const PROJECT_STATUSES = ['planned', 'active', 'on_hold', 'completed', 'canceled'] as const;

export const OPERATIONS_THRESHOLDS = {
  /** Team utilization (%) at or above this: warning. */
  utilization_warning_pct: 90,
  /** Team utilization (%) at or above this: critical. */
  utilization_critical_pct: 100,
  /** Behind schedule: elapsed share of the schedule minus % complete, in points, above this. */
  behind_schedule_points: 20,
  /** More projects at risk than this: warning. */
  projects_at_risk_max: 0,
};

const Project = z.object({
  id: text(),
  name: text(),
  customer: text().optional(),
  owner: text(),
  status: oneOf(PROJECT_STATUSES),
  start_date: isoDate(),
  due_date: isoDate(),
  budget_hours: decimal({ min: 0 }),
  spent_hours: decimal({ min: 0 }),
  percent_complete: decimal({ min: 0, max: 100 }),
  /** ARR of the customer relationship the project carries (money at stake if it slips). */
  arr_at_stake_cents: cents().optional(),
});
export type Project = z.output<typeof Project>;

const Capacity = z.object({
  person: text(),
  role: text(),
  /** Hours a week this person can give to delivery. */
  available_hours_per_week: decimal({ min: 0 }),
  /** Hours a week already committed (projects, support, internal work). */
  allocated_hours_per_week: decimal({ min: 0 }),
});

export const OperationsInput = z.object({
  projects: rowsUniqueBy(Project, 'id'),
  capacity: rowsUniqueBy(Capacity, 'person'),
  settings: settingsFile(OPERATIONS_THRESHOLDS),
});
export type OperationsInput = z.output<typeof OperationsInput>;

/** Why an active project is at risk (empty = on track). */
export function projectRisks(p: Project, today: string, behindPoints: number): string[] {
  const risks: string[] = [];
  if (p.due_date < today) risks.push(`overdue since ${p.due_date}`);
  if (p.spent_hours > p.budget_hours)
    risks.push(`over budget (${p.spent_hours}h of ${p.budget_hours}h)`);
  const span = daysBetween(p.start_date, p.due_date);
  if (span > 0 && p.due_date >= today) {
    const elapsedPct = (100 * Math.min(span, Math.max(0, daysBetween(p.start_date, today)))) / span;
    if (elapsedPct - p.percent_complete > behindPoints) {
      risks.push(
        `behind schedule (${p.percent_complete}% done, ${round(elapsedPct)}% of time used)`,
      );
    }
  }
  return risks;
}

export const operationsAgent = defineAgent({
  name: 'operations',
  title: 'Operations',
  datasets: {
    projects: { file: 'projects.csv', format: 'csv' },
    capacity: { file: 'capacity.csv', format: 'csv' },
    settings: { file: 'operations.yaml', format: 'yaml', optional: true },
  },
  input: OperationsInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;

    const active = input.projects.filter((p) => p.status === 'active');
    const atRisk = active
      .map((p) => ({ p, risks: projectRisks(p, today, t.behind_schedule_points) }))
      .filter((x) => x.risks.length > 0);

    const available = sumBy(input.capacity, (c) => c.available_hours_per_week);
    const allocated = sumBy(input.capacity, (c) => c.allocated_hours_per_week);
    // Free hours are counted per person: one person's slack cannot absorb another's overload.
    const free = sumBy(input.capacity, (c) =>
      Math.max(0, c.available_hours_per_week - c.allocated_hours_per_week),
    );
    const utilization = percent(allocated, available);

    const metrics = {
      activeProjects: active.length,
      projectsAtRisk: atRisk.length,
      overdueProjects: active.filter((p) => p.due_date < today).length,
      remainingProjectHours: round(
        sumBy(active, (p) => Math.max(0, p.budget_hours - p.spent_hours)),
        1,
      ),
      availableHours: round(available, 1),
      allocatedHours: round(allocated, 1),
      freeCapacityHours: round(free, 1),
      utilization,
    };

    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'operations.utilization-high',
        metric: 'utilization',
        value: utilization,
        op: '>=',
        warning: t.utilization_warning_pct,
        critical: t.utilization_critical_pct,
        message: (v, th) =>
          `Delivery team is ${v}% utilized (threshold ${th}%), ${round(free, 1)}h/week free`,
      }),
      ...checkThreshold({
        id: 'operations.projects-at-risk',
        metric: 'projectsAtRisk',
        value: atRisk.length,
        op: '>',
        warning: t.projects_at_risk_max,
        message: (v) =>
          `${v} of ${active.length} active projects at risk: ${atRisk.map((x) => `${x.p.name} (${x.risks.join(', ')})`).join('; ')}`,
      }),
    ];

    const recommendations: TaskInput[] = [...atRisk]
      .sort(
        (a, b) =>
          (b.p.arr_at_stake_cents ?? 0) - (a.p.arr_at_stake_cents ?? 0) ||
          a.p.due_date.localeCompare(b.p.due_date),
      )
      .map(({ p, risks }) => ({
        id: `operations.recover-project-${slug(p.id)}`,
        title: `Get ${p.name} back on track`,
        source: 'operations' as const,
        reason: `${p.name}${p.customer ? ` for ${p.customer}` : ''} is ${risks.join(', ')}; owner ${p.owner}.`,
        ...(p.arr_at_stake_cents !== undefined ? { moneyAtStakeCents: p.arr_at_stake_cents } : {}),
        deadline: p.due_date >= today ? p.due_date : addDays(today, 7),
        energyDemand: 'medium' as const,
        tags: ['delivery', 'retention'],
      }));
    if (utilization !== null && utilization >= t.utilization_warning_pct) {
      recommendations.push({
        id: 'operations.rebalance-capacity',
        title: `Free delivery capacity (team ${utilization}% utilized)`,
        source: 'operations',
        reason: `${round(allocated, 1)}h of ${round(available, 1)}h a week are committed; defer, delegate or hire before new work lands.`,
        deadline: addDays(today, 14),
        energyDemand: 'medium',
        tags: ['delivery', 'hiring'],
      });
    }

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Delivery on track: ${active.length} active projects, team ${utilization ?? '-'}% utilized`,
    );
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics,
      alerts,
      recommendations,
      health,
      healthReason,
    };
  },
});
