/** Finance health: the shared recipe over the alerts, with a finance line when none fired. */
import type { Alert } from '../../contract/report.js';
import { formatMoney, type CurrencyCode } from '../../shared/money.js';
import { healthFromAlerts } from '../thresholds.js';
import type { FinanceFigures } from './metrics.js';

export function financeHealth(
  f: FinanceFigures,
  alerts: readonly Alert[],
  currency?: CurrencyCode,
): { health: number; healthReason: string } {
  const runway = f.runwayMonths === null ? 'not limited (not burning)' : `${f.runwayMonths} months`;
  return healthFromAlerts(
    alerts,
    `Finance within thresholds: MRR ${formatMoney(f.mrrCents, currency)} (net new ${formatMoney(f.mtd.netNewCents, currency)} this month), runway ${runway}`,
  );
}
