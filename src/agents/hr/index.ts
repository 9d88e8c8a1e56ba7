/**
 * HR: the roster, hiring (open roles, candidates, time to hire), attrition, eNPS pulse
 * surveys, and the team's load from the shared team data (src/agents/team):
 * per-person utilization, overtime and time off. Formulas, units and thresholds:
 * docs/metrics/hr.md.
 */
import { defineAgent } from '../../contract/agent.js';
import { teamDatasets } from '../team/index.js';
import { hrAlerts } from './alerts.js';
import { hrHealth } from './health.js';
import { HrInput } from './input.js';
import { hrMetrics } from './metrics.js';
import { hrTasks } from './tasks.js';

export * from './settings.js';
export * from './input.js';
export * from './enps.js';
export * from './metrics.js';
export * from './alerts.js';
export * from './tasks.js';
export * from './health.js';
export { isOnTeam } from '../team/index.js';
export { EMPLOYMENT_TYPES } from '../../contract/datasets/team.js';
export {
  ACTIVE_CANDIDATE_STAGES as ACTIVE_STAGES,
  CANDIDATE_STAGES,
  ROLE_STATUSES,
  type Candidate,
  type PulseResponse,
  type Role,
} from '../../contract/datasets/hr.js';

export const hrAgent = defineAgent({
  name: 'hr',
  title: 'HR',
  datasets: {
    ...teamDatasets(false),
    roles: { file: 'roles.csv', format: 'csv' },
    candidates: { file: 'candidates.csv', format: 'csv', optional: true },
    pulse: { file: 'pulse.csv', format: 'csv', optional: true },
    settings: { file: 'hr.yaml', format: 'yaml', optional: true },
  },
  input: HrInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const figures = hrMetrics(input, ctx);
    const alerts = hrAlerts(figures, t);
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics: figures.metrics,
      alerts,
      recommendations: hrTasks(figures, input.timeOff, t, ctx.currency),
      ...hrHealth(figures, alerts),
    };
  },
});
