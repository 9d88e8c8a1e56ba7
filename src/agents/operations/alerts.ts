/**
 * The operations alerts: late and at-risk projects (with their reasons) and an
 * overloaded delivery team this week. Pure: the figures and thresholds in.
 */
import { DELIVERY_CAPACITY_SUBJECT, subjectKey, type Alert } from '../../contract/report.js';
import { checkThreshold } from '../thresholds.js';
import { formatHours } from './format.js';
import type { OperationsFigures } from './metrics.js';
import type { ProjectAssessment } from './projects.js';
import { CAPACITY_WEEKS, type OperationsThresholds } from './settings.js';

/** "Name (reason; reason)" of one assessed project. */
const detail = (a: ProjectAssessment) => `${a.project.name} (${a.reasons.join('; ')})`;

/** The project an alert is about, when it names exactly one. */
const onlyProject = (list: readonly ProjectAssessment[]) =>
  list.length === 1 ? subjectKey('project', list[0]!.project.name) : undefined;

/** The alerts, each about `subject` when there is one (a task on the subject explains them). */
const about = (alerts: Alert[], subject: string | undefined): Alert[] =>
  subject === undefined ? alerts : alerts.map((a) => ({ ...a, subject }));

export function operationsAlerts(f: OperationsFigures, t: OperationsThresholds): Alert[] {
  const { active, late, atRisk } = f.projects;
  const { now, ahead, utilization } = f.capacity;
  return [
    ...about(
      checkThreshold({
        id: 'operations.projects-late',
        metric: 'projectsLate',
        value: late.length,
        op: '>',
        warning: t.projects_late_max,
        message: (v) =>
          `${v} of ${active.length} active projects late: ${late.map(detail).join('; ')}`,
      }),
      onlyProject(late),
    ),
    ...about(
      checkThreshold({
        id: 'operations.projects-at-risk',
        metric: 'projectsAtRisk',
        value: atRisk.length,
        op: '>',
        warning: t.projects_at_risk_max,
        message: (v) =>
          `${v} of ${active.length} active projects at risk: ${atRisk.map(detail).join('; ')}`,
      }),
      onlyProject(atRisk),
    ),
    ...about(
      checkThreshold({
        id: 'operations.team-overloaded',
        metric: 'utilization',
        value: utilization,
        op: '>=',
        warning: t.utilization_warning_pct,
        critical: t.utilization_critical_pct,
        message: (v, th) =>
          `Delivery team is ${v}% allocated this week (threshold ${th}%): ${formatHours(now.planned)} of ${formatHours(now.available)}, ${formatHours(now.free)} free this week and ${formatHours(ahead.free)} over the next ${CAPACITY_WEEKS} weeks`,
      }),
      DELIVERY_CAPACITY_SUBJECT,
    ),
  ];
}
