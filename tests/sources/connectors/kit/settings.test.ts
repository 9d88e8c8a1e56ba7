import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../../src/shared/errors.js';
import { parseSettings, timeZoneSetting } from '../../../../src/sources/connectors/kit/settings.js';

const Block = z.strictObject({
  timeout_ms: z.number().int().positive().default(20_000),
  timezone: timeZoneSetting().default('UTC'),
  fx_rates: z.record(z.string(), z.number().positive()).default({}),
});

function refusal(settings: Record<string, unknown>, lines?: Record<string, number>) {
  try {
    parseSettings('stripe', Block, {
      settings,
      ...(lines ? { settingsLine: (p) => lines[p.map(String).join('.')] } : {}),
    });
  } catch (e) {
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe("a connector's sources.yaml block", () => {
  it('parses with defaults', () => {
    expect(parseSettings('stripe', Block, { settings: {} })).toEqual({
      timeout_ms: 20_000,
      timezone: 'UTC',
      fx_rates: {},
    });
  });

  it('names sources.yaml, the line and the field, and where the key is documented', () => {
    const e = refusal({ timeout_ms: 'soon' }, { timeout_ms: 4 });
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.location).toEqual({ file: 'sources.yaml', line: 4, field: 'stripe.timeout_ms' });
    expect(e.message).toMatch(
      /^sources\.yaml, line 4, field "stripe\.timeout_ms": .* \(see key "timeout_ms" in docs\/sources\/stripe\.md\)$/,
    );
  });

  it('names a nested field, an unknown key and a bad time zone', () => {
    expect(refusal({ fx_rates: { EUR: -1 } }).location.field).toBe('stripe.fx_rates.EUR');
    const unknown = refusal({ time_out: 5 });
    expect(unknown.location).toEqual({ file: 'sources.yaml', field: 'stripe.time_out' });
    expect(unknown.message).toBe(
      'sources.yaml, field "stripe.time_out": unknown key "time_out" (see docs/sources/stripe.md)',
    );
    expect(refusal({ timezone: 'Mars/Olympus' }).message).toContain('IANA time zone');
  });
});
