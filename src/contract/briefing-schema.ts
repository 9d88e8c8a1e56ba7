/** The briefing's JSON Schema, from its zod schema: the documented shape of `--json`. */
import { z } from 'zod';
import { Briefing } from './briefing.js';

export function briefingJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Briefing, { io: 'output', unrepresentable: 'any' }),
    title: 'boardroom briefing',
    description:
      'One executive briefing, as printed by `boardroom run --json` and `boardroom briefing show --format json`, and stored in Postgres (briefings.briefing). Money metrics are whole currency units with at most two decimals; see docs/metrics.md for every metric key.',
  };
}
