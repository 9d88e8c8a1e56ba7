/**
 * Linear objects -> the operations agent's data sets, in the workspace shape
 * (docs/workspace.md: projects.csv, milestones.csv, blockers.csv, allocations.csv).
 * Pure: the fetched nodes, the files' rows, the settings and "today" come in as arguments.
 * The rules (which column comes from where) are in docs/sources/linear.md.
 */
import { addDays } from '../../../shared/dates.js';
import { round } from '../../../shared/numbers.js';
import { weekStart, workingDaysIn } from '../../../shared/dates.js';
import { calendarDate } from '../../../shared/time-zone.js';
import type { LinearSettings } from './settings.js';
import type {
  BlockedIssueNode,
  HistoryNode,
  IssueNode,
  MilestoneNode,
  ProjectNode,
  ProjectStatusType,
} from './queries.js';

type Row = Record<string, unknown>;

/** Linear project status type -> projects.csv `status`. */
export const STATUS_MAP: Record<ProjectStatusType, string> = {
  backlog: 'planned',
  planned: 'planned',
  started: 'active',
  paused: 'on_hold',
  completed: 'completed',
  canceled: 'canceled',
};

/** Projects whose issues, milestones and blockers are read (the others are closed). */
export function isOpen(p: ProjectNode): boolean {
  return p.status.type !== 'completed' && p.status.type !== 'canceled';
}

// ---------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------

/** The calendar date of a timestamp in `timeZone` (YYYY-MM-DD). */
export function dateIn(timestamp: string, timeZone: string): string {
  return calendarDate(new Date(timestamp), timeZone);
}

/**
 * A cycle boundary (midnight in the team's time zone, as a UTC timestamp) -> that day:
 * rounded to the nearest midnight UTC, which is right for any zone from UTC-12 to UTC+12.
 */
