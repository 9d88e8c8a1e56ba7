/** The operations department's health: the shared recipe over its alerts. */
import type { Alert } from '../../contract/report.js';
import { healthFromAlerts } from '../thresholds.js';
import type { OperationsFigures } from './metrics.js';

export function operationsHealth(f: OperationsFigures, alerts: readonly Alert[]) {
  return healthFromAlerts(
    alerts,
    `Delivery on track: ${f.projects.active.length} active projects, team ${f.capacity.utilization ?? '-'}% allocated this week`,
  );
}
