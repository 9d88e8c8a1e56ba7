/**
 * The HR alerts: burnout risk (team utilization), overtime, a role open too long, low
 * eNPS and high attrition. Pure: the figures and thresholds in.
 */
import { subjectKey, type Alert } from '../../contract/report.js';
import { round } from '../../shared/numbers.js';
import { checkThreshold } from '../thresholds.js';
import { count } from './format.js';
import { daysOpen, type HrFigures } from './metrics.js';
import { LOAD_WEEKS, type HrThresholds } from './settings.js';

/** The alerts, each about `subject` when there is one (a task on the subject explains them). */
const about = (alerts: Alert[], subject: string | undefined): Alert[] =>
  subject === undefined ? alerts : alerts.map((a) => ({ ...a, subject }));

export function hrAlerts(f: HrFigures, t: HrThresholds): Alert[] {
  return [...loadAlerts(f, t), ...hiringAlerts(f, t), ...cultureAlerts(f, t)];
}

/** Burnout risk and overtime, from actual hours over the last LOAD_WEEKS weeks. */
function loadAlerts(f: HrFigures, t: HrThresholds): Alert[] {
  return [
    ...checkThreshold({
      id: 'hr.burnout-risk',
      metric: 'teamUtilizationPct',
      value: f.teamUtilization,
      op: '>=',
      warning: t.burnout_utilization_pct,
      critical: t.burnout_utilization_critical_pct,
      message: (v, th) =>
        `Delivery team worked ${v}% of its available hours over the last ${LOAD_WEEKS} weeks (threshold ${th}%)` +
        (f.overloaded.length > 0
          ? `; at or above ${t.burnout_utilization_pct}%: ${f.overloaded.map((p) => `${p.name} ${p.utilization}%`).join(', ')}`
          : '') +
        `; ${f.openRoles.length} open roles`,
    }),
    ...about(
      checkThreshold({
        id: 'hr.overtime',
        metric: 'peopleOnOvertime',
        value: f.onOvertime.length,
        op: '>',
        warning: t.overtime_people_max,
        message: (v) =>
          `${count(v, 'person', 'people')} on overtime over the last ${LOAD_WEEKS} weeks: ${f.onOvertime
            .map(
              (p) =>
                `${p.name} (${round(p.load.actual / LOAD_WEEKS, 1)}h/week worked, ${round(p.avgOvertime, 1)}h/week over available)`,
            )
            .join(', ')}`,
      }),
      f.onOvertime.length === 1 ? subjectKey('person', f.onOvertime[0]!.name) : undefined,
    ),
  ];
}

function hiringAlerts(f: HrFigures, t: HrThresholds): Alert[] {
  const longest = f.metrics.longestOpenRoleDays ?? null;
  const role = f.openRoles.find((x) => daysOpen(x, f.today) === longest);
  const alerts = checkThreshold({
    id: 'hr.role-open-too-long',
    metric: 'longestOpenRoleDays',
    value: f.metrics.longestOpenRoleDays ?? null,
    op: '>',
    warning: t.role_open_days_warning,
    critical: t.role_open_days_critical,
    message: (v, th) => {
      const r = f.openRoles.find((x) => daysOpen(x, f.today) === v);
      return `${r ? r.title : 'A role'} has been open ${v} days (threshold ${th})`;
    },
  });
  return about(alerts, role ? subjectKey('role', role.title) : undefined);
}

/** Low eNPS in the latest pulse survey and high attrition over the trailing year. */
function cultureAlerts(f: HrFigures, t: HrThresholds): Alert[] {
  const latest = f.latestSurvey;
  const previous = f.previousSurvey;
  return [
    ...checkThreshold({
      id: 'hr.enps-low',
      metric: 'enps',
      value: f.metrics.enps ?? null,
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
      value: f.metrics.attritionPct ?? null,
      op: '>',
      warning: t.attrition_warning_pct,
      critical: t.attrition_critical_pct,
      message: (v, th) =>
        `Attrition is ${v}% over the last 12 months (threshold ${th}%): ${f.departures.map((p) => p.name).join(', ')} left`,
    }),
  ];
}
