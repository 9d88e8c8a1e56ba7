/** The sales department's health: the shared recipe over its alerts. */
import type { Alert } from '../../contract/report.js';
import { formatMoney, type CurrencyCode } from '../../shared/money.js';
import { healthFromAlerts } from '../thresholds.js';
import type { SalesFigures } from './metrics.js';

export function salesHealth(f: SalesFigures, alerts: readonly Alert[], currency?: CurrencyCode) {
  return healthFromAlerts(
    alerts,
    `Pipeline healthy: ${f.open.length} open deals worth ${formatMoney(f.pipelineCents, currency)}, none stalled`,
  );
}
