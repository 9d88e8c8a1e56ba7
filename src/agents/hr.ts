/**
 * HR: the roster, hiring (open roles, candidates, time to hire), attrition, eNPS pulse
 * surveys, and the team's load from the shared team data (src/agents/team.ts):
 * per-person utilization, overtime and time off. Formulas, units and thresholds:
 * docs/metrics/hr.md.
 */
import { z } from 'zod';
import { defineAgent } from '../contract/agent.js';
import type { Alert, TaskInput } from '../contract/report.js';
import { addDays, daysBetween } from '../shared/dates.js';
import {
  cents,
  integer,
  isoDate,
  oneOf,
  rowsUniqueBy,
  settingsFile,
  text,
} from '../contract/fields.js';
import { centsToUnits, formatMoneyShort } from '../shared/money.js';
import { checkThreshold, healthFromAlerts } from './thresholds.js';
import { percent, round, sumBy } from '../shared/numbers.js';
import { slug } from '../shared/text.js';
import {
  TeamModel,
  actualUtilization,
  isOnTeam,
  load,
  mondays,
  teamDatasets,
  teamReferenceIssues,
  teamShape,
  type CrossFileIssue,
  type Person,
} from './team.js';
import { workingDaysIn } from '../shared/dates.js';

export { EMPLOYMENT_TYPES, isOnTeam } from './team.js';

export const ROLE_STATUSES = ['open', 'on_hold', 'filled', 'closed'] as const;
export const CANDIDATE_STAGES = [
  'applied',
  'screen',
  'interview',
  'offer',
  'hired',
  'rejected',
  'withdrawn',
] as const;
/** Stages of a candidate still in the running. */
export const ACTIVE_STAGES = ['applied', 'screen', 'interview', 'offer'] as const;

export const HR_THRESHOLDS = {
  /** An open role open for more than this many days: warning. */
  role_open_days_warning: 60,
  /** ... for more than this many days: critical. */
  role_open_days_critical: 120,
  /** Team utilization (%, actual hours, last 4 complete weeks) at or above this: burnout risk warning. */
  burnout_utilization_pct: 95,
  /** ... at or above this: critical. */
  burnout_utilization_critical_pct: 110,
  /** A person is on overtime when their actual hours exceed their available hours by more than this per week, on average over the last 4 complete weeks. */
  overtime_hours_per_week: 4,
  /** More people on overtime than this: warning. */
  overtime_people_max: 0,
  /** eNPS below this: warning. */
  enps_warning: 10,
  /** eNPS below this: critical. */
  enps_critical: -10,
  /** Trailing-12-month attrition (%) above this: warning. */
  attrition_warning_pct: 20,
  /** ... above this: critical. */
  attrition_critical_pct: 35,
};

/** At most this many "fill role" recommendations (longest open first). */
export const MAX_ROLE_TASKS = 5;
/** Complete weeks before the current one that utilization and overtime look at. */
export const LOAD_WEEKS = 4;
/** The trailing window for attrition, hires and time to hire, in days. */
export const YEAR_DAYS = 365;

const Role = z
  .object({
    id: text(),
    title: text(),
    department: text(),
    status: oneOf(ROLE_STATUSES),
    opened_on: isoDate(),
    target_start: isoDate().optional(),
    /** The day the offer was accepted; required when the status is `filled`. */
    filled_on: isoDate().optional(),
    /** Budgeted fully loaded yearly cost of the hire, integer cents. */
    annual_budget_cents: cents(),
  })
  .superRefine((r, ctx) => {
    if (r.status === 'filled' && r.filled_on === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['filled_on'],
        message: 'required for a filled role: expected a date written YYYY-MM-DD',
      });
    }
    if (r.filled_on !== undefined && r.filled_on < r.opened_on) {
      ctx.addIssue({
        code: 'custom',
        path: ['filled_on'],
        message: `filled_on ${r.filled_on} is before opened_on ${r.opened_on}`,
      });
    }
  });
export type Role = z.output<typeof Role>;

const Candidate = z.object({
  id: text(),
  role_id: text(),
  stage: oneOf(CANDIDATE_STAGES),
  applied_on: isoDate(),
  source: text().optional(),
});
export type Candidate = z.output<typeof Candidate>;

/** One answer to "How likely are you to recommend this company as a place to work?" (0..10). */
const PulseResponse = z.object({
  /** The day the survey was sent: responses with the same date are one survey. */
  survey_date: isoDate(),
  score: integer({ min: 0, max: 10 }),
});
export type PulseResponse = z.output<typeof PulseResponse>;

