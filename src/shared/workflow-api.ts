/**
 * What the worker, the client and the tests share about the briefing workflow: its
 * task queue, ids, input and output, and the progress query. Safe to import from
 * workflow code (no I/O).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery } from '@temporalio/workflow';
import type { ChannelName } from '../contract/delivery.js';
import type { AgentName, EnergyDemand, ReportStatus } from '../contract/enums.js';

/** The task queue workers poll and clients start runs on (TEMPORAL_TASK_QUEUE). */
export const DEFAULT_TASK_QUEUE = 'boardroom';

export const WORKFLOW_TYPE = 'dailyBriefingWorkflow';

/**
 * Manual runs: unique per start, readable by time. The random suffix keeps two runs
 * started in the same millisecond (twenty `boardroom run`s at once) apart. Client code
 * only: workflows must not call it (it draws random bytes).
 */
export function manualWorkflowId(companyId: string, at: Date, suffix = randomSuffix()): string {
  return `briefing-${companyId}-${at.toISOString().replace(/[:.]/g, '-')}-${suffix}`;
}

/** 8 hex characters from the platform's CSPRNG (Node's global `crypto`). */
function randomSuffix(): string {
  const bytes = new Uint8Array(4);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A backfilled day's run: one id per company and day, so a second backfill (or two at
 * once) cannot start the day twice.
 */
export function backfillWorkflowId(companyId: string, date: string): string {
  return `briefing-${companyId}-backfill-${date}`;
}

/** Scheduled runs get the schedule's id plus a timestamp (Temporal appends the time). */

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

/** How each agent activity is run and retried. */
export interface AgentActivityOptions {
  /**
   * One attempt's limit (BOARDROOM_AGENT_TIMEOUT_MS).
   * @default 120_000
   */
  startToCloseTimeoutMs: number;
  /**
   * A silent attempt is failed after this long (BOARDROOM_AGENT_HEARTBEAT_MS).
   * @default 10_000
   */
  heartbeatTimeoutMs: number;
  /**
   * Attempts before the agent falls back to its last good report (BOARDROOM_AGENT_MAX_ATTEMPTS).
   * @default 3
   */
  maxAttempts: number;
  /**
   * Delay before the second attempt; doubles each time (BOARDROOM_AGENT_RETRY_INITIAL_MS).
   * @default 1_000
   */
  initialRetryMs: number;
}

/** The defaults of `AgentActivityOptions`, written once: config and workflow read them. */
export const DEFAULT_AGENT_ACTIVITY: Readonly<AgentActivityOptions> = {
  startToCloseTimeoutMs: 120_000,
  heartbeatTimeoutMs: 10_000,
  maxAttempts: 3,
  initialRetryMs: 1_000,
};

export interface DailyBriefingInput {
  companyId: string;
  /** `backfill`: a past day's briefing (`boardroom backfill`, the demo's first history). */
  trigger: 'schedule' | 'manual' | 'backfill';
  /**
   * ISO time the briefing describes, for a backfilled day. Omitted: a scheduled run's
   * scheduled time (TemporalScheduledStartTime), else the run's start.
   */
  asOf?: string;
  /** IANA zone the briefing date is computed in. */
  timeZone: string;
  /** Omitted: the workflow's defaults (3 attempts, exponential backoff). */
  agentActivity?: Partial<AgentActivityOptions>;
  /** The founder's energy today (`boardroom run --energy`); else founder.yaml or a default. */
  energy?: EnergyDemand;
  /** Bypass the API sources' cache (`boardroom run --fresh`). */
  fresh?: boolean;
  /**
   * Upsert the run's search attributes (BOARDROOM_SEARCH_ATTRIBUTES). Only when true:
   * on a namespace that lacks them an upsert fails the workflow task, so the caller sets
   * it after checking (`namespaceHasSearchAttributes` / `ensureSearchAttributes`).
   */
  searchAttributes?: boolean;
}

/** One channel of a company's delivery.yaml. */
export type DeliveryChannelName = ChannelName;

/** What one channel's delivery of a briefing came to: what the run returns and prints. */
export interface DeliveryOutcome {
  channel: DeliveryChannelName;
  status: 'sent' | 'failed';
  /** Where it went (recipients, channel, host): never a secret. */
  target?: string;
  /** The provider's id: Message-ID, Slack ts, the receiver's id. */
  messageId?: string;
  /** An earlier attempt had delivered it already: nothing was sent again. */
  alreadySent?: boolean;
  attempts: number;
  error?: string;
  errorType?: string;
}

/** The channels delivery.yaml configures, or why it could not be read. */
export interface DeliveryPlan {
  channels: DeliveryChannelName[];
  problem?: string;
}

