/**
 * The HR figures: roster, hires and attrition over the trailing year, open roles and
 * the candidate pipeline, eNPS of the pulse surveys, the delivery team's load over the
 * last LOAD_WEEKS complete weeks (actual hours) and time off. Pure: input and context
 * in, the metrics record plus the values the alerts and tasks need out.
 * Formulas and units: docs/metrics/hr.md.
 */
import {
  ACTIVE_CANDIDATE_STAGES,
  type Candidate,
  type PulseResponse,
  type Role,
} from '../../contract/datasets/hr.js';
import type { Person, TimeOff } from '../../contract/datasets/team.js';
import type { AgentContext, Metrics } from '../../contract/report.js';
import { addDays, daysBetween, workingDaysIn } from '../../shared/dates.js';
import { centsToUnits } from '../../shared/money.js';
import { percent, round, sumBy } from '../../shared/numbers.js';
import { TeamModel, actualUtilization, isOnTeam, load, mondays, type Load } from '../team/index.js';
import { enpsBySurvey, type Enps } from './enps.js';
import type { HrInput } from './input.js';
import { LOAD_WEEKS, YEAR_DAYS, type HrThresholds } from './settings.js';

/** One delivery person's load over the last LOAD_WEEKS complete weeks. */
export interface PersonLoad {
  id: string;
  name: string;
  load: Load;
  utilization: number | null;
  /** Hours a week worked beyond the available hours, on average. */
  avgOvertime: number;
}

/** The metrics and what the alert and task steps read besides them. */
export interface HrFigures {
  metrics: Metrics;
  today: string;
  /** People on the team today. */
  team: Person[];
  /** Employees who left in the trailing year. */
  departures: Person[];
  openRoles: Role[];
  /** Candidates still in the running for an open role. */
  pipeline: Candidate[];
  latestSurvey: Enps | undefined;
  previousSurvey: Enps | undefined;
  enpsChange: number | null;
  teamUtilization: number | null;
  /** At or above the burnout threshold, highest first. */
  overloaded: PersonLoad[];
  /** Above the overtime threshold, most overtime first. */
  onOvertime: PersonLoad[];
}

export function hrMetrics(input: HrInput, ctx: AgentContext): HrFigures {
  const today = ctx.today;
  const model = new TeamModel(input);
  const roster = rosterFigures(input.people, today);
  const hiring = hiringFigures(input.roles, input.candidates, today);
  const surveys = enpsFigures(input.pulse, input.people, today);
  const work = loadFigures(model, today, input.settings.thresholds);
  const metrics: Metrics = {
    ...roster.metrics,
    ...hiring.metrics,
    ...surveys.metrics,
    ...work.metrics,
    ...timeOffMetrics(model, roster.team, input.timeOff, today),
  };
  for (const p of work.perPerson) metrics[`utilizationPct.${p.id}`] = p.utilization;
  return {
    metrics,
    today,
    team: roster.team,
    departures: roster.departures,
    openRoles: hiring.open,
    pipeline: hiring.pipeline,
    latestSurvey: surveys.latest,
    previousSurvey: surveys.previous,
    enpsChange: surveys.enpsChange,
    teamUtilization: work.teamUtilization,
    overloaded: work.overloaded,
    onOvertime: work.onOvertime,
  };
}

/** Employees (full and part time; contractors are not in attrition) on the team on `date`. */
function employeesOn(people: readonly Person[], date: string): number {
  return people.filter((p) => p.employment_type !== 'contractor' && isOnTeam(p, date)).length;
}

/** Headcount, hires, departures and attrition over the trailing year, monthly payroll. */
export function rosterFigures(people: readonly Person[], today: string) {
  const yearAgo = addDays(today, -YEAR_DAYS);
  const team = people.filter((p) => isOnTeam(p, today));
  // The trailing year: the 365 days ending today, (today - 365, today].
  const hires = people.filter((p) => p.start_date > yearAgo && p.start_date <= today);
  // Employees whose first day gone (end_date + 1) is in the trailing year.
  const departures = people.filter(
    (p) =>
      p.employment_type !== 'contractor' &&
      p.end_date !== undefined &&
      p.end_date >= yearAgo &&
      p.end_date < today,
  );
  const avgEmployees = (employeesOn(people, yearAgo) + employeesOn(people, today)) / 2;
  const metrics: Metrics = {
    headcount: team.length,
    contractors: team.filter((p) => p.employment_type === 'contractor').length,
    joiningSoon: people.filter((p) => p.start_date > today).length,
    hiresLast12Months: hires.length,
    departuresLast12Months: departures.length,
    attritionPct: percent(departures.length, avgEmployees),
    // Annual cents summed first, divided by 12 and rounded once.
    monthlyPayroll: centsToUnits(Math.round(sumBy(team, (p) => p.annual_cost_cents) / 12)),
  };
  return { team, departures, metrics };
}

/** Whole days a role has been open on `today` (0 for a role opened later). */
export function daysOpen(r: Role, today: string): number {
  return Math.max(0, daysBetween(r.opened_on, today));
}

