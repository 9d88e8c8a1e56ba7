/**
 * The agent report contract: the one shape every department agent returns and the CEO step
 * reads. Everything that crosses a process boundary (activity results, Postgres rows,
 * the briefing JSON) is validated against these schemas.
 */
import { z } from 'zod';
import {
  AGENT_NAMES,
  BREAKER_STATES,
  ENERGY_LEVELS,
  REPORT_STATUSES,
  SEVERITIES,
} from './enums.js';

export { AGENT_NAMES, AGENT_TITLES } from './enums.js';

export const AgentName = z.enum(AGENT_NAMES);
export type AgentName = z.infer<typeof AgentName>;

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** An ISO-8601 timestamp with offset, e.g. 2026-11-26T07:00:00.000Z. */
export const IsoTimestamp = z.iso.datetime({ offset: true });
/** A calendar date, YYYY-MM-DD. */
export const IsoDate = z.iso.date();

/** 0..100 score. */
export const Score = z.number().min(0).max(100);

export const Alert = z.object({
  /** Stable rule id, e.g. `finance.runway-low`. */
  id: z.string().min(1),
  severity: Severity,
  message: z.string().min(1),
  /** The metric key (in the same report) the rule looked at. */
  metric: z.string().min(1),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  /** What the alert is about when it is one thing (`subjectKey`): a task on it explains it. */
  subject: z.string().min(1).optional(),
});
export type Alert = z.infer<typeof Alert>;

export const EnergyDemand = z.enum(ENERGY_LEVELS);
export type EnergyDemand = z.infer<typeof EnergyDemand>;

/** Who proposes tasks: an agent, the founder's own list, or the CEO step (a risk's action). */
export const TaskSource = z.union([AgentName, z.literal('founder'), z.literal('ceo')]);
export type TaskSource = z.infer<typeof TaskSource>;

/**
 * A candidate priority. The four factors are optional: a factor the task does not
 * state is derived by the CEO step from the task's data (money at stake, deadline,
 * energy demand, tags), and the briefing shows which rule produced it.
 */
export const Task = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  /** Who proposed it: an agent, or `founder` for the workspace's own task list. */
  source: TaskSource,
  reason: z.string().default(''),
  revenueImpact: Score.optional(),
  urgency: Score.optional(),
  energyAlignment: Score.optional(),
  strategicAlignment: Score.optional(),
  /** Money the task puts at stake, in integer cents per year (ARR-equivalent). */
  moneyAtStakeCents: z.number().int().nonnegative().optional(),
  deadline: IsoDate.optional(),
  energyDemand: EnergyDemand.optional(),
  tags: z.array(z.string()).default([]),
  /**
   * What the task is about, as `kind:name` (`deal:acme corp`, `account:yellowtail sushi
   * group`, `project:contoso data migration`; see `subjectKey`): tasks about one subject
   * from several sources are merged into one in the briefing.
   */
  subject: z.string().min(1).optional(),
});
export type Task = z.infer<typeof Task>;
export type TaskInput = z.input<typeof Task>;

/** The kinds of thing a task or an alert can be about. */
export type SubjectKind =
  'deal' | 'account' | 'project' | 'person' | 'role' | 'channel' | 'pipeline' | 'capacity';

/**
 * A subject key: `kind:name` with the name lower-cased and its spaces collapsed, so that
 * "Acme Corp" from the CRM and "acme  corp" from a task list are one subject.
 */
export function subjectKey(kind: SubjectKind, name: string): string {
  return `${kind}:${name.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

/** This quarter's pipeline: sales' "build pipeline" and the CEO's pipeline risks. */
export const QUARTER_PIPELINE_SUBJECT = subjectKey('pipeline', 'this quarter');
/** The delivery team's free capacity: operations' rebalancing and the capacity risk. */
export const DELIVERY_CAPACITY_SUBJECT = subjectKey('capacity', 'delivery team');

export const ReportStatus = z.enum(REPORT_STATUSES);
export type ReportStatus = z.infer<typeof ReportStatus>;

/**
 * Metric values are plain numbers in the unit documented in docs/metrics.md. Money is
 * computed in integer cents and exposed in whole currency units with at most two
 * decimals (15000 means $15,000), so every figure is exact to the cent.
 */
export const Metrics = z.record(z.string(), z.number().nullable());
export type Metrics = z.infer<typeof Metrics>;

/** What an agent's pure `compute` returns. */
export const AgentResult = z.object({
  dataAsOf: IsoTimestamp,
  metrics: Metrics,
  alerts: z.array(Alert),
  recommendations: z.array(Task),
  health: Score,
  /** One line on why health is what it is. */
  healthReason: z.string().default(''),
});
export type AgentResult = z.infer<typeof AgentResult>;
export type AgentResultInput = z.input<typeof AgentResult>;

/** What the activity returns and Postgres stores: the result plus run facts. */
export const AgentReport = AgentResult.extend({
  agent: AgentName,
  timestamp: IsoTimestamp,
  status: ReportStatus,
  durationMs: z.number().int().nonnegative(),
  sourceCalls: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative().default(1),
  /** Why the report is stale or failed, for people. */
  note: z.string().optional(),
  error: z.string().optional(),
  /** For a stale report: age of its data at briefing time, in hours. */
  staleHours: z.number().nonnegative().optional(),
  /** The API the agent read (absent: workspace files). */
  source: z.string().optional(),
  /** Set when the API's answer came from the cache: its age. */
  cacheAgeMs: z.number().nonnegative().optional(),
  /** The source's circuit breaker after this run. */
  breaker: z.enum(BREAKER_STATES).optional(),
});
export type AgentReport = z.infer<typeof AgentReport>;

/** One stored day of an agent's metrics (the latest successful run of that date). */
export interface MetricSnapshot {
  /** YYYY-MM-DD, the briefing date the figures were computed for. */
  date: string;
  metrics: Metrics;
}

/** Everything a pure agent needs besides its data. No clock: `asOf` comes in. */
export interface AgentContext {
  /** The moment the briefing is for. */
  asOf: Date;
  /** The briefing's calendar date in the company's time zone. */
  today: string;
  /**
   * This agent's own earlier figures for this company, oldest first, strictly before
   * `today` (up to ~13 months back): period-over-period comparisons and trends read
   * them with the helpers in history.ts. Empty on a company's first run.
   */
  history: MetricSnapshot[];
  /**
   * ISO 4217 code of the company's currency (company.yaml `currency`), for amounts
   * written into messages (`formatMoney(cents, ctx.currency)`). Metrics stay numbers.
   * @default 'USD'
   */
  currency?: string;
}
