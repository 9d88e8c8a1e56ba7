/** Customer-success health: the shared recipe over the alerts, with a line when none fired. */
import type { Alert } from '../../contract/report.js';
import { healthFromAlerts } from '../thresholds.js';
import type { CustomerSuccessFigures } from './metrics.js';

export function customerSuccessHealth(
  f: CustomerSuccessFigures,
  alerts: readonly Alert[],
): { health: number; healthReason: string } {
  return healthFromAlerts(alerts, calmLine(f));
}

/**
 * The line when no alert fired. A figure that cannot be computed says why in words
 * ("no NPS responses"), never as a placeholder ("GRR -%").
 */
function calmLine(f: CustomerSuccessFigures): string {
  const nps = f.nps.nps;
  const grr = f.metrics.grrPct ?? null;
  if (f.risks.length === 0 && nps === null && grr === null) {
    return 'No customers yet: no accounts, NPS responses or revenue at the start of the month to judge';
  }
  const n = f.atRisk.length;
  return [
    `Customers healthy: ${nps === null ? 'no NPS responses' : `NPS ${nps}`}`,
    `${n} at-risk account${n === 1 ? '' : 's'}`,
    grr === null ? 'no GRR this month (no revenue at its start)' : `GRR ${grr}% this month`,
  ].join(', ');
}
