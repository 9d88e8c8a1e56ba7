/** eNPS of pulse surveys: % promoters (9-10) minus % detractors (0-6), per survey date. */
import type { PulseResponse } from '../../contract/datasets/hr.js';
import { round } from '../../shared/numbers.js';

export interface Enps {
  surveyDate: string;
  responses: number;
  promoters: number;
  detractors: number;
  /** % promoters (9-10) minus % detractors (0-6), 1 decimal; -100..100. */
  enps: number;
}

/** eNPS of each survey (responses grouped by `survey_date`) up to `today`, oldest first. */
export function enpsBySurvey(responses: readonly PulseResponse[], today: string): Enps[] {
  const bySurvey = new Map<string, number[]>();
  for (const r of responses) {
    if (r.survey_date > today) continue;
    bySurvey.set(r.survey_date, [...(bySurvey.get(r.survey_date) ?? []), r.score]);
  }
  return [...bySurvey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([surveyDate, scores]) => {
      const promoters = scores.filter((s) => s >= 9).length;
      const detractors = scores.filter((s) => s <= 6).length;
      return {
        surveyDate,
        responses: scores.length,
        promoters,
        detractors,
        enps: round((100 * (promoters - detractors)) / scores.length, 1),
      };
    });
}
