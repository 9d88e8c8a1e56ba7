/**
 * Operations: delivery projects (schedule, budget, milestones, blockers) and the
 * delivery team's capacity from the shared team data (src/agents/team.ts). Formulas,
 * units, thresholds and the project health rule: docs/metrics/operations.md.
 */
import { z } from 'zod';
import { defineAgent } from '../contract/agent.js';
import type { Alert, EnergyDemand, TaskInput } from '../contract/report.js';
import { addDays, daysBetween } from '../shared/dates.js';
import {
  cents,
  decimal,
  isoDate,
  oneOf,
  rowsUniqueBy,
  settingsFile,
  text,
} from '../contract/fields.js';
import { checkThreshold, healthFromAlerts } from './thresholds.js';
import { round, sumBy } from '../shared/numbers.js';
import { slug } from '../shared/text.js';
import { valueDaysAgo } from '../shared/history.js';
import {
  TeamModel,
  isOnTeam,
  load,
  mondays,
  plannedUtilization,
  teamDatasets,
  teamReferenceIssues,
  teamShape,
  type CrossFileIssue,
} from './team.js';

export const PROJECT_STATUSES = ['planned', 'active', 'on_hold', 'completed', 'canceled'] as const;

export const OPERATIONS_THRESHOLDS = {
  /** Team utilization this week (%) at or above this: warning (team overloaded). */
  utilization_warning_pct: 90,
  /** Team utilization this week (%) at or above this: critical. */
  utilization_critical_pct: 100,
  /** Behind schedule: % of the schedule elapsed minus % complete, in points, above this. */
  behind_schedule_points: 20,
  /** An open blocker older than this many days puts its project at risk. */
  blocker_days: 5,
  /** More at-risk projects than this: warning. */
  projects_at_risk_max: 0,
  /** More late projects than this: warning. */
  projects_late_max: 0,
};

/** Weeks ahead for the forward capacity figures (the keys say `Next4Weeks`). */
export const CAPACITY_WEEKS = 4;

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

const Milestone = z.object({
  id: text(),
  project_id: text(),
  name: text(),
  due_date: isoDate(),
  /** Empty while not done. */
  completed_on: isoDate().optional(),
});
export type Milestone = z.output<typeof Milestone>;

const Blocker = z
  .object({
    id: text(),
    project_id: text(),
    title: text(),
    owner: text().optional(),
    opened_on: isoDate(),
    /** Empty while the project is still blocked. */
    resolved_on: isoDate().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.resolved_on !== undefined && b.resolved_on < b.opened_on) {
      ctx.addIssue({
        code: 'custom',
        path: ['resolved_on'],
        message: `resolved_on ${b.resolved_on} is before opened_on ${b.opened_on}`,
      });
    }
  });
export type Blocker = z.output<typeof Blocker>;

export const OperationsInput = z
  .object({
    projects: rowsUniqueBy(Project, 'id'),
    milestones: rowsUniqueBy(Milestone, 'id'),
    blockers: rowsUniqueBy(Blocker, 'id'),
    ...teamShape,
    settings: settingsFile(OPERATIONS_THRESHOLDS),
  })
  .superRefine((input, ctx) => {
    const projects = new Set(input.projects.map((p) => p.id));
    const issues: CrossFileIssue[] = [...teamReferenceIssues(input)];
    for (const key of ['milestones', 'blockers'] as const) {
      input[key].forEach((row, i) => {
        if (!projects.has(row.project_id))
          issues.push({
            path: [key, i, 'project_id'],
            message: `unknown project ${JSON.stringify(row.project_id)}: not an id in projects.csv`,
          });
      });
    }
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });
export type OperationsInput = z.output<typeof OperationsInput>;

export type ProjectHealth = 'on_track' | 'at_risk' | 'late';

export interface ProjectAssessment {
  project: Project;
  health: ProjectHealth;
  /** Why it is late or at risk (empty when on track), most important first. */
  reasons: string[];
  /** % of the schedule elapsed (0..100). */
  elapsedPct: number;
  /** elapsedPct - percent_complete, in points (positive = behind). */
  scheduleGapPoints: number;
  overdueMilestones: Milestone[];
  /** Open blockers, oldest first. */
  openBlockers: Blocker[];
}

/** True when the blocker is open on `today` (opened, not yet resolved). */
export function isOpenBlocker(b: Blocker, today: string): boolean {
  return b.opened_on <= today && (b.resolved_on === undefined || b.resolved_on > today);
}

/**
 * The project health rule (docs/metrics/operations.md). Late: past its due date and not
 * completed. At risk (not late): behind schedule by more than `behindPoints`, over budget,
 * a milestone past due and not done, or a blocker open more than `blockerDays` days.
 * Otherwise on track.
 */
