/**
 * Marketing: the funnel per channel, CAC, ROI and content performance of the last
 * complete month against the month before (metrics.ts), alerts on their thresholds
 * (alerts.ts), channel and lead-flow tasks (tasks.ts) and health (health.ts). Formulas,
 * units and thresholds: docs/metrics.md#marketing.
 */
import { z } from 'zod';
import { defineAgent } from '../../contract/agent.js';
import { CampaignRows, ContentRows } from '../../contract/datasets/marketing.js';
import { marketingAlerts } from './alerts.js';
import { marketingHealth } from './health.js';
import { marketingMetrics } from './metrics.js';
import { MarketingSettings } from './settings.js';
import { marketingTasks } from './tasks.js';

export { MARKETING_THRESHOLDS } from './settings.js';
export { funnel, type Funnel } from './metrics.js';

export const MarketingInput = z.object({
  campaigns: CampaignRows,
  content: ContentRows.default([]),
  settings: MarketingSettings,
});
export type MarketingInput = z.output<typeof MarketingInput>;

export const marketingAgent = defineAgent({
  name: 'marketing',
  title: 'Marketing',
  datasets: {
    campaigns: { file: 'campaigns.csv', format: 'csv' },
    content: { file: 'content.csv', format: 'csv', optional: true },
    settings: { file: 'marketing.yaml', format: 'yaml', optional: true },
  },
  input: MarketingInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const figures = marketingMetrics(input, ctx);
    const alerts = marketingAlerts(figures, t, ctx.currency);
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics: figures.metrics,
      alerts,
      recommendations: marketingTasks(figures, alerts, t, ctx),
      ...marketingHealth(figures, alerts, ctx.currency),
    };
  },
});
