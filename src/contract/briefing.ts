/**
 * The briefing contract: what the CEO step composes, Postgres stores and every channel
 * renders. `boardroom run --json` prints it (docs/briefing.schema.json).
 */
import { z } from 'zod';
import {
  AgentName,
  AgentReport,
  Alert,
  EnergyDemand,
  IsoDate,
  IsoTimestamp,
  Score,
  Severity,
  Task,
  TaskSource,
} from './report.js';

export const ScoredTask = Task.extend({
  revenueImpact: Score,
  urgency: Score,
  energyAlignment: Score,
  strategicAlignment: Score,
  score: z.number(),
  rank: z.number().int().positive(),
  /** For each factor, `stated` or the derivation rule that produced it. */
  factorSources: z.record(z.string(), z.string()),
  /**
   * Every source that proposed this task (its own first) when tasks with the same title
   * or subject were merged into it; absent when only one did.
   */
  sources: z.array(TaskSource).optional(),
  /** The tasks merged into this one (same title or subject), as they were proposed. */
  merged: z.array(z.object({ id: z.string(), title: z.string(), source: TaskSource })).optional(),
});
export type ScoredTask = z.infer<typeof ScoredTask>;

/**
 * `undefined` when the weights sum to 1 (within 1e-9), else the message with the sum
 * found and its terms: "weights must sum to 1, but they sum to 1.1 (revenue_impact 0.5 +
 * urgency 0.25 + ...)". One wording for every validator of weights (this schema and
 * ceo.yaml's, with the names each uses).
 */
export function weightsSumError(weights: Readonly<Record<string, number>>): string | undefined {
  const terms = Object.entries(weights);
  const sum = terms.reduce((total, [, w]) => total + w, 0);
  if (Math.abs(sum - 1) < 1e-9) return undefined;
  // 12 significant digits: 0.4 + 0.25 + 0.15 + 0.3 reads 1.1 (not 1.1000000000000003),
  // and 0.9999999 stays 0.9999999 (not 1).
  const shown = Number(sum.toPrecision(12));
  return `weights must sum to 1, but they sum to ${shown} (${terms.map(([k, w]) => `${k} ${w}`).join(' + ')})`;
}

/**
 * The priority score's weights, validated: non-negative and summing to 1. Parsing gives
 * `ValidPriorityWeights`, the only type `priorityScore` and `rankTasks` take, so weights
 * are checked once, where they are made, and cannot reach the score unchecked.
 */
export const PriorityWeights = z
  .object({
    revenueImpact: z.number().nonnegative(),
    urgency: z.number().nonnegative(),
    energyAlignment: z.number().nonnegative(),
    strategicAlignment: z.number().nonnegative(),
  })
  .superRefine((w, ctx) => {
    const error = weightsSumError(w);
    if (error) ctx.addIssue({ code: 'custom', message: `priority ${error}` });
  })
  .brand<'PriorityWeights'>();
/** Weights as written (ceo.yaml, a caller): four numbers, not checked yet. */
export type PriorityWeights = z.input<typeof PriorityWeights>;
/** Weights that passed `PriorityWeights.parse`. */
export type ValidPriorityWeights = z.output<typeof PriorityWeights>;

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
  /**
   * The alerts this risk explains (`agent:alertId`): the briefing shows them under the
   * risk instead of in its own list. Absent in briefings from before this field.
   */
  alerts: z.array(z.string()).optional(),
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
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD')
    .describe("ISO 4217 code of the company's currency: every money amount is in it."),
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
