/**
 * The operations alerts: late and at-risk projects (with their reasons) and an
 * overloaded delivery team this week. Pure: the figures and thresholds in.
 */
import type { Alert } from '../../contract/report.js';
import { checkThreshold } from '../thresholds.js';
import { formatHours } from './format.js';
import type { OperationsFigures } from './metrics.js';
import type { ProjectAssessment } from './projects.js';
import { CAPACITY_WEEKS, type OperationsThresholds } from './settings.js';

/** "Name (reason; reason)" of one assessed project. */
const detail = (a: ProjectAssessment) => `${a.project.name} (${a.reasons.join('; ')})`;

export function operationsAlerts(f: OperationsFigures, t: OperationsThresholds): Alert[] {
  const { active, late, atRisk } = f.projects;
  const { now, ahead, utilization } = f.capacity;
  return [
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
        `Delivery team is ${v}% allocated this week (threshold ${th}%): ${formatHours(now.planned)} of ${formatHours(now.available)}, ${formatHours(now.free)} free this week and ${formatHours(ahead.free)} over the next ${CAPACITY_WEEKS} weeks`,
    }),
  ];
}
