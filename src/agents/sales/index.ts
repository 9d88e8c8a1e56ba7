/**
 * Sales: the CRM pipeline report. Open and weighted pipeline, deals and value by stage,
 * stage-to-stage conversion and time in stage (from the stage history), win rate with
 * its trend, average deal size and sales cycle, sales velocity, coverage of the
 * quarter's target, deals closing soon, overdue and stalled deals.
 * Formulas, units and thresholds: docs/metrics.md#sales.
 */
import { defineAgent } from '../../contract/agent.js';
import { salesAlerts } from './alerts.js';
import { salesHealth } from './health.js';
import { SalesInput } from './input.js';
import { salesMetrics } from './metrics.js';
import { salesTasks } from './tasks.js';

export * from './settings.js';
export * from './input.js';
export * from './stages.js';
export * from './metrics.js';
export * from './alerts.js';
export * from './tasks.js';
export * from './health.js';
export type { Deal, StageEntry } from '../../contract/datasets/sales.js';

export const salesAgent = defineAgent({
  name: 'sales',
  title: 'Sales',
  datasets: {
    deals: { file: 'deals.csv', format: 'csv' },
    stageHistory: { file: 'deal_stage_history.csv', format: 'csv', optional: true },
    company: { file: 'company.yaml', format: 'yaml', optional: true },
    settings: { file: 'sales.yaml', format: 'yaml', optional: true },
  },
  input: SalesInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const figures = salesMetrics(input, ctx);
    const alerts = salesAlerts(figures, t, ctx.currency);
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics: figures.metrics,
      alerts,
      recommendations: salesTasks(figures, alerts, t, ctx.currency),
      ...salesHealth(figures, alerts, ctx.currency),
    };
  },
});
