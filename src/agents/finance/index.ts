/**
 * Finance: recurring revenue and its movements, cash, burn, runway, gross margin and
 * LTV (metrics.ts), alerts on their thresholds (alerts.ts), recommended tasks
 * (tasks.ts) and health (health.ts). Formulas, units, periods and thresholds:
 * docs/metrics.md#finance.
 */
import { z } from 'zod';
import { defineAgent } from '../../contract/agent.js';
import { CashflowRows, SubscriptionRows } from '../../contract/datasets/finance.js';
import { financeAlerts } from './alerts.js';
import { financeHealth } from './health.js';
import { financeMetrics } from './metrics.js';
import { FinanceSettings } from './settings.js';
import { financeTasks } from './tasks.js';

export { BURN_MONTHS, FINANCE_THRESHOLDS, MAX_WIN_BACK_TASKS } from './settings.js';
export { productRatioRound } from './metrics.js';

export const FinanceInput = z.object({
  subscriptions: SubscriptionRows,
  cashflow: CashflowRows,
  settings: FinanceSettings,
});
export type FinanceInput = z.output<typeof FinanceInput>;

export const financeAgent = defineAgent({
  name: 'finance',
  title: 'Finance',
  datasets: {
    subscriptions: { file: 'subscriptions.csv', format: 'csv' },
    cashflow: { file: 'cashflow.csv', format: 'csv' },
    settings: { file: 'finance.yaml', format: 'yaml', optional: true },
  },
  input: FinanceInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const figures = financeMetrics(input, ctx);
    const alerts = financeAlerts(figures, t, ctx.currency);
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics: figures.metrics,
      alerts,
      recommendations: financeTasks(figures, input.subscriptions, alerts, t, ctx),
      ...financeHealth(figures, alerts, ctx.currency),
    };
  },
});