export const HrInput = z
  .object({
    ...teamShape,
    roles: rowsUniqueBy(Role, 'id'),
    candidates: rowsUniqueBy(Candidate, 'id'),
    pulse: z.array(PulseResponse),
    settings: settingsFile(HR_THRESHOLDS),
  })
  .superRefine((input, ctx) => {
    const roles = new Set(input.roles.map((r) => r.id));
    const issues: CrossFileIssue[] = [...teamReferenceIssues(input)];
    input.candidates.forEach((c, i) => {
      if (!roles.has(c.role_id))
        issues.push({
          path: ['candidates', i, 'role_id'],
          message: `unknown role ${JSON.stringify(c.role_id)}: not an id in roles.csv`,
        });
    });
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });
export type HrInput = z.output<typeof HrInput>;

export interface Enps {
  surveyDate: string;
  responses: number;
  promoters: number;
  detractors: number;
  /** % promoters (9-10) minus % detractors (0-6), 1 decimal; -100..100. */
  enps: number;
}

/** eNPS of each survey (responses grouped by `survey_date`) up to `today`, oldest first. */
export function enpsBySurvey(responses: readonly PulseResponse[], today: string): Enps[] {
  const bySurvey = new Map<string, number[]>();
  for (const r of responses) {
    if (r.survey_date > today) continue;
    bySurvey.set(r.survey_date, [...(bySurvey.get(r.survey_date) ?? []), r.score]);
  }
  return [...bySurvey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([surveyDate, scores]) => {
      const promoters = scores.filter((s) => s >= 9).length;
      const detractors = scores.filter((s) => s <= 6).length;
      return {
        surveyDate,
        responses: scores.length,
        promoters,
        detractors,
        enps: round((100 * (promoters - detractors)) / scores.length, 1),
      };
    });
}

/** Employees (full and part time; contractors are not in attrition) on the team on `date`. */
function employeesOn(people: readonly Person[], date: string): number {
  return people.filter((p) => p.employment_type !== 'contractor' && isOnTeam(p, date)).length;
}

