/**
 * The contract's plain enumerations: `as const` lists with no dependency at all, so
 * workflow code (which must stay free of zod) can import them as values. The zod
 * schemas in report.ts and briefing.ts are built from these lists.
 */

export const AGENT_NAMES = [
  'finance',
  'sales',
  'operations',
  'marketing',
  'hr',
  'customer-success',
] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const REPORT_STATUSES = ['ok', 'stale', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const ENERGY_LEVELS = ['low', 'medium', 'high'] as const;
export type EnergyDemand = (typeof ENERGY_LEVELS)[number];

export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

export const AGENT_TITLES: Record<AgentName, string> = {
  finance: 'Finance',
  sales: 'Sales',
  operations: 'Operations',
  marketing: 'Marketing',
  hr: 'HR',
  'customer-success': 'Customer success',
};
