/**
 * The contract every layer imports: the agent report, the briefing, the datasets' row
 * schemas and the enums. Depends on zod alone (enums.ts on nothing).
 */
// The zod schemas of report.ts carry the enums' types under the same names.
export {
  AGENT_TITLES,
  BREAKER_STATES,
  ENERGY_LEVELS,
  REPORT_STATUSES,
  SEVERITIES,
  type BreakerState,
} from './enums.js';
export * from './report.js';
export * from './briefing.js';
export * from './agent.js';
export * from './fields.js';
export * from './datasets/sales.js';
export * from './datasets/marketing.js';
export * from './datasets/operations.js';
export * from './datasets/hr.js';
export * from './datasets/team.js';
export * from './datasets/finance.js';
export * from './resilience.js';
export * from './datasets/customer-success.js';
export * from './portfolio.js';
