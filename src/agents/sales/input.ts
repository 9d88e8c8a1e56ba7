/**
 * The sales agent's input: deals and their stage history (rows from the contract),
 * the quarter of company.yaml and sales.yaml, with the checks across files.
 */
import { z } from 'zod';
import { Deal, StageEntry } from '../../contract/datasets/sales.js';
import { cents, isoDate, rowsUniqueBy } from '../../contract/fields.js';
import { SalesSettings } from './settings.js';

const nullToUndefined = (v: unknown) => (v === null ? undefined : v);

/**
 * The sales agent reads only the `quarter` block of company.yaml (other keys are the
 * CEO step's and are ignored here).
 */
const CompanyQuarter = z.preprocess(
  nullToUndefined,
  z
    .looseObject({
      quarter: z
        .looseObject({
          start: isoDate(),
          end: isoDate(),
          revenue_target_cents: cents().optional(),
        })
        .refine((q) => q.end >= q.start, {
          path: ['end'],
          message: 'quarter.end must not be before quarter.start',
        })
        .optional(),
    })
    .optional(),
);

export const SalesInput = z
  .object({
    deals: rowsUniqueBy(Deal, 'id'),
    stageHistory: z.array(StageEntry).default([]),
    company: CompanyQuarter,
    settings: SalesSettings,
  })
  .superRefine((input, ctx) => {
    // Every history row names a deal of deals.csv, and a deal enters a stage once.
    const ids = new Set(input.deals.map((d) => d.id));
    const seen = new Map<string, number>();
    input.stageHistory.forEach((h, i) => {
      if (!ids.has(h.deal_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['stageHistory', i, 'deal_id'],
          message: `unknown deal ${JSON.stringify(h.deal_id)} (not in deals.csv)`,
        });
      }
      const key = `${h.deal_id}\u0000${h.stage}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['stageHistory', i, 'stage'],
          message: `deal ${h.deal_id} enters stage ${h.stage} twice (also on data row ${first + 1})`,
        });
      } else {
        seen.set(key, i);
      }
    });
  });
export type SalesInput = z.output<typeof SalesInput>;
