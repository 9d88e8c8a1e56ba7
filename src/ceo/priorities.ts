/**
 * The priority score from design.md, exactly:
 *   score = revenueImpact x 0.40 + urgency x 0.25 + energyAlignment x 0.15 + strategicAlignment x 0.20
 * A factor a task does not state is derived from its data by the rules below; the
 * briefing shows each factor and where it came from.
 */
import { daysBetween } from '../shared/dates.js';
import { formatMoney, formatMoneyShort } from '../shared/money.js';
import {
  PriorityWeights,
  type ScoredTask,
  type ValidPriorityWeights,
} from '../contract/briefing.js';
import { type EnergyDemand, type Task } from '../contract/report.js';

export const DEFAULT_WEIGHTS: ValidPriorityWeights = PriorityWeights.parse({
  revenueImpact: 0.4,
  urgency: 0.25,
  energyAlignment: 0.15,
  strategicAlignment: 0.2,
});

export interface PriorityContext {
  /** YYYY-MM-DD, the briefing date. */
  today: string;
  /** Annual recurring revenue in cents, to size money at stake; undefined when unknown. */
  arrCents: number | undefined;
  /** The founder's energy today. */
  energy: EnergyDemand;
  /** The quarter's goals, as tags. */
  goals: string[];
  /** Validated weights (`PriorityWeights.parse`); the design's by default. */
  weights?: ValidPriorityWeights;
  /**
   * The company's currency, for money in the factors' explanations.
   * @default 'USD'
   */
  currency?: string;
}

const ENERGY_LEVEL: Record<EnergyDemand, number> = { low: 0, medium: 1, high: 2 };

/**
 * The weighted score, rounded to 2 decimals (so 86.49999… from binary floats reads 86.5).
 * Takes only weights that passed `PriorityWeights.parse` (weights summing to 1.1 would
 * score 95/80/70/90 as 110 on a 0..100 scale).
 */
export function priorityScore(
  f: Pick<ScoredTask, 'revenueImpact' | 'urgency' | 'energyAlignment' | 'strategicAlignment'>,
  weights: ValidPriorityWeights = DEFAULT_WEIGHTS,
): number {
  const raw =
    f.revenueImpact * weights.revenueImpact +
    f.urgency * weights.urgency +
    f.energyAlignment * weights.energyAlignment +
    f.strategicAlignment * weights.strategicAlignment;
  return Math.round(raw * 100) / 100;
}

/**
 * Revenue impact: money at stake as a share of ARR. A quarter of ARR or more is 100;
 * below that it scales linearly. With no ARR to scale by, $100K or more is 100, and the
 * explanation says why: `ARR unknown` (finance failed or reported none) or `ARR is 0`
 * (no revenue yet). No money: 0.
 */
export function deriveRevenueImpact(
  task: Task,
  arrCents: number | undefined,
  currency?: string,
): [number, string] {
  const money = task.moneyAtStakeCents;
  if (money === undefined || money === 0) return [0, 'no money at stake'];
  const scaled = arrCents !== undefined && arrCents > 0;
  const fullScale = scaled ? arrCents / 4 : 100_000_00;
  const value = Math.min(100, Math.round((money / fullScale) * 100));
  const noArr =
    arrCents === undefined ? 'ARR unknown' : `ARR is ${formatMoneyShort(arrCents, currency)}`;
  const basis = scaled
    ? 'a quarter of ARR = 100'
    : `${formatMoneyShort(100_000_00, currency)} = 100 (${noArr})`;
  return [value, `money at stake ${formatMoney(money, currency)} (${basis})`];
}

/** Urgency from the deadline: overdue or today 100, within 7 days 80, 30 days 50, later 20, none 10. */
export function deriveUrgency(task: Task, today: string): [number, string] {
  if (!task.deadline) return [10, 'no deadline'];
  const days = daysBetween(today, task.deadline);
  if (days <= 0) return [100, days < 0 ? `overdue by ${-days}d` : 'due today'];
  if (days <= 7) return [80, `due in ${days}d (this week)`];
  if (days <= 30) return [50, `due in ${days}d (this month)`];
  return [20, `due in ${days}d (later)`];
}

