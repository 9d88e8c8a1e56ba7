/**
 * `boardroom backfill` on the real stack: one real run per past day, each describing its
 * own day, oldest first; a second backfill writes nothing new; bad flags say which.
 */
import { describe, expect, it } from 'vitest';
import { backfillCommand } from '../../../src/client/commands/backfill.js';
import { addDays } from '../../../src/shared/dates.js';
import { calendarDate } from '../../../src/shared/time-zone.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

interface RunRow {
  workflow_id: string;
  briefing_date: string;
  trigger: string;
  as_of: Date;
}

describe('boardroom backfill', () => {
  it('computes each past week once, as of its own day, and a second backfill writes nothing new', async () => {
    const s = await stack();
    const env = stackEnv(s, { BOARDROOM_TIMEZONE: 'UTC' });
    const today = calendarDate(new Date(), 'UTC');
    const from = addDays(today, -28);
    const rows = async () =>
      (
        await s.repo.pool.query<RunRow>(
          `SELECT workflow_id, to_char(briefing_date, 'YYYY-MM-DD') AS briefing_date, trigger, as_of
             FROM briefing_runs WHERE company_id = $1 ORDER BY briefing_date`,
          [s.companyId],
        )
      ).rows;

    const first = commandDeps(env);
    expect(await backfillCommand({ from, every: 'week', json: true }, first)).toBe(0);
    const weeks = [28, 21, 14, 7].map((n) => addDays(today, -n));
    const out = JSON.parse(first.output.stdout) as {
      computed: { date: string; briefingId: number; workflowId: string }[];
      skipped: string[];
    };
    expect(out.computed.map((c) => c.date)).toEqual(weeks);
    expect(out.skipped).toEqual([]);
    expect(first.output.stderr).toContain(
      `Backfilling 4 weekly briefing(s) of "${s.companyId}", ${weeks[0]} to ${weeks[3]} ...`,
    );
    expect(first.output.stderr).toMatch(
      new RegExp(`\\[1/4\\] ${weeks[0]}: briefing #\\d+, health \\d+`),
    );
    expect(first.output.stderr).toContain('Backfilled 4 briefing(s), 0 day(s) already had one');

    const stored = await rows();
    expect(stored.map((r) => r.briefing_date)).toEqual(weeks);
    expect(stored.map((r) => r.trigger)).toEqual(['backfill', 'backfill', 'backfill', 'backfill']);
    // Each run describes 07:00 (the default cron) of its own day, in the company's zone.
    expect(stored.map((r) => r.as_of.toISOString())).toEqual(
      weeks.map((d) => `${d}T07:00:00.000Z`),
    );
    expect(stored.map((r) => r.workflow_id)).toEqual(
      weeks.map((d) => `briefing-${s.companyId}-backfill-${d}`),
    );
    // Each day's agents saw the days before it: the history grows one point a week.
    const points = await s.repo.pool.query(
      `SELECT to_char(as_of_date, 'YYYY-MM-DD') AS d, value FROM metric_points
        WHERE company_id = $1 AND agent = 'finance' AND metric = 'customers' ORDER BY as_of_date`,
      [s.companyId],
    );
    expect(points.rows.map((r) => r.d)).toEqual(weeks);
    // The newest briefing is the latest day's, and "what changed" compares with the week before.
    const latest = await s.repo.latestBriefing(s.companyId);
    expect(latest?.briefingDate).toBe(weeks[3]);
    const metric = latest!.briefing.keyMetrics.find((m) => m.key === 'customers');
    expect(metric?.previousDate).toBe(weeks[2]);

    const second = commandDeps(env);
    expect(await backfillCommand({ from, every: 'week', json: true }, second)).toBe(0);
    expect(JSON.parse(second.output.stdout)).toEqual({ computed: [], skipped: weeks });
    expect(second.output.stderr).toContain('Backfilled 0 briefing(s), 4 day(s) already had one');
    expect(await rows()).toEqual(stored);
    const briefings = await s.repo.pool.query(
      `SELECT count(*)::int AS n FROM briefings WHERE company_id = $1`,
      [s.companyId],
    );
    expect(briefings.rows[0].n).toBe(4);
  });

  it('--every day fills the days in between, skipping the ones already there', async () => {
    const s = await stack();
    const env = stackEnv(s, { BOARDROOM_TIMEZONE: 'UTC' });
    const today = calendarDate(new Date(), 'UTC');
    expect(
      await backfillCommand({ from: addDays(today, -7), every: 'week' }, commandDeps(env)),
    ).toBe(0);
    const daily = commandDeps(env);
    expect(
      await backfillCommand({ from: addDays(today, -8), every: 'day', json: true }, daily),
    ).toBe(0);
    const out = JSON.parse(daily.output.stdout) as {
      computed: { date: string }[];
      skipped: string[];
    };
    expect(out.skipped).toEqual([addDays(today, -7)]);
    expect(out.computed.map((c) => c.date)).toEqual(
      [8, 6, 5, 4, 3, 2, 1].map((n) => addDays(today, -n)),
    );
  });

  it('refuses a --from that is not a past date, naming the flag', async () => {
    const s = await stack({ withWorker: false });
    const env = stackEnv(s, { BOARDROOM_TIMEZONE: 'UTC' });
    const today = calendarDate(new Date(), 'UTC');
    for (const [from, message] of [
      ['2026-13-01', /^--from 2026-13-01: expected a date as YYYY-MM-DD/],
      [today, /backfill computes past days; pick a day before today/],
      [addDays(today, -800), /at most 731 days back/],
    ] as const) {
      const deps = commandDeps(env);
      const err = await backfillCommand({ from }, deps).catch((e: Error) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(message);
    }
    const n = await s.repo.pool.query(
      `SELECT count(*)::int AS n FROM briefing_runs WHERE company_id = $1`,
      [s.companyId],
    );
    expect(n.rows[0].n).toBe(0);
  });
});
