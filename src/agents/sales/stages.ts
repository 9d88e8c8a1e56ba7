/**
 * Deals through their stages: win probability, the stage path from the history, and
 * the conversion and time-in-stage figures built on it.
 */
import {
  CLOSED_STAGES,
  OPEN_STAGES,
  type Deal,
  type DealStage,
  type OpenStage,
  type StageEntry,
} from '../../contract/datasets/sales.js';
import { daysBetween } from '../../shared/dates.js';
import { percent, round } from '../../shared/numbers.js';
import { STAGE_PROBABILITY } from './settings.js';

/** A deal's win probability in percent: its own cell, else the (configured) stage default. */
export function dealProbability(
  d: Pick<Deal, 'stage' | 'probability'>,
  stageProbabilities: Record<DealStage, number> = STAGE_PROBABILITY,
): number {
  return d.probability ?? stageProbabilities[d.stage];
}

const STAGE_INDEX: Record<DealStage, number> = {
  lead: 0,
  qualified: 1,
  proposal: 2,
  negotiation: 3,
  won: 4,
  lost: 5,
};

/**
 * A deal's stage path, oldest first: its history rows sorted by date (ties in stage
 * order), plus, for a closed deal whose history lacks its final stage, that stage on
 * the close date.
 */
export function stagePath(deal: Deal, rows: readonly StageEntry[]): StageEntry[] {
  const path = [...rows].sort(
    (a, b) =>
      a.entered_on.localeCompare(b.entered_on) || STAGE_INDEX[a.stage] - STAGE_INDEX[b.stage],
  );
  if (CLOSED_STAGES.includes(deal.stage) && !path.some((r) => r.stage === deal.stage)) {
    path.push({ deal_id: deal.id, stage: deal.stage, entered_on: deal.close_date });
  }
  return path;
}

/** Every deal's stage path, by deal id. */
export function stagePaths(
  deals: readonly Deal[],
  history: readonly StageEntry[],
): Map<string, StageEntry[]> {
  const rowsByDeal = new Map<string, StageEntry[]>();
  for (const h of history) {
    rowsByDeal.set(h.deal_id, [...(rowsByDeal.get(h.deal_id) ?? []), h]);
  }
  return new Map(deals.map((d) => [d.id, stagePath(d, rowsByDeal.get(d.id) ?? [])]));
}

export interface StageConversion {
  from: OpenStage;
  to: DealStage;
  /** Deals that reached `from` and then any later stage (won included). */
  advanced: number;
  /** `advanced` + deals lost while at `from`; deals still sitting in `from` are undecided. */
  resolved: number;
  pct: number | null;
}

/**
 * Stage-to-stage conversion over every deal in the file: of the deals that reached a
 * stage and have left it (moved on, or were lost there), the share that moved on.
 */
export function stageConversions(
  deals: readonly Deal[],
  paths: ReadonlyMap<string, readonly StageEntry[]>,
): StageConversion[] {
  return OPEN_STAGES.map((from, i) => {
    let advanced = 0;
    let resolved = 0;
    for (const d of deals) {
      const reached = new Set<DealStage>([d.stage, ...(paths.get(d.id) ?? []).map((r) => r.stage)]);
      if (!reached.has(from)) continue;
      const movedOn = [...reached].some((s) => s !== 'lost' && STAGE_INDEX[s] > i);
      if (movedOn) {
        advanced++;
        resolved++;
      } else if (d.stage === 'lost') {
        resolved++;
      }
    }
    return {
      from,
      to: i + 1 < OPEN_STAGES.length ? OPEN_STAGES[i + 1]! : 'won',
      advanced,
      resolved,
      pct: percent(advanced, resolved),
    };
  });
}

/**
 * Average whole days spent in each open stage, over the deals that left it: from
 * entering the stage to entering the next stage on the deal's path.
 */
export function averageDaysInStage(
  paths: ReadonlyMap<string, readonly StageEntry[]>,
): Record<OpenStage, number | null> {
  const acc = Object.fromEntries(OPEN_STAGES.map((s) => [s, { days: 0, n: 0 }])) as Record<
    OpenStage,
    { days: number; n: number }
  >;
  for (const path of paths.values()) {
    for (let i = 0; i + 1 < path.length; i++) {
      const stage = path[i]!.stage;
      if (stage === 'won' || stage === 'lost') continue;
      acc[stage].days += daysBetween(path[i]!.entered_on, path[i + 1]!.entered_on);
      acc[stage].n++;
    }
  }
  return Object.fromEntries(
    OPEN_STAGES.map((s) => [s, acc[s].n === 0 ? null : round(acc[s].days / acc[s].n, 1)]),
  ) as Record<OpenStage, number | null>;
}
