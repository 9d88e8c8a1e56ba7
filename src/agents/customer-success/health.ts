/** Customer-success health: the shared recipe over the alerts, with a line when none fired. */
import type { Alert } from '../../contract/report.js';
import { healthFromAlerts } from '../thresholds.js';
import type { CustomerSuccessFigures } from './metrics.js';

export function customerSuccessHealth(
  f: CustomerSuccessFigures,
  alerts: readonly Alert[],
): { health: number; healthReason: string } {
  const n = f.atRisk.length;
  return healthFromAlerts(
    alerts,
    `Customers healthy: NPS ${f.nps.nps ?? '-'}, ${n} at-risk account${n === 1 ? '' : 's'}, GRR ${f.metrics.grrPct ?? '-'}% this month`,
  );
}
