/**
 * What the worker, the client and the tests share about the briefing workflow: its
 * task queue, ids, input and output, and the progress query. Safe to import from
 * workflow code (no I/O).
 */
import { defineQuery } from '@temporalio/workflow';
import type { AgentName, EnergyDemand, ReportStatus } from '../agents/contract.js';

export const DEFAULT_TASK_QUEUE = 'boardroom';

export const WORKFLOW_TYPE = 'dailyBriefingWorkflow';

/** Manual runs: unique per start. Scheduled runs get the schedule's id plus a timestamp. */
export function manualWorkflowId(companyId: string, at: Date): string {
  return `briefing-${companyId}-${at.toISOString().replace(/[:.]/g, '-')}`;
}

export function scheduleId(companyId: string): string {
  return `boardroom-daily-${companyId}`;
}

/** Prefix of the workflow ids the schedule starts (Temporal appends the time). */
export function scheduledWorkflowIdPrefix(companyId: string): string {
  return `briefing-${companyId}-scheduled`;
}

export const AGENT_ACTIVITY_PREFIX = 'agent:';

export function agentActivityId(agent: AgentName): string {
  return `${AGENT_ACTIVITY_PREFIX}${agent}`;
}

export interface AgentActivityOptions {
  startToCloseTimeoutMs: number;
  heartbeatTimeoutMs: number;
  maxAttempts: number;
  initialRetryMs: number;
}

export interface DailyBriefingInput {
  companyId: string;
  trigger: 'schedule' | 'manual';
  /** IANA zone the briefing date is computed in. */
  timeZone: string;
  /** Omitted: the workflow's defaults (3 attempts, exponential backoff). */
  agentActivity?: Partial<AgentActivityOptions>;
  /** The founder's energy today (`boardroom run --energy`); else founder.yaml or a default. */
  energy?: EnergyDemand;
}

export interface DailyBriefingResult {
  workflowId: string;
  briefingId: number;
  briefingDate: string;
  health: number;
  /** False when the briefing had already been saved by an earlier attempt. */
  created: boolean;
  agents: Record<AgentName, { status: ReportStatus; attempts: number }>;
}

export type AgentPhase = 'pending' | 'running' | 'done' | 'failed' | 'stale';

export interface AgentProgress {
  phase: AgentPhase;
  attempts?: number;
  error?: string;
}

export interface BriefingProgress {
  step: 'agents' | 'composing' | 'saving' | 'done';
  briefingDate: string;
  agents: Record<AgentName, AgentProgress>;
}

export const progressQuery = defineQuery<BriefingProgress>('progress');
