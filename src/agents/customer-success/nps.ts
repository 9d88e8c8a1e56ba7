/** NPS of the last window, its trend on the window before, and each customer's latest answer. */
import type { NpsResponse } from '../../contract/datasets/customer-success.js';
import { daysBetween } from '../../shared/dates.js';
import { round } from '../../shared/numbers.js';

/** NPS = % promoters (9-10) - % detractors (0-6), 1 decimal; null without responses. */
export function netPromoterScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return round((100 * (promoters - detractors)) / scores.length, 1);
}

export interface NpsFigures {
  /** Responses of the last `windowDays` days, and of the window before. */
  recent: NpsResponse[];
  earlier: NpsResponse[];
  nps: number | null;
  npsPrevious: number | null;
  npsChange: number | null;
  /** Each customer's latest recent response: it decides "detractor". */
  latestByCustomer: Map<string, NpsResponse>;
}

/** The last window (ages 0 .. windowDays - 1) against the window before, from dated responses. */
export function npsFigures(
  responses: readonly NpsResponse[],
  windowDays: number,
  today: string,
): NpsFigures {
  const age = (r: NpsResponse) => daysBetween(r.responded_on, today);
  const answered = responses.filter((r) => r.responded_on <= today);
  const recent = answered.filter((r) => age(r) < windowDays);
  const earlier = answered.filter((r) => age(r) >= windowDays && age(r) < 2 * windowDays);
  const nps = netPromoterScore(recent.map((r) => r.score));
  const npsPrevious = netPromoterScore(earlier.map((r) => r.score));
  return {
    recent,
    earlier,
    nps,
    npsPrevious,
    npsChange: nps !== null && npsPrevious !== null ? round(nps - npsPrevious, 1) : null,
    latestByCustomer: latestResponses(recent),
  };
}

/** The latest response per customer (the higher id on a tie of dates). */
function latestResponses(responses: readonly NpsResponse[]): Map<string, NpsResponse> {
  const latest = new Map<string, NpsResponse>();
  for (const r of responses) {
    const seen = latest.get(r.customer_id);
    if (
      !seen ||
      r.responded_on > seen.responded_on ||
      (r.responded_on === seen.responded_on && r.id > seen.id)
    )
      latest.set(r.customer_id, r);
  }
  return latest;
}
