/**
 * The project health rule (docs/metrics/operations.md): late, at risk or on track, with
 * the reasons, from a project's schedule, budget, milestones and blockers.
 */
import type { Blocker, Milestone, Project } from '../../contract/datasets/operations.js';
import { daysBetween } from '../../shared/dates.js';
import { round } from '../../shared/numbers.js';

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

/** % of the time from start to due date that has passed by `today` (0..100). */
export function elapsedSchedulePct(p: Project, today: string): number {
  const span = daysBetween(p.start_date, p.due_date);
  if (span > 0) return (100 * Math.min(span, Math.max(0, daysBetween(p.start_date, today)))) / span;
  return today > p.due_date ? 100 : 0;
}

/**
 * Late: past its due date and not completed. At risk (not late): behind schedule by
 * more than `behindPoints`, over budget, a milestone past due and not done, or a
 * blocker open more than `blockerDays` days. Otherwise on track.
 */
export function assessProject(
  p: Project,
  today: string,
  related: { milestones: readonly Milestone[]; blockers: readonly Blocker[] },
  t: { behindPoints: number; blockerDays: number },
): ProjectAssessment {
  const elapsedPct = elapsedSchedulePct(p, today);
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