/** "1 person", "2 people"; "1 candidate", "2 candidates". */
function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const hrAgent = defineAgent({
  name: 'hr',
  title: 'HR',
  datasets: {
    ...teamDatasets(false),
    roles: { file: 'roles.csv', format: 'csv' },
    candidates: { file: 'candidates.csv', format: 'csv', optional: true },
    pulse: { file: 'pulse.csv', format: 'csv', optional: true },
    settings: { file: 'hr.yaml', format: 'yaml', optional: true },
  },
  input: HrInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;
    const yearAgo = addDays(today, -YEAR_DAYS);
    /** The trailing year: the 365 days ending today, (today - 365, today]. */
    const inLastYear = (date: string) => date > yearAgo && date <= today;

    // --- Roster, hires, attrition -------------------------------------------------
    const team = input.people.filter((p) => isOnTeam(p, today));
    const hires = input.people.filter((p) => inLastYear(p.start_date));
    // Employees whose first day gone (end_date + 1) is in the trailing year.
    const departures = input.people.filter(
      (p) =>
        p.employment_type !== 'contractor' &&
        p.end_date !== undefined &&
        p.end_date >= yearAgo &&
        p.end_date < today,
    );
    const avgEmployees =
      (employeesOn(input.people, yearAgo) + employeesOn(input.people, today)) / 2;

    // --- Roles and pipeline -------------------------------------------------------
    const open = input.roles.filter((r) => r.status === 'open');
    const openIds = new Set(open.map((r) => r.id));
    const daysOpen = (r: Role) => Math.max(0, daysBetween(r.opened_on, today));
    const longest = open.length > 0 ? Math.max(...open.map(daysOpen)) : null;
    const filled = input.roles.filter(
      (r) => r.status === 'filled' && r.filled_on !== undefined && inLastYear(r.filled_on),
    );
    const timeToHire = filled.map((r) => daysBetween(r.opened_on, r.filled_on!));
    const pipeline = input.candidates.filter(
      (c) => openIds.has(c.role_id) && (ACTIVE_STAGES as readonly string[]).includes(c.stage),
    );
    const atStage = (stage: string, roleId?: string) =>
      pipeline.filter((c) => c.stage === stage && (roleId === undefined || c.role_id === roleId))
        .length;

    // --- eNPS ------------------------------------------------------------------------
    const surveys = enpsBySurvey(input.pulse, today);
    const latest = surveys.at(-1);
    const previous = surveys.at(-2);
    const enps = latest?.enps ?? null;
    const enpsChange =
      latest !== undefined && previous !== undefined ? round(latest.enps - previous.enps, 1) : null;

    // --- Load from the shared team data (last 4 complete weeks, actual hours) ---------
    const model = new TeamModel(input);
    const loadWeeks = mondays(today, -LOAD_WEEKS, LOAD_WEEKS);
    const teamLoad = load(model.weeks(loadWeeks));
    const teamUtilization = actualUtilization(teamLoad);
    const perPerson = model.capacity
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

    // --- Time off ------------------------------------------------------------------
    const hasTimeOff = input.timeOff.length > 0;
    /** Working days of time off of the team in [from, to], optionally of one type. */
    const daysOff = (from: string, to: string, type?: string) =>
      sumBy(
        team,
        (p) =>
          workingDaysIn(from, to).filter((d) => {
            const off = model.dayOff(p.id, d);
            return off !== undefined && (type === undefined || off === type);
          }).length,
      );
    const halfYearAgo = addDays(today, -179);
    const lastVacation = (id: string) =>
      input.timeOff
        .filter((o) => o.person_id === id && o.type === 'vacation' && o.start_date <= today)
        .map((o) => (o.end_date < today ? o.end_date : today))
        .sort()
        .at(-1);
    const noRest = team.filter(
      (p) =>
        daysBetween(p.start_date, today) >= 180 &&
        !workingDaysIn(halfYearAgo, today).some((d) => model.dayOff(p.id, d) === 'vacation'),
    );

    const metrics: Record<string, number | null> = {
      headcount: team.length,
      contractors: team.filter((p) => p.employment_type === 'contractor').length,
      joiningSoon: input.people.filter((p) => p.start_date > today).length,
      hiresLast12Months: hires.length,
      departuresLast12Months: departures.length,
      attritionPct: percent(departures.length, avgEmployees),
      // Annual cents summed first, divided by 12 and rounded once.
      monthlyPayroll: centsToUnits(Math.round(sumBy(team, (p) => p.annual_cost_cents) / 12)),
      openRoles: open.length,
      avgOpenRoleAgeDays: open.length > 0 ? round(sumBy(open, daysOpen) / open.length, 1) : null,
      longestOpenRoleDays: longest,
      hiringPlanMonthlyCost: centsToUnits(
        Math.round(sumBy(open, (r) => r.annual_budget_cents) / 12),
      ),
      rolesFilledLast12Months: filled.length,
      avgTimeToHireDays:
        timeToHire.length > 0 ? round(sumBy(timeToHire, (d) => d) / timeToHire.length, 1) : null,
      candidatesApplied: atStage('applied'),
      candidatesScreen: atStage('screen'),
      candidatesInterview: atStage('interview'),
      candidatesOffer: atStage('offer'),
      activeCandidates: pipeline.length,
      enps,
      enpsResponses: latest?.responses ?? null,
      enpsResponseRatePct:
        latest !== undefined
          ? percent(
              latest.responses,
              input.people.filter((p) => isOnTeam(p, latest.surveyDate)).length,
            )
          : null,
      enpsPrevious: previous?.enps ?? null,
      enpsChange,
      enpsSurveyAgeDays: latest !== undefined ? daysBetween(latest.surveyDate, today) : null,
      teamUtilizationPct: teamUtilization,
      maxPersonUtilizationPct: utilizations.length > 0 ? Math.max(...utilizations) : null,
      peopleAtOrAboveUtilizationThreshold: overloaded.length,
      peopleOnOvertime: onOvertime.length,
      overtimeHoursLast4Weeks: teamLoad.logged ? round(teamLoad.overtime, 1) : null,
      onTimeOffToday: hasTimeOff ? team.filter((p) => model.dayOff(p.id, today)).length : null,
      timeOffDaysLast90Days: hasTimeOff ? daysOff(addDays(today, -89), today) : null,
      sickDaysLast90Days: hasTimeOff ? daysOff(addDays(today, -89), today, 'sick') : null,
      timeOffDaysNext30Days: hasTimeOff ? daysOff(addDays(today, 1), addDays(today, 30)) : null,
      peopleWithoutVacation180Days: hasTimeOff ? noRest.length : null,
    };
    for (const p of perPerson) metrics[`utilizationPct.${p.id}`] = p.utilization;

    // --- Alerts ------------------------------------------------------------------------
    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'hr.burnout-risk',
        metric: 'teamUtilizationPct',
        value: teamUtilization,
        op: '>=',
        warning: t.burnout_utilization_pct,
        critical: t.burnout_utilization_critical_pct,
        message: (v, th) =>
          `Delivery team worked ${v}% of its available hours over the last ${LOAD_WEEKS} weeks (threshold ${th}%)` +
          (overloaded.length > 0
            ? `; at or above ${t.burnout_utilization_pct}%: ${overloaded.map((p) => `${p.name} ${p.utilization}%`).join(', ')}`
            : '') +
          `; ${open.length} open roles`,
      }),
      ...checkThreshold({
        id: 'hr.overtime',
        metric: 'peopleOnOvertime',
        value: onOvertime.length,
        op: '>',
        warning: t.overtime_people_max,
        message: (v) =>
          `${count(v, 'person', 'people')} on overtime over the last ${LOAD_WEEKS} weeks: ${onOvertime
            .map(
              (p) =>
                `${p.name} (${round(p.load.actual / LOAD_WEEKS, 1)}h/week worked, ${round(p.avgOvertime, 1)}h/week over available)`,
            )
            .join(', ')}`,
      }),
      ...checkThreshold({
        id: 'hr.role-open-too-long',
        metric: 'longestOpenRoleDays',
        value: longest,
        op: '>',
        warning: t.role_open_days_warning,
        critical: t.role_open_days_critical,
        message: (v, th) => {
          const r = open.find((x) => daysOpen(x) === v);
          return `${r ? r.title : 'A role'} has been open ${v} days (threshold ${th})`;
        },
      }),
      ...checkThreshold({
        id: 'hr.enps-low',
        metric: 'enps',
        value: enps,
        op: '<',
        warning: t.enps_warning,
        critical: t.enps_critical,
        message: (v, th) =>
          `eNPS is ${v} (threshold ${th}) in the ${latest!.surveyDate} pulse (${latest!.responses} responses)` +
          (previous !== undefined
            ? `, ${v >= previous.enps ? 'up' : 'down'} from ${previous.enps}`
            : ''),
      }),
      ...checkThreshold({
        id: 'hr.attrition-high',
        metric: 'attritionPct',
        value: metrics.attritionPct ?? null,
        op: '>',
        warning: t.attrition_warning_pct,
        critical: t.attrition_critical_pct,
        message: (v, th) =>
          `Attrition is ${v}% over the last 12 months (threshold ${th}%): ${departures.map((p) => p.name).join(', ')} left`,
      }),
    ];

    // --- Recommendations -----------------------------------------------------------
    // No moneyAtStakeCents: salaries are cost, not ARR-equivalent revenue.
    const recommendations: TaskInput[] = [...open]
      .sort((a, b) => daysOpen(b) - daysOpen(a) || a.id.localeCompare(b.id))
      .slice(0, MAX_ROLE_TASKS)
      .map((r) => {
        const inRunning = pipeline.filter((c) => c.role_id === r.id).length;
        const stages = ACTIVE_STAGES.map((s) => [s, atStage(s, r.id)] as const)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ');
        return {
          id: `hr.fill-role-${slug(r.id)}`,
          title: `Fill ${r.title} (open ${daysOpen(r)} days)`,
          source: 'hr' as const,
          reason:
            `${r.department} role open since ${r.opened_on}, budget ${formatMoneyShort(r.annual_budget_cents)}/year` +
            `${r.target_start ? `, wanted by ${r.target_start}` : ''}; ` +
            (inRunning > 0
              ? `${count(inRunning, 'candidate')} in the running (${stages}).`
              : 'no candidates in the running.'),
          deadline:
            r.target_start !== undefined && r.target_start >= today
              ? r.target_start
              : addDays(today, 30),
          energyDemand: 'medium' as const,
          tags: ['hiring', slug(r.department)],
        };
      });
    for (const p of onOvertime) {
      const rest = lastVacation(p.id);
      recommendations.push({
        id: `hr.reduce-overtime-${slug(p.id)}`,
        title: `Take load off ${p.name} (${round(p.load.actual / LOAD_WEEKS, 1)}h/week worked)`,
        source: 'hr',
        reason:
          `${p.name} worked ${round(p.load.actual, 1)}h over the last ${LOAD_WEEKS} weeks against ${round(p.load.available, 1)}h available ` +
          `(${p.utilization}%); last vacation ${rest ?? 'not on record'}.`,
        deadline: addDays(today, 7),
        energyDemand: 'medium',
        tags: ['team', 'burnout'],
      });
    }
    if (enps !== null && enps < t.enps_warning && latest !== undefined) {
      recommendations.push({
        id: 'hr.follow-up-enps',
        title: `Follow up on the ${latest.surveyDate} pulse survey (eNPS ${enps})`,
        source: 'hr',
        reason:
          `${count(latest.promoters, 'promoter')} and ${count(latest.detractors, 'detractor')} of ${count(latest.responses, 'response')}` +
          (enpsChange !== null
            ? `; ${enpsChange >= 0 ? '+' : ''}${enpsChange} points since ${previous!.surveyDate}`
            : '') +
          '. Hold 1:1s and share what will change.',
        deadline: addDays(today, 14),
        energyDemand: 'high',
        tags: ['team', 'culture'],
      });
    }

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Team stable: ${team.length} people, ${open.length} open roles, eNPS ${enps ?? '-'}`,
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