/** Each channel's activity: its name in the Temporal UI, and how it is retried. */
export const DELIVERY_ACTIVITIES = {
  email: { name: 'deliverEmail', maxAttempts: 5, initialRetryMs: 2_000 },
  slack: { name: 'deliverSlack', maxAttempts: 6, initialRetryMs: 1_000 },
  webhook: { name: 'deliverWebhook', maxAttempts: 6, initialRetryMs: 1_000 },
} as const satisfies Record<
  DeliveryChannelName,
  { name: string; maxAttempts: number; initialRetryMs: number }
>;

export const RESEND_WORKFLOW_TYPE = 'resendBriefingWorkflow';

/** `boardroom briefing send`: deliver a stored briefing again, on purpose. */
export interface ResendBriefingInput {
  companyId: string;
  briefingId: number;
  /** The workflow that wrote the briefing (its deliveries' keys start with it). */
  briefingWorkflowId: string;
  /** Only these channels. @default every channel delivery.yaml configures */
  channels?: DeliveryChannelName[];
}

export interface ResendBriefingResult {
  deliveries: DeliveryOutcome[];
  deliveryProblem?: string;
}

export interface DailyBriefingResult {
  workflowId: string;
  briefingId: number;
  briefingDate: string;
  health: number;
  /** False when the briefing had already been saved by an earlier attempt. */
  created: boolean;
  agents: Record<AgentName, { status: ReportStatus; attempts: number }>;
  /** One per configured channel, after the save (absent on runs from before delivery). */
  deliveries?: DeliveryOutcome[];
  /** delivery.yaml could not be read: nothing was delivered. */
  deliveryProblem?: string;
}

export type AgentPhase = 'pending' | 'running' | 'done' | 'failed' | 'stale';

export interface AgentProgress {
  phase: AgentPhase;
  attempts?: number;
  error?: string;
}

export interface BriefingProgress {
  /** 'composing' covers the save too since the compose-and-save step; 'saving' is older runs'. */
  step: 'agents' | 'composing' | 'saving' | 'delivering' | 'done';
  briefingDate: string;
  agents: Record<AgentName, AgentProgress>;
}

export const progressQuery = defineQuery<BriefingProgress>('progress');

/**
 * Search attributes each run carries when `input.searchAttributes` is true, to filter
 * runs in the Temporal UI and with `temporal workflow list --query`. The namespace must
 * have them registered (the dev server and the tests' server do; see
 * src/client/search-attributes.ts for other clusters).
 */
export const COMPANY_SEARCH_ATTRIBUTE = defineSearchAttributeKey(
  'BoardroomCompany',
  SearchAttributeType.KEYWORD,
);
/** The briefing date, YYYY-MM-DD in the run's time zone. */
export const BRIEFING_DATE_SEARCH_ATTRIBUTE = defineSearchAttributeKey(
  'BriefingDate',
  SearchAttributeType.KEYWORD,
);
/** `running` until the briefing is saved, then `complete` or `degraded`. */
export const OUTCOME_SEARCH_ATTRIBUTE = defineSearchAttributeKey(
  'BriefingOutcome',
  SearchAttributeType.KEYWORD,
);
/** Agents served stale or failed (set only on a degraded run). */
export const STALE_AGENTS_SEARCH_ATTRIBUTE = defineSearchAttributeKey(
  'StaleAgents',
  SearchAttributeType.KEYWORD_LIST,
);

export type BriefingOutcome = 'running' | 'complete' | 'degraded';

/** Set by Temporal on every run a schedule starts: the action's (scheduled) time. */
export const SCHEDULED_START_TIME_SEARCH_ATTRIBUTE = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

export const BOARDROOM_SEARCH_ATTRIBUTES = [
  COMPANY_SEARCH_ATTRIBUTE,
  BRIEFING_DATE_SEARCH_ATTRIBUTE,
  OUTCOME_SEARCH_ATTRIBUTE,
  STALE_AGENTS_SEARCH_ATTRIBUTE,
] as const;

/**
 * The claim check: what an agent activity returns once it has written its report to
 * Postgres (`run_reports`, keyed by the workflow id and agent). The report itself (its
 * figures, alerts and advice) never enters the run's history; these ids, statuses and
 * counts do, and they are all the workflow needs.
 */
export interface AgentReportRef {
  agent: AgentName;
  status: ReportStatus;
  attempts: number;
  health: number;
  /** How many alerts the stored report carries. */
  alerts: number;
  metricsCount: number;
}

/** What the CEO step returns once it has stored the composed briefing (`run_briefings`). */
export interface BriefingRef {
  health: number;
  /** How many risks and priorities the stored briefing names. */
  risks: number;
  priorities: number;
}
