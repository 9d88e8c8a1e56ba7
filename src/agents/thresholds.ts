/**
 * Alert rules on thresholds and the shared health recipe of the agents.
 */
import type { Alert, Severity } from '../contract/report.js';
import { sumBy } from '../shared/numbers.js';

export type Comparison = '>' | '>=' | '<' | '<=';

function crosses(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/**
 * One alert rule on one metric: critical when `value op critical`, else warning when
 * `value op warning`, else nothing. A null value never fires. `threshold` in the alert
 * is the threshold that was crossed.
 */
export function checkThreshold(rule: {
  id: string;
  metric: string;
  value: number | null;
  op: Comparison;
  warning?: number;
  critical?: number;
  message: (value: number, threshold: number, severity: Severity) => string;
}): Alert[] {
  const { value } = rule;
  if (value === null) return [];
  for (const severity of ['critical', 'warning'] as const) {
    const threshold = rule[severity];
    if (threshold !== undefined && crosses(value, rule.op, threshold)) {
      return [
        {
          id: rule.id,
          severity,
          message: rule.message(value, threshold, severity),
          metric: rule.metric,
          value,
          threshold,
        },
      ];
    }
  }
  return [];
}

/** Health points lost per alert, by severity. */
export const HEALTH_PENALTY: Record<Severity, number> = { critical: 40, warning: 20, info: 5 };

/**
 * The shared health recipe: 100 minus 40 per critical, 20 per warning and 5 per info
 * alert, floored at 0. The reason names the worst alert, or `okReason` when none fired.
 */
export function healthFromAlerts(
  alerts: readonly Alert[],
  okReason: string,
): { health: number; healthReason: string } {
  const health = Math.max(0, 100 - sumBy(alerts, (a) => HEALTH_PENALTY[a.severity]));
  if (alerts.length === 0) return { health, healthReason: okReason };
  const order: Severity[] = ['critical', 'warning', 'info'];
  const worst = [...alerts].sort(
    (a, b) => order.indexOf(a.severity) - order.indexOf(b.severity),
  )[0]!;
  const counts = order
    .map((s) => [s, alerts.filter((a) => a.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s === 'warning' && n > 1 ? 'warnings' : s}`)
    .join(', ');
  return { health, healthReason: `${counts}: ${worst.message}` };
}
