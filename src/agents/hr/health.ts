/** The HR department's health: the shared recipe over its alerts. */
import type { Alert } from '../../contract/report.js';
import { healthFromAlerts } from '../thresholds.js';
import type { HrFigures } from './metrics.js';

export function hrHealth(f: HrFigures, alerts: readonly Alert[]) {
  return healthFromAlerts(
    alerts,
    `Team stable: ${f.team.length} people, ${f.openRoles.length} open roles, eNPS ${f.metrics.enps ?? '-'}`,
  );
}