export function assessProject(
  p: Project,
  today: string,
  related: { milestones: readonly Milestone[]; blockers: readonly Blocker[] },
  t: { behindPoints: number; blockerDays: number },
): ProjectAssessment {
  const span = daysBetween(p.start_date, p.due_date);
  const elapsedPct =
    span > 0
      ? (100 * Math.min(span, Math.max(0, daysBetween(p.start_date, today)))) / span
      : today > p.due_date
        ? 100
        : 0;
  const gap = elapsedPct - p.percent_complete;
  const overdueMilestones = related.milestones
    .filter((m) => m.project_id === p.id && m.completed_on === undefined && m.due_date < today)
    .sort((a, b) => a.due_date.localeCompare(b.due_date) || a.id.localeCompare(b.id));
  const openBlockers = related.blockers
    .filter((b) => b.project_id === p.id && isOpenBlocker(b, today))
    .sort((a, b) => a.opened_on.localeCompare(b.opened_on) || a.id.localeCompare(b.id));

  const late = p.due_date < today;
  const reasons: string[] = [];
  if (late) {
    reasons.push(
      `${daysBetween(p.due_date, today)} days overdue, due ${p.due_date}, ${p.percent_complete}% done`,
    );
  } else if (gap > t.behindPoints) {
    reasons.push(
      `${round(gap, 1)} points behind schedule, ${p.percent_complete}% done with ${round(elapsedPct, 1)}% of the time used`,
    );
  }
  if (p.spent_hours > p.budget_hours)
    reasons.push(`over budget, ${p.spent_hours}h spent of ${p.budget_hours}h`);
  for (const m of overdueMilestones)
    reasons.push(`milestone "${m.name}" overdue since ${m.due_date}`);
  for (const b of openBlockers) {
    const age = daysBetween(b.opened_on, today);
    if (age > t.blockerDays) reasons.push(`blocked ${age} days: ${b.title}`);
  }
  const health: ProjectHealth = late ? 'late' : reasons.length > 0 ? 'at_risk' : 'on_track';
  return {
    project: p,
    health,
    reasons,
    elapsedPct,
    scheduleGapPoints: gap,
    overdueMilestones,
    openBlockers,
  };
}

function fmtHours(h: number): string {
  return `${round(h, 1)}h`;
}

