/**
 * The agent contract: the one shape every department agent returns and the CEO step
 * reads. Everything that crosses a process boundary (activity results, Postgres rows,
 * the briefing JSON) is validated against these schemas.
 */
import { z } from 'zod';

export const AGENT_NAMES = [
  'finance',
  'sales',
  'operations',
  'marketing',
  'hr',
  'customer-success',
] as const;
export const AgentName = z.enum(AGENT_NAMES);
export type AgentName = z.infer<typeof AgentName>;

export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** An ISO-8601 timestamp with offset, e.g. 2026-11-26T07:00:00.000Z. */
export const IsoTimestamp = z.iso.datetime({ offset: true });
/** A calendar date, YYYY-MM-DD. */
export const IsoDate = z.iso.date();

/** 0..100 score. */
const Score = z.number().min(0).max(100);

export const Alert = z.object({
  /** Stable rule id, e.g. `finance.runway-low`. */
  id: z.string().min(1),
  severity: Severity,
  message: z.string().min(1),
  /** The metric key (in the same report) the rule looked at. */
  metric: z.string().min(1),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const EnergyDemand = z.enum(['low', 'medium', 'high']);
export type EnergyDemand = z.infer<typeof EnergyDemand>;

/**
 * A candidate priority. The four factors are optional: a factor the task does not
 * state is derived by the CEO step from the task's data (money at stake, deadline,
 * energy demand, tags), and the briefing shows which rule produced it.
 */
export const Task = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  /** Who proposed it: an agent, or `founder` for the workspace's own task list. */
  source: z.union([AgentName, z.literal('founder'), z.literal('ceo')]),
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
});
export type Task = z.infer<typeof Task>;
export type TaskInput = z.input<typeof Task>;

export const ReportStatus = z.enum(['ok', 'stale', 'failed']);
export type ReportStatus = z.infer<typeof ReportStatus>;

/**
 * Metric values are plain numbers in the unit documented in docs/metrics.md. Money is
 * computed in integer cents and exposed in whole currency units with at most two
 * decimals (15000 means $15,000.00), so every figure is exact to the cent.
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
  breaker: z.enum(['closed', 'open', 'half_open']).optional(),
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
}

export const ScoredTask = Task.extend({
  revenueImpact: Score,
  urgency: Score,
  energyAlignment: Score,
  strategicAlignment: Score,
  score: z.number(),
  rank: z.number().int().positive(),
  /** For each factor, `stated` or the derivation rule that produced it. */
  factorSources: z.record(z.string(), z.string()),
});
export type ScoredTask = z.infer<typeof ScoredTask>;

export const PriorityWeights = z
  .object({
    revenueImpact: z.number().nonnegative(),
    urgency: z.number().nonnegative(),
    energyAlignment: z.number().nonnegative(),
    strategicAlignment: z.number().nonnegative(),
  })
  .refine(
    (w) =>
      Math.abs(w.revenueImpact + w.urgency + w.energyAlignment + w.strategicAlignment - 1) < 1e-9,
    { message: 'priority weights must sum to 1' },
  );
export type PriorityWeights = z.infer<typeof PriorityWeights>;

export const RiskEvidence = z.object({
  agent: AgentName,
  metric: z.string(),
  value: z.number().nullable(),
  stale: z.boolean(),
  /** For a value read from history, how long before the briefing. */
  asOf: z.string().optional(),
});
export type RiskEvidence = z.infer<typeof RiskEvidence>;

/** A cross-functional risk the CEO step found, with the numbers it used. */
export const RiskFinding = z.object({
  id: z.string(),
  title: z.string(),
  severity: Severity,
  message: z.string(),
  evidence: z.array(RiskEvidence),
  /** The suggested action; it is also a candidate priority (source `ceo`). */
  action: z.string(),
  basedOnStaleData: z.boolean(),
});
export type RiskFinding = z.infer<typeof RiskFinding>;

export const UnevaluatedRisk = z.object({ id: z.string(), title: z.string(), reason: z.string() });
export type UnevaluatedRisk = z.infer<typeof UnevaluatedRisk>;

export const MetricUnit = z.enum([
  'money',
  'count',
  'percent',
  'months',
  'days',
  'hours',
  'score',
  'ratio',
]);
export type MetricUnit = z.infer<typeof MetricUnit>;

/** A headline figure with its change since the last briefing and its stored history. */
export const KeyMetric = z.object({
  agent: AgentName,
  key: z.string(),
  label: z.string(),
  unit: MetricUnit,
  value: z.number().nullable(),
  stale: z.boolean(),
  /** The value in the last earlier briefing, and its date. */
  previous: z.number().nullable().optional(),
  previousDate: IsoDate.optional(),
  /** value - previous, rounded to 2 decimals; absent without a previous value. */
  change: z.number().optional(),
  /** Oldest first, ending with today's value: what the sparkline draws. */
  series: z.array(z.object({ date: IsoDate, value: z.number().nullable() })),
});
export type KeyMetric = z.infer<typeof KeyMetric>;

export const Briefing = z.object({
  schemaVersion: z.literal(1).describe('Bumped on an incompatible change.'),
  companyId: z.string().describe('The company id (BOARDROOM_COMPANY_ID).'),
  companyName: z.string(),
  briefingDate: IsoDate.describe("The day the briefing is for, in the company's time zone."),
  generatedAt: IsoTimestamp.describe('When the CEO step composed it.'),
  workflowId: z.string().describe('The Temporal workflow id of the run: the idempotency key.'),
  health: Score.describe('Overall health 0..100: the rounded mean of the non-failed departments.'),
  agents: z
    .record(AgentName, AgentReport)
    .describe('Each department report (ok, stale fallback or failed).'),
  priorities: z.array(ScoredTask).describe('The top 3 of `tasks`.'),
  tasks: z
    .array(ScoredTask)
    .describe('Every candidate task, ranked, with its four factors and where each came from.'),
  alerts: z
    .array(Alert.extend({ agent: AgentName }))
    .describe('All alerts of non-failed agents, critical first.'),
  dataNotes: z
    .array(z.string())
    .describe('Stale or failed data, and risks that could not be evaluated.'),
  risks: z
    .array(RiskFinding)
    .default([])
    .describe('Cross-functional risks found, critical first (docs/risks.md).'),
  /** Rules that could not run because their inputs are missing, and why. */
  unevaluatedRisks: z.array(UnevaluatedRisk).default([]),
  keyMetrics: z
    .array(KeyMetric)
    .default([])
    .describe('Headline figures with their change since the last briefing and stored history.'),
  /** Since the previous briefing: health moves, new and resolved alerts and risks. */
  changes: z.array(z.string()).default([]),
  /** What the priorities were scored with. */
  scoring: z
    .object({
      energy: EnergyDemand,
      energySource: z.string(),
      goals: z.array(z.string()),
      weights: z.object({
        revenueImpact: z.number(),
        urgency: z.number(),
        energyAlignment: z.number(),
        strategicAlignment: z.number(),
      }),
    })
    .optional(),
  markdown: z.string().describe('The briefing rendered as Markdown.'),
});
export type Briefing = z.infer<typeof Briefing>;

export const AGENT_TITLES: Record<AgentName, string> = {
  finance: 'Finance',
  sales: 'Sales',
  operations: 'Operations',
  marketing: 'Marketing',
  hr: 'HR',
  'customer-success': 'Customer success',
};
