/**
 * Customer success: NPS and its trend, customer churn and revenue retention, a churn-risk
 * score per paying account, at-risk ARR and renewals (metrics.ts, nps.ts, risk.ts),
 * alerts on their thresholds (alerts.ts), "save account" tasks (tasks.ts) and health
 * (health.ts). Formulas, units, periods and thresholds: docs/metrics.md#customer-success.
 */
import { z } from 'zod';
import { defineAgent } from '../../contract/agent.js';
import { AccountRows, NpsRows } from '../../contract/datasets/customer-success.js';
import { SubscriptionRows } from '../../contract/datasets/finance.js';
import { customerSuccessAlerts } from './alerts.js';
import { customerSuccessHealth } from './health.js';
import { customerSuccessMetrics } from './metrics.js';
import { CustomerSuccessSettings } from './settings.js';
import { saveAccountTasks } from './tasks.js';

export { CUSTOMER_SUCCESS_THRESHOLDS, MAX_ACCOUNT_TASKS } from './settings.js';
export { netPromoterScore } from './nps.js';
export { RISK_SIGNALS, scoreAccount, type AccountRisk, type RiskSignal } from './risk.js';

export const CustomerSuccessInput = z.object({
  accounts: AccountRows,
  nps: NpsRows,
  subscriptions: SubscriptionRows,
  settings: CustomerSuccessSettings,
});
export type CustomerSuccessInput = z.output<typeof CustomerSuccessInput>;

export const customerSuccessAgent = defineAgent({
  name: 'customer-success',
  title: 'Customer success',
  datasets: {
    accounts: { file: 'accounts.csv', format: 'csv' },
    nps: { file: 'nps.csv', format: 'csv', optional: true },
    subscriptions: { file: 'subscriptions.csv', format: 'csv' },
    settings: { file: 'customer-success.yaml', format: 'yaml', optional: true },
  },
  input: CustomerSuccessInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const figures = customerSuccessMetrics(input, t, ctx);
    const alerts = customerSuccessAlerts(figures, t, ctx.currency);
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics: figures.metrics,
      alerts,
      recommendations: saveAccountTasks(figures.atRisk, t, ctx),
      ...customerSuccessHealth(figures, alerts),
    };
  },
});
