/**
 * Operations: delivery projects (schedule, budget, milestones, blockers) and the
 * delivery team's capacity from the shared team data (src/agents/team). Formulas,
 * units, thresholds and the project health rule: docs/metrics/operations.md.
 */
import { defineAgent } from '../../contract/agent.js';
import { teamDatasets } from '../team/index.js';
import { operationsAlerts } from './alerts.js';
import { operationsHealth } from './health.js';
import { OperationsInput } from './input.js';
import { operationsMetrics } from './metrics.js';
import { operationsTasks } from './tasks.js';

export * from './settings.js';
export * from './input.js';
export * from './projects.js';
export * from './metrics.js';
export * from './alerts.js';
export * from './tasks.js';
export * from './health.js';
export {
  PROJECT_STATUSES,
  type Blocker,
  type Milestone,
  type Project,
} from '../../contract/datasets/operations.js';

export const operationsAgent = defineAgent({
  name: 'operations',
  title: 'Operations',
  datasets: {
    projects: { file: 'projects.csv', format: 'csv' },
    milestones: { file: 'milestones.csv', format: 'csv', optional: true },
    blockers: { file: 'blockers.csv', format: 'csv', optional: true },
    ...teamDatasets(true),
    settings: { file: 'operations.yaml', format: 'yaml', optional: true },
  },
  input: OperationsInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const figures = operationsMetrics(input, ctx);
    const alerts = operationsAlerts(figures, t);
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics: figures.metrics,
      alerts,
      recommendations: operationsTasks(figures, input.allocations, t),
      ...operationsHealth(figures, alerts),
    };
  },
});