/** Open roles, their age and cost, roles filled in the trailing year, the candidate pipeline. */
export function hiringFigures(
  roles: readonly Role[],
  candidates: readonly Candidate[],
  today: string,
) {
  const yearAgo = addDays(today, -YEAR_DAYS);
  const open = roles.filter((r) => r.status === 'open');
  const openIds = new Set(open.map((r) => r.id));
  const ages = open.map((r) => daysOpen(r, today));
  const filled = roles.filter(
    (r) =>
      r.status === 'filled' &&
      r.filled_on !== undefined &&
      r.filled_on > yearAgo &&
      r.filled_on <= today,
  );
  const timeToHire = filled.map((r) => daysBetween(r.opened_on, r.filled_on!));
  const pipeline = candidates.filter(
    (c) =>
      openIds.has(c.role_id) && (ACTIVE_CANDIDATE_STAGES as readonly string[]).includes(c.stage),
  );
  const atStage = (stage: string) => pipeline.filter((c) => c.stage === stage).length;
  const metrics: Metrics = {
    openRoles: open.length,
    avgOpenRoleAgeDays: open.length > 0 ? round(sumBy(ages, (d) => d) / open.length, 1) : null,
    longestOpenRoleDays: open.length > 0 ? Math.max(...ages) : null,
    hiringPlanMonthlyCost: centsToUnits(Math.round(sumBy(open, (r) => r.annual_budget_cents) / 12)),
    rolesFilledLast12Months: filled.length,
    avgTimeToHireDays:
      timeToHire.length > 0 ? round(sumBy(timeToHire, (d) => d) / timeToHire.length, 1) : null,
    candidatesApplied: atStage('applied'),
    candidatesScreen: atStage('screen'),
    candidatesInterview: atStage('interview'),
    candidatesOffer: atStage('offer'),
    activeCandidates: pipeline.length,
  };
  return { open, pipeline, metrics };
}

/** eNPS of the latest pulse survey up to today, its response rate and change on the one before. */
export function enpsFigures(
  pulse: readonly PulseResponse[],
  people: readonly Person[],
  today: string,
) {
  const surveys = enpsBySurvey(pulse, today);
  const latest = surveys.at(-1);
  const previous = surveys.at(-2);
  const enpsChange =
    latest !== undefined && previous !== undefined ? round(latest.enps - previous.enps, 1) : null;
  const metrics: Metrics = {
    enps: latest?.enps ?? null,
    enpsResponses: latest?.responses ?? null,
    enpsResponseRatePct:
      latest !== undefined
        ? percent(latest.responses, people.filter((p) => isOnTeam(p, latest.surveyDate)).length)
        : null,
    enpsPrevious: previous?.enps ?? null,
    enpsChange,
    enpsSurveyAgeDays: latest !== undefined ? daysBetween(latest.surveyDate, today) : null,
  };
  return { latest, previous, enpsChange, metrics };
}

/** The delivery team's actual hours over the last LOAD_WEEKS complete weeks, per person and in all. */
export function loadFigures(model: TeamModel, today: string, t: HrThresholds) {
  const loadWeeks = mondays(today, -LOAD_WEEKS, LOAD_WEEKS);
  const teamLoad = load(model.weeks(loadWeeks));
  const teamUtilization = actualUtilization(teamLoad);
  const perPerson: PersonLoad[] = model.capacity
    .map((c) => {
      const l = load(loadWeeks.map((w) => model.week(c, w)));
      return {
        id: c.person_id,
        name: model.name(c.person_id),
        load: l,
        utilization: actualUtilization(l),
        avgOvertime: l.overtime / LOAD_WEEKS,
      };
    })
    .filter((p) => p.load.available > 0);
  const overloaded = perPerson
    .filter((p) => p.utilization !== null && p.utilization >= t.burnout_utilization_pct)
    .sort((a, b) => b.utilization! - a.utilization! || a.id.localeCompare(b.id));
  const onOvertime = perPerson
    .filter((p) => p.avgOvertime > t.overtime_hours_per_week)
    .sort((a, b) => b.avgOvertime - a.avgOvertime || a.id.localeCompare(b.id));
  const utilizations = perPerson.flatMap((p) => (p.utilization === null ? [] : [p.utilization]));
  const metrics: Metrics = {
    teamUtilizationPct: teamUtilization,
    maxPersonUtilizationPct: utilizations.length > 0 ? Math.max(...utilizations) : null,
    peopleAtOrAboveUtilizationThreshold: overloaded.length,
    peopleOnOvertime: onOvertime.length,
    overtimeHoursLast4Weeks: teamLoad.logged ? round(teamLoad.overtime, 1) : null,
  };
  return { teamUtilization, perPerson, overloaded, onOvertime, metrics };
}

/** Time off of the people on the team today; all null without a time_off.csv row. */
export function timeOffMetrics(
  model: TeamModel,
  team: readonly Person[],
  timeOff: readonly TimeOff[],
  today: string,
): Metrics {
  const hasTimeOff = timeOff.length > 0;
  /** Working days of time off of the team in [from, to], optionally of one type. */
  const daysOff = (from: string, to: string, type?: string) => {
    const days = workingDaysIn(from, to);
    return sumBy(
      team,
      (p) =>
        days.filter((d) => {
          const off = model.dayOff(p.id, d);
          return off !== undefined && (type === undefined || off === type);
        }).length,
    );
  };
  const lastHalfYear = workingDaysIn(addDays(today, -179), today);
  const noRest = team.filter(
    (p) =>
      daysBetween(p.start_date, today) >= 180 &&
      !lastHalfYear.some((d) => model.dayOff(p.id, d) === 'vacation'),
  );
  return {
    onTimeOffToday: hasTimeOff ? team.filter((p) => model.dayOff(p.id, today)).length : null,
    timeOffDaysLast90Days: hasTimeOff ? daysOff(addDays(today, -89), today) : null,
    sickDaysLast90Days: hasTimeOff ? daysOff(addDays(today, -89), today, 'sick') : null,
    timeOffDaysNext30Days: hasTimeOff ? daysOff(addDays(today, 1), addDays(today, 30)) : null,
    peopleWithoutVacation180Days: hasTimeOff ? noRest.length : null,
  };
}