export const operationsAgent = defineAgent({
  name: 'operations',
  title: 'Operations',
  datasets: {
    projects: { file: 'projects.csv', format: 'csv' },
    milestones: { file: 'milestones.csv', format: 'csv', optional: true },
    blockers: { file: 'blockers.csv', format: 'csv', optional: true },
    ...teamDatasets(true),
    settings: { file: 'operations.yaml', format: 'yaml', optional: true },
  },
  input: OperationsInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;

    // --- Projects -------------------------------------------------------------------
    const active = input.projects.filter((p) => p.status === 'active');
    const assessed = active.map((p) =>
      assessProject(p, today, input, {
        behindPoints: t.behind_schedule_points,
        blockerDays: t.blocker_days,
      }),
    );
    const late = assessed.filter((a) => a.health === 'late');
    const atRisk = assessed.filter((a) => a.health === 'at_risk');
    const activeIds = new Set(active.map((p) => p.id));
    const openBlockers = input.blockers.filter(
      (b) => activeIds.has(b.project_id) && isOpenBlocker(b, today),
    );
    const activeMilestones = input.milestones.filter(
      (m) => activeIds.has(m.project_id) && m.completed_on === undefined,
    );
    const notOnTrack = late.length + atRisk.length;
    const notOnTrackWeekAgo = valueDaysAgo(ctx.history, 'projectsNotOnTrack', today, 7);

    // --- Capacity (shared team data) ------------------------------------------------
    const team = new TeamModel(input);
    const thisWeek = mondays(today, 0, 1);
    const nextWeeks = mondays(today, 1, CAPACITY_WEEKS);
    const nowWeeks = team.weeks(thisWeek);
    const now = load(nowWeeks);
    const ahead = load(team.weeks(nextWeeks));
    const utilization = plannedUtilization(now);
    const utilizationAhead = plannedUtilization(ahead);
    const overallocated = nowWeeks.filter((w) => w.planned > w.available);
    const plannedAhead = (projectId: string) =>
      sumBy(
        input.allocations.filter((a) => a.project_id === projectId && nextWeeks.includes(a.week)),
        (a) => a.planned_hours ?? 0,
      );

    const metrics = {
      activeProjects: active.length,
      projectsOnTrack: assessed.length - notOnTrack,
      projectsAtRisk: atRisk.length,
      projectsLate: late.length,
      projectsNotOnTrack: notOnTrack,
      projectsNotOnTrackChange:
        typeof notOnTrackWeekAgo === 'number' ? notOnTrack - notOnTrackWeekAgo : null,
      remainingProjectHours: round(
        sumBy(active, (p) => Math.max(0, p.budget_hours - p.spent_hours)),
        1,
      ),
      openBlockers: openBlockers.length,
      blockedProjects: new Set(openBlockers.map((b) => b.project_id)).size,
      oldestBlockerDays:
        openBlockers.length > 0
          ? Math.max(...openBlockers.map((b) => daysBetween(b.opened_on, today)))
          : null,
      overdueMilestones: activeMilestones.filter((m) => m.due_date < today).length,
      milestonesDueNext14Days: activeMilestones.filter(
        (m) => m.due_date >= today && daysBetween(today, m.due_date) <= 14,
      ).length,
      teamSize: team.capacity.filter((c) => {
        const p = team.people.get(c.person_id);
        return p !== undefined && isOnTeam(p, today);
      }).length,
      availableHoursThisWeek: round(now.available, 1),
      allocatedHoursThisWeek: round(now.planned, 1),
      freeHoursThisWeek: round(now.free, 1),
      utilization,
      overallocatedPeople: overallocated.length,
      availableHoursNext4Weeks: round(ahead.available, 1),
      allocatedHoursNext4Weeks: round(ahead.planned, 1),
      freeCapacityHoursNext4Weeks: round(ahead.free, 1),
      utilizationNext4WeeksPct: utilizationAhead,
    };

    // --- Alerts -----------------------------------------------------------------------
    const detail = (a: ProjectAssessment) => `${a.project.name} (${a.reasons.join('; ')})`;
    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'operations.projects-late',
        metric: 'projectsLate',
        value: late.length,
        op: '>',
        warning: t.projects_late_max,
        message: (v) =>
          `${v} of ${active.length} active projects late: ${late.map(detail).join('; ')}`,
      }),
      ...checkThreshold({
        id: 'operations.projects-at-risk',
        metric: 'projectsAtRisk',
        value: atRisk.length,
        op: '>',
        warning: t.projects_at_risk_max,
        message: (v) =>
          `${v} of ${active.length} active projects at risk: ${atRisk.map(detail).join('; ')}`,
      }),
      ...checkThreshold({
        id: 'operations.team-overloaded',
        metric: 'utilization',
        value: utilization,
        op: '>=',
        warning: t.utilization_warning_pct,
        critical: t.utilization_critical_pct,
        message: (v, th) =>
          `Delivery team is ${v}% allocated this week (threshold ${th}%): ${fmtHours(now.planned)} of ${fmtHours(now.available)}, ${fmtHours(now.free)} free this week and ${fmtHours(ahead.free)} over the next ${CAPACITY_WEEKS} weeks`,
      }),
    ];

    // --- Recommendations ------------------------------------------------------------
    const order: Record<ProjectHealth, number> = { late: 0, at_risk: 1, on_track: 2 };
    const recommendations: TaskInput[] = [...late, ...atRisk]
      .sort(
        (a, b) =>
          order[a.health] - order[b.health] ||
          (b.project.arr_at_stake_cents ?? 0) - (a.project.arr_at_stake_cents ?? 0) ||
          a.project.due_date.localeCompare(b.project.due_date) ||
          a.project.id.localeCompare(b.project.id),
      )
      .map((a) => {
        const p = a.project;
        const energy: EnergyDemand = a.health === 'late' ? 'high' : 'medium';
        return {
          id: `operations.recover-project-${slug(p.id)}`,
          title: `Get ${p.name} back on track`,
          source: 'operations' as const,
          reason:
            `${p.name}${p.customer ? ` for ${p.customer}` : ''} is ${a.health === 'late' ? 'late' : 'at risk'}: ` +
            `${a.reasons.join('; ')}. Owner ${p.owner}; ${fmtHours(Math.max(0, p.budget_hours - p.spent_hours))} of budget left, ` +
            `${fmtHours(plannedAhead(p.id))} planned over the next ${CAPACITY_WEEKS} weeks.`,
          ...(p.arr_at_stake_cents !== undefined
            ? { moneyAtStakeCents: p.arr_at_stake_cents }
            : {}),
          deadline: a.health === 'late' ? addDays(today, 7) : p.due_date,
          energyDemand: energy,
          tags: p.customer ? ['delivery', 'retention'] : ['delivery'],
        };
      });
    if (utilization !== null && utilization >= t.utilization_warning_pct) {
      const full = nowWeeks
        .filter((w) => w.available > 0 && w.planned >= w.available)
        .map((w) => `${team.name(w.personId)} ${fmtHours(w.planned)}/${fmtHours(w.available)}`);
      recommendations.push({
        id: 'operations.rebalance-capacity',
        title: `Free delivery capacity (team ${utilization}% allocated this week)`,
        source: 'operations',
        reason:
          `${fmtHours(now.planned)} of ${fmtHours(now.available)} are allocated this week` +
          (full.length > 0 ? ` (fully booked: ${full.join(', ')})` : '') +
          `; ${fmtHours(ahead.free)} free over the next ${CAPACITY_WEEKS} weeks. Defer, delegate or hire before new work lands.`,
        deadline: addDays(today, 14),
        energyDemand: 'medium',
        tags: ['delivery', 'hiring'],
      });
    }

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Delivery on track: ${active.length} active projects, team ${utilization ?? '-'}% allocated this week`,
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
