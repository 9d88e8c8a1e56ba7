/**
 * The HR recommendations: fill the longest-open roles, take load off the people on
 * overtime, follow up a low eNPS. No moneyAtStakeCents: salaries are cost, not
 * ARR-equivalent revenue. Pure: the figures, time off and thresholds in; money is
 * written in the company's currency.
 */
import { ACTIVE_CANDIDATE_STAGES, type Role } from '../../contract/datasets/hr.js';
import type { TimeOff } from '../../contract/datasets/team.js';
import { subjectKey, type TaskInput } from '../../contract/report.js';
import { addDays } from '../../shared/dates.js';
import { formatMoneyShort, type CurrencyCode } from '../../shared/money.js';
import { round } from '../../shared/numbers.js';
import { slug } from '../../shared/text.js';
import { count } from './format.js';
import { daysOpen, type HrFigures, type PersonLoad } from './metrics.js';
import { LOAD_WEEKS, type HrThresholds } from './settings.js';

/** At most this many "fill role" recommendations (longest open first). */
export const MAX_ROLE_TASKS = 5;

export function hrTasks(
  f: HrFigures,
  timeOff: readonly TimeOff[],
  t: HrThresholds,
  currency?: CurrencyCode,
): TaskInput[] {
  const age = (r: Role) => daysOpen(r, f.today);
  return [
    ...[...f.openRoles]
      .sort((a, b) => age(b) - age(a) || a.id.localeCompare(b.id))
      .slice(0, MAX_ROLE_TASKS)
      .map((r) => fillRoleTask(r, f, currency)),
    ...f.onOvertime.map((p) =>
      reduceOvertimeTask(p, lastVacation(timeOff, p.id, f.today), f.today),
    ),
    ...followUpEnpsTask(f, t),
  ];
}

function fillRoleTask(r: Role, f: HrFigures, currency?: CurrencyCode): TaskInput {
  const candidates = f.pipeline.filter((c) => c.role_id === r.id);
  const stages = ACTIVE_CANDIDATE_STAGES.map(
    (s) => [s, candidates.filter((c) => c.stage === s).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return {
    id: `hr.fill-role-${slug(r.id)}`,
    title: `Fill ${r.title} (open ${daysOpen(r, f.today)} days)`,
    source: 'hr',
    subject: subjectKey('role', r.title),
    reason:
      `${r.department} role open since ${r.opened_on}, budget ${formatMoneyShort(r.annual_budget_cents, currency)}/year` +
      `${r.target_start ? `, wanted by ${r.target_start}` : ''}; ` +
      (candidates.length > 0
        ? `${count(candidates.length, 'candidate')} in the running (${stages}).`
        : 'no candidates in the running.'),
    deadline:
      r.target_start !== undefined && r.target_start >= f.today
        ? r.target_start
        : addDays(f.today, 30),
    energyDemand: 'medium',
    tags: ['hiring', slug(r.department)],
  };
}

/** The last day of vacation a person took up to `today`, if any. */
export function lastVacation(
  timeOff: readonly TimeOff[],
  personId: string,
  today: string,
): string | undefined {
  return timeOff
    .filter((o) => o.person_id === personId && o.type === 'vacation' && o.start_date <= today)
    .map((o) => (o.end_date < today ? o.end_date : today))
    .sort()
    .at(-1);
}

function reduceOvertimeTask(p: PersonLoad, rest: string | undefined, today: string): TaskInput {
  return {
    id: `hr.reduce-overtime-${slug(p.id)}`,
    title: `Take load off ${p.name} (${round(p.load.actual / LOAD_WEEKS, 1)}h/week worked)`,
    source: 'hr',
    subject: subjectKey('person', p.name),
    reason:
      `${p.name} worked ${round(p.load.actual, 1)}h over the last ${LOAD_WEEKS} weeks against ${round(p.load.available, 1)}h available ` +
      `(${p.utilization}%); last vacation ${rest ?? 'not on record'}.`,
    deadline: addDays(today, 7),
    energyDemand: 'medium',
    tags: ['team', 'burnout'],
  };
}

/** When the latest eNPS is below the warning. */
function followUpEnpsTask(f: HrFigures, t: HrThresholds): TaskInput[] {
  const latest = f.latestSurvey;
  if (latest === undefined || latest.enps >= t.enps_warning) return [];
  return [
    {
      id: 'hr.follow-up-enps',
      title: `Follow up on the ${latest.surveyDate} pulse survey (eNPS ${latest.enps})`,
      source: 'hr',
      reason:
        `${count(latest.promoters, 'promoter')} and ${count(latest.detractors, 'detractor')} of ${count(latest.responses, 'response')}` +
        (f.enpsChange !== null
          ? `; ${f.enpsChange >= 0 ? '+' : ''}${f.enpsChange} points since ${f.previousSurvey!.surveyDate}`
          : '') +
        '. Hold 1:1s and share what will change.',
      deadline: addDays(f.today, 14),
      energyDemand: 'high',
      tags: ['team', 'culture'],
    },
  ];
}