export function boundaryDate(timestamp: string): string {
  return new Date(Date.parse(timestamp) + 12 * 3600_000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------

export interface ProjectMapping {
  rows: Row[];
  /** Linear project id -> the row id (the file's id when matched, else the slugId). */
  idOf: Map<string, string>;
  /** Linear ids of the open projects that made it into `rows`. */
  openIds: string[];
  /** Projects left out: no target date in Linear nor in a matching projects.csv row. */
  leftOut: ProjectNode[];
}

const norm = (s: unknown) =>
  typeof s === 'string' ? s.trim().replace(/\s+/g, ' ').toLowerCase() : '';
const given = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * Matches each Linear project to a projects.csv row: the row whose `id` is the project's
 * slugId or id, else the one row with the same name (case and spacing ignored) when the
 * name is unique on both sides. A matched project keeps the file's id (so allocations.csv
 * rows still point at it) and takes `customer`, `arr_at_stake_cents` and, when both are
 * given, `budget_hours` and `spent_hours` from the file.
 */
export function matchFileRows(projects: readonly ProjectNode[], fileRows: readonly Row[]) {
  const byId = new Map<string, Row>();
  const byName = new Map<string, Row[]>();
  for (const r of fileRows) {
    if (given(r.id)) byId.set(String(r.id).trim(), r);
    const n = norm(r.name);
    if (n) byName.set(n, [...(byName.get(n) ?? []), r]);
  }
  const linearNames = new Map<string, number>();
  for (const p of projects) linearNames.set(norm(p.name), (linearNames.get(norm(p.name)) ?? 0) + 1);
  const used = new Set<Row>();
  const match = new Map<string, Row>();
  for (const p of projects) {
    const r = byId.get(p.slugId) ?? byId.get(p.id);
    if (r && !used.has(r)) {
      used.add(r);
      match.set(p.id, r);
    }
  }
  for (const p of projects) {
    if (match.has(p.id)) continue;
    const candidates = byName.get(norm(p.name)) ?? [];
    const r = candidates[0];
    if (candidates.length === 1 && linearNames.get(norm(p.name)) === 1 && r && !used.has(r)) {
      used.add(r);
      match.set(p.id, r);
    }
  }
  return match;
}

export interface Hours {
  budget: number;
  spent: number;
}

/** Points of an issue: its estimate, or `unestimated_points`. */
export function points(issue: Pick<IssueNode, 'estimate'>, s: LinearSettings): number {
  return issue.estimate ?? s.unestimated_points;
}

/** True when the issue is gone (trashed, canceled or a duplicate). */
function dropped(issue: IssueNode): boolean {
  return issue.trashed === true || issue.state.type === 'canceled';
}

/**
 * Hours from estimates, per Linear project id: budget = points of the project's issues
 * (not canceled) x hours_per_point; spent = points of its completed issues x hours_per_point.
 */
export function hoursFromIssues(
  issues: readonly IssueNode[],
  s: LinearSettings,
): Map<string, Hours> {
  const out = new Map<string, Hours>();
  for (const i of issues) {
    if (!i.project || dropped(i)) continue;
    const h = out.get(i.project.id) ?? { budget: 0, spent: 0 };
    const p = points(i, s);
    h.budget += p;
    if (i.state.type === 'completed') h.spent += p;
    out.set(i.project.id, h);
  }
  for (const h of out.values()) {
    h.budget = round(h.budget * s.hours_per_point, 2);
    h.spent = round(h.spent * s.hours_per_point, 2);
  }
  return out;
}

/** Closed projects (issues not read): scope x hours_per_point, spent = that x progress. */
function hoursFromScope(p: ProjectNode, s: LinearSettings): Hours {
  const budget = round(p.scope * s.hours_per_point, 2);
  return { budget, spent: round(budget * p.progress, 2) };
}

export function mapProjects(
  projects: readonly ProjectNode[],
  fileRows: readonly Row[],
  issues: readonly IssueNode[],
  s: LinearSettings,
): ProjectMapping {
  const matches = matchFileRows(projects, fileRows);
  const hours = hoursFromIssues(issues, s);
  const rows: Row[] = [];
  const idOf = new Map<string, string>();
  const openIds: string[] = [];
  const leftOut: ProjectNode[] = [];
  for (const p of projects) {
    const file = matches.get(p.id);
    const due = p.targetDate ?? (given(file?.due_date) ? String(file!.due_date) : undefined);
    if (!due) {
      leftOut.push(p);
      continue;
    }
    const id = file && given(file.id) ? String(file.id).trim() : p.slugId;
    const start =
      p.startDate ??
      (p.startedAt ? dateIn(p.startedAt, s.timezone) : undefined) ??
      (given(file?.start_date) ? String(file!.start_date) : undefined) ??
      dateIn(p.createdAt, s.timezone);
    const fromFile = file && given(file.budget_hours) && given(file.spent_hours);
    const h = fromFile
      ? { budget: file.budget_hours, spent: file.spent_hours }
      : isOpen(p)
        ? (hours.get(p.id) ?? { budget: 0, spent: 0 })
        : hoursFromScope(p, s);
    const row: Row = {
      id,
      name: p.name,
      owner: p.lead?.name ?? (given(file?.owner) ? file!.owner : 'unassigned'),
      status: STATUS_MAP[p.status.type],
      start_date: start,
      due_date: due,
      budget_hours: h.budget,
      spent_hours: h.spent,
      percent_complete: round(p.progress * 100, 1),
    };
    if (given(file?.customer)) row.customer = file!.customer;
    if (given(file?.arr_at_stake_cents)) row.arr_at_stake_cents = file!.arr_at_stake_cents;
    rows.push(row);
    idOf.set(p.id, id);
    if (isOpen(p)) openIds.push(p.id);
  }
  return { rows, idOf, openIds, leftOut };
}

// ---------------------------------------------------------------------------------
// Milestones
// ---------------------------------------------------------------------------------

/**
 * Milestones of the mapped open projects that have a target date. Linear has no
 * completion date on a milestone: a `done` milestone is completed on the day its last
 * issue was completed, or (no completed issues) the day it was last updated.
 */
export function mapMilestones(
  milestones: readonly MilestoneNode[],
  issues: readonly IssueNode[],
  idOf: ReadonlyMap<string, string>,
  s: LinearSettings,
): { rows: Row[]; undated: number } {
  const lastDone = new Map<string, string>();
  for (const i of issues) {
    if (!i.projectMilestone || !i.completedAt || i.state.type !== 'completed') continue;
    const d = dateIn(i.completedAt, s.timezone);
    const prev = lastDone.get(i.projectMilestone.id);
    if (!prev || d > prev) lastDone.set(i.projectMilestone.id, d);
  }
  const rows: Row[] = [];
  let undated = 0;
  for (const m of milestones) {
    const projectId = idOf.get(m.project.id);
    if (!projectId) continue;
    if (!m.targetDate) {
      undated += 1;
      continue;
    }
    const row: Row = { id: m.id, project_id: projectId, name: m.name, due_date: m.targetDate };
    if (m.status === 'done')
      row.completed_on = lastDone.get(m.id) ?? dateIn(m.updatedAt, s.timezone);
    rows.push(row);
  }
  return { rows, undated };
}

// ---------------------------------------------------------------------------------
// Blockers
// ---------------------------------------------------------------------------------

/** The blocked label or state an issue carries now, if any. */
export function blockedFlag(
  issue: Pick<BlockedIssueNode, 'labels' | 'state' | 'completedAt' | 'canceledAt'>,
  s: LinearSettings,
): { label?: string; state?: string } | undefined {
  if (issue.completedAt || issue.canceledAt) return undefined;
  if (issue.state.type === 'completed' || issue.state.type === 'canceled') return undefined;
  const label = issue.labels.nodes.find((l) => s.blocked_labels.includes(l.name))?.name;
  const state = s.blocked_states.includes(issue.state.name) ? issue.state.name : undefined;
  if (!label && !state) return undefined;
  return { ...(label ? { label } : {}), ...(state ? { state } : {}) };
}

/**
 * When a label- or state-blocked issue became blocked: the latest history entry that added
 * its blocked label or moved it to its blocked state (the earlier of the two when it has
 * both); the issue's creation when the history does not say (labelled at creation).
 */
export function blockedSince(
  issue: Pick<BlockedIssueNode, 'labels' | 'state' | 'createdAt' | 'completedAt' | 'canceledAt'>,
  history: readonly HistoryNode[],
  s: LinearSettings,
): string {
  const flag = blockedFlag(issue, s);
  const starts: string[] = [];
  const latest = (pred: (h: HistoryNode) => boolean) =>
    history
      .filter(pred)
      .map((h) => h.createdAt)
      .sort((a, b) => Date.parse(b) - Date.parse(a))[0];
  if (flag?.label) {
    const t = latest((h) => (h.addedLabels ?? []).some((l) => l.name === flag.label));
    if (t) starts.push(t);
  }
  if (flag?.state) {
    const t = latest((h) => h.toState?.name === flag.state);
    if (t) starts.push(t);
  }
  return starts.sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? issue.createdAt;
}

/**
 * Blockers of the mapped open projects:
 * - every `blocks` relation pointing at one of their issues (the blocking issue may live
 *   anywhere): opened when the relation was created, resolved when the blocking issue or
 *   the blocked one was completed or canceled;
 * - an issue carrying a blocked label or state with no open `blocks` relation: opened
 *   when it became blocked (`since`), open while it carries it.
 */
export function mapBlockers(
  blocked: readonly BlockedIssueNode[],
  since: ReadonlyMap<string, string>,
  idOf: ReadonlyMap<string, string>,
  s: LinearSettings,
): Row[] {
  const rows: Row[] = [];
  const date = (t: string) => dateIn(t, s.timezone);
  for (const x of blocked) {
    const projectId = x.project ? idOf.get(x.project.id) : undefined;
    if (!projectId) continue;
    let openRelation = false;
    for (const r of x.inverseRelations.nodes) {
      if (r.type !== 'blocks') continue;
      const a = r.issue;
      const ends = [a.completedAt, a.canceledAt, x.completedAt, x.canceledAt]
        .filter((t): t is string => typeof t === 'string')
        .sort((p, q) => Date.parse(p) - Date.parse(q));
      const end = ends[0];
      // Linked after it had already stopped blocking: it never blocked anything.
      if (end && Date.parse(end) <= Date.parse(r.createdAt)) continue;
      const row: Row = {
        id: `${x.identifier}/${a.identifier}`,
        project_id: projectId,
        title: `${x.title} (${x.identifier}) waits on ${a.identifier}: ${a.title}`,
        opened_on: date(r.createdAt),
      };
      const owner = a.assignee?.name ?? x.assignee?.name;
      if (owner) row.owner = owner;
      if (end) {
        const resolved = date(end);
        row.resolved_on = resolved < (row.opened_on as string) ? row.opened_on : resolved;
      } else {
        openRelation = true;
      }
      rows.push(row);
    }
    const flag = blockedFlag(x, s);
    if (flag && !openRelation) {
      const row: Row = {
        id: `${x.identifier}/blocked`,
        project_id: projectId,
        title: `${x.title} (${x.identifier}) is marked ${flag.label ?? flag.state}`,
        opened_on: date(since.get(x.id) ?? x.createdAt),
      };
      if (x.assignee) row.owner = x.assignee.name;
      rows.push(row);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------
// Allocations from cycles (opt-in)
// ---------------------------------------------------------------------------------

export interface CycleOverlay {
  rows: Row[];
  /** Linear assignees with cycle work who match nobody in capacity.csv. */
  unmatched: string[];
  /** Mondays whose project plan now comes from Linear. */
  weeks: string[];
}

/**
 * Planned hours from Linear cycles, overlaid on allocations.csv (docs/sources/linear.md):
 * each assigned, not canceled issue of a mapped open project that sits in a cycle puts
 * points x hours_per_point on its assignee, spread evenly over the cycle's working days
 * and summed per Monday week; weeks before this one are left alone. For the people it
 * matches (people.csv `email`, else the same name; only people in capacity.csv) and the
 * weeks the cycles cover, those hours replace the file's planned hours on the Linear
 * projects; other rows (support, internal, actual hours) stay as the file has them.
 */
export function overlayCycleAllocations(opts: {
  issues: readonly IssueNode[];
  idOf: ReadonlyMap<string, string>;
  people: readonly Row[];
  capacity: readonly Row[];
  allocations: readonly Row[];
  today: string;
  settings: LinearSettings;
}): CycleOverlay {
  const { issues, idOf, settings: s } = opts;
  const thisMonday = weekStart(opts.today);
  const delivery = new Set(opts.capacity.map((c) => String(c.person_id ?? '').trim()));
  const byEmail = new Map<string, string>();
  const byName = new Map<string, string[]>();
  for (const p of opts.people) {
    const id = String(p.id ?? '').trim();
    if (!delivery.has(id)) continue;
    if (given(p.email)) byEmail.set(norm(p.email), id);
    byName.set(norm(p.name), [...(byName.get(norm(p.name)) ?? []), id]);
  }
  const personOf = (u: NonNullable<IssueNode['assignee']>): string | undefined => {
    const e = byEmail.get(norm(u.email));
    if (e) return e;
    const n = byName.get(norm(u.name));
    return n && n.length === 1 ? n[0] : undefined;
  };

  const covered = new Set<string>();
  const matched = new Set<string>();
  const unmatched = new Set<string>();
  const planned = new Map<string, number>();
  for (const i of issues) {
    if (!i.project || dropped(i)) continue;
    const projectId = idOf.get(i.project.id);
    if (!projectId) continue;
    const person = i.assignee ? personOf(i.assignee) : undefined;
    if (person) matched.add(person);
    if (!i.cycle) continue;
    const days = workingDaysIn(
      boundaryDate(i.cycle.startsAt),
      addDays(boundaryDate(i.cycle.endsAt), -1),
    );
    const current = days.filter((d) => weekStart(d) >= thisMonday);
    for (const d of current) covered.add(weekStart(d));
    if (!i.assignee || current.length === 0) continue;
    if (!person) {
      unmatched.add(i.assignee.name);
      continue;
    }
    const perDay = (points(i, s) * s.hours_per_point) / days.length;
    for (const d of current) {
      const key = `${person}\u0000${projectId}\u0000${weekStart(d)}`;
      planned.set(key, (planned.get(key) ?? 0) + perDay);
    }
  }

  const linearProjects = new Set(idOf.values());
  const rows: Row[] = [];
  const kept = new Map<string, Row>();
  for (const r of opts.allocations) {
    const person = String(r.person_id ?? '').trim();
    const project = String(r.project_id ?? '').trim();
    const week = String(r.week ?? '').trim();
    if (matched.has(person) && covered.has(week) && linearProjects.has(project)) {
      if (!given(r.actual_hours)) continue;
      const { planned_hours: _drop, ...rest } = r;
      rows.push(rest);
      kept.set(`${person}\u0000${project}\u0000${week}`, rest);
    } else {
      rows.push(r);
    }
  }
  for (const [key, hours] of [...planned].sort(([a], [b]) => a.localeCompare(b))) {
    const [person_id, project_id, week] = key.split('\u0000') as [string, string, string];
    const existing = kept.get(key);
    if (existing) existing.planned_hours = round(hours, 2);
    else rows.push({ person_id, project_id, week, planned_hours: round(hours, 2) });
  }
  return { rows, unmatched: [...unmatched].sort(), weeks: [...covered].sort() };
}