/** Energy alignment: demand equal to today's energy 100, one step apart 60, two 20; unknown 50. */
export function deriveEnergyAlignment(task: Task, energy: EnergyDemand): [number, string] {
  if (!task.energyDemand) return [50, 'energy demand not stated'];
  const gap = Math.abs(ENERGY_LEVEL[task.energyDemand] - ENERGY_LEVEL[energy]);
  return [[100, 60, 20][gap]!, `${task.energyDemand} demand vs ${energy} energy today`];
}

/** Strategic alignment: tags matching the quarter's goals; none 20, one 80, two or more 100; no goals 50. */
export function deriveStrategicAlignment(task: Task, goals: string[]): [number, string] {
  if (goals.length === 0) return [50, 'no goals set for the quarter'];
  const wanted = new Set(goals.map((g) => g.toLowerCase()));
  const matches = task.tags.filter((t) => wanted.has(t.toLowerCase()));
  if (matches.length === 0) return [20, 'no tag matches a goal'];
  return [matches.length === 1 ? 80 : 100, `matches goals: ${matches.join(', ')}`];
}

/**
 * Scores and ranks tasks. Ties: higher revenue impact, then higher urgency, then the
 * earlier deadline (none last), then id, so the order never depends on input order.
 */
export function rankTasks(tasks: Task[], ctx: PriorityContext): ScoredTask[] {
  const weights = ctx.weights ?? DEFAULT_WEIGHTS;
  const scored = tasks.map((task) => {
    const factorSources: Record<string, string> = {};
    const pick = (name: string, stated: number | undefined, derive: () => [number, string]) => {
      if (stated !== undefined) {
        factorSources[name] = 'stated';
        return stated;
      }
      const [value, why] = derive();
      factorSources[name] = why;
      return value;
    };
    const factors = {
      revenueImpact: pick('revenueImpact', task.revenueImpact, () =>
        deriveRevenueImpact(task, ctx.arrCents, ctx.currency),
      ),
      urgency: pick('urgency', task.urgency, () => deriveUrgency(task, ctx.today)),
      energyAlignment: pick('energyAlignment', task.energyAlignment, () =>
        deriveEnergyAlignment(task, ctx.energy),
      ),
      strategicAlignment: pick('strategicAlignment', task.strategicAlignment, () =>
        deriveStrategicAlignment(task, ctx.goals),
      ),
    };
    return { ...task, ...factors, score: priorityScore(factors, weights), rank: 0, factorSources };
  });
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      b.revenueImpact - a.revenueImpact ||
      b.urgency - a.urgency ||
      (a.deadline ?? '9999-12-31').localeCompare(b.deadline ?? '9999-12-31') ||
      a.id.localeCompare(b.id),
  );
  return scored.map((t, i) => ({ ...t, rank: i + 1 }));
}

export const DEFAULT_ENERGY: EnergyDemand = 'medium';

/**
 * Today's founder energy: `--energy` on the run wins, then the workspace's founder.yaml
 * when it is undated or dated today, else the default (medium).
 */
export function resolveEnergy(
  today: string,
  flag: EnergyDemand | undefined,
  file: { level: EnergyDemand; date: string | undefined } | undefined,
): { energy: EnergyDemand; source: string } {
  if (flag) return { energy: flag, source: '--energy' };
  if (file && (file.date === undefined || file.date === today)) {
    return { energy: file.level, source: 'founder.yaml' };
  }
  if (file) return { energy: DEFAULT_ENERGY, source: `default (founder.yaml is for ${file.date})` };
  return { energy: DEFAULT_ENERGY, source: 'default' };
}
