/** Marketing health: the shared recipe over the alerts, with a line when none fired. */
import type { Alert } from '../../contract/report.js';
import { formatMoney, type CurrencyCode } from '../../shared/money.js';
import { healthFromAlerts } from '../thresholds.js';
import type { MarketingFigures } from './metrics.js';

export function marketingHealth(
  f: MarketingFigures,
  alerts: readonly Alert[],
  currency?: CurrencyCode,
): { health: number; healthReason: string } {
  const { cur } = f;
  const cac = cur.cacCents === null ? '-' : formatMoney(cur.cacCents, currency);
  return healthFromAlerts(
    alerts,
    `Marketing steady in ${f.period}: ${cur.leads} leads, ${cur.newCustomers} new customers, CAC ${cac}`,
  );
}
