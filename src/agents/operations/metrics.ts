/**
 * The operations figures: active projects by health (late, at risk, on track), blockers
 * and milestones, and the delivery team's capacity this week and over the next
 * CAPACITY_WEEKS weeks from the shared team data. Pure: input and context in, the
 * metrics record plus the values the alerts and tasks need out.
 * Formulas and units: docs/metrics/operations.md.
 */
import type { Project } from '../../contract/datasets/operations.js';
import type { AgentContext, Metrics } from '../../contract/report.js';
import { daysBetween } from '../../shared/dates.js';
import { valueDaysAgo } from '../../shared/history.js';
import { round, sumBy } from '../../shared/numbers.js';
import {
  TeamModel,
  isOnTeam,
  load,
  mondays,
  plannedUtilization,
  type Load,
  type PersonWeek,
} from '../team/index.js';
import type { OperationsInput } from './input.js';
import { assessProject, isOpenBlocker, type ProjectAssessment } from './projects.js';
import { CAPACITY_WEEKS, type OperationsThresholds } from './settings.js';

export interface ProjectFigures {
  active: Project[];
  late: ProjectAssessment[];
  atRisk: ProjectAssessment[];
  metrics: Metrics;
}

export interface CapacityFigures {
  team: TeamModel;
  /** Every delivery person's current week. */
  nowWeeks: PersonWeek[];
  /** The Mondays of the next CAPACITY_WEEKS weeks. */
  nextWeeks: string[];
  now: Load;
  ahead: Load;
  /** Planned utilization this week (%). */
  utilization: number | null;
  metrics: Metrics;
}

/** The metrics and what the alert and task steps read besides them. */
export interface OperationsFigures {
  metrics: Metrics;
  today: string;
  projects: ProjectFigures;
  capacity: CapacityFigures;
}

export function operationsMetrics(input: OperationsInput, ctx: AgentContext): OperationsFigures {
  const projects = projectFigures(input, ctx, input.settings.thresholds);
  const capacity = capacityFigures(input, ctx.today);
  return {
    metrics: { ...projects.metrics, ...capacity.metrics },
    today: ctx.today,
    projects,
    capacity,
  };
}

/** Active projects assessed by the health rule, their blockers and open milestones. */
export function projectFigures(
  input: Pick<OperationsInput, 'projects' | 'milestones' | 'blockers'>,
  ctx: Pick<AgentContext, 'today' | 'history'>,
  t: OperationsThresholds,
): ProjectFigures {
  const today = ctx.today;
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
  const openMilestones = input.milestones.filter(
    (m) => activeIds.has(m.project_id) && m.completed_on === undefined,
  );
  const notOnTrack = late.length + atRisk.length;
  const notOnTrackWeekAgo = valueDaysAgo(ctx.history, 'projectsNotOnTrack', today, 7);
  const metrics: Metrics = {
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
    overdueMilestones: openMilestones.filter((m) => m.due_date < today).length,
    milestonesDueNext14Days: openMilestones.filter(
      (m) => m.due_date >= today && daysBetween(today, m.due_date) <= 14,
    ).length,
  };
  return { active, late, atRisk, metrics };
}

/** The delivery team's hours this week and over the next CAPACITY_WEEKS weeks (planned). */
export function capacityFigures(input: OperationsInput, today: string): CapacityFigures {
  const team = new TeamModel(input);
  const nextWeeks = mondays(today, 1, CAPACITY_WEEKS);
  const nowWeeks = team.weeks(mondays(today, 0, 1));
  const now = load(nowWeeks);
  const ahead = load(team.weeks(nextWeeks));
  const utilization = plannedUtilization(now);
  const metrics: Metrics = {
    teamSize: team.capacity.filter((c) => {
      const p = team.people.get(c.person_id);
      return p !== undefined && isOnTeam(p, today);
    }).length,
    availableHoursThisWeek: round(now.available, 1),
    allocatedHoursThisWeek: round(now.planned, 1),
    freeHoursThisWeek: round(now.free, 1),
    utilization,
    overallocatedPeople: nowWeeks.filter((w) => w.planned > w.available).length,
    availableHoursNext4Weeks: round(ahead.available, 1),
    allocatedHoursNext4Weeks: round(ahead.planned, 1),
    freeCapacityHoursNext4Weeks: round(ahead.free, 1),
    utilizationNext4WeeksPct: plannedUtilization(ahead),
  };
  return { team, nowWeeks, nextWeeks, now, ahead, utilization, metrics };
}
