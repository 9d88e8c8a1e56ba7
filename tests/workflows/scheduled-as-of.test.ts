/**
 * A scheduled run describes its scheduled time, not the moment a worker picked it up:
 * a schedule's backfill (or a catch-up after an outage) writes the past day's briefing,
 * and a triggered run's as-of is the time Temporal scheduled it.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { ensureSchedule } from '../../src/client/schedule.js';
import { addDays } from '../../src/shared/dates.js';
import {
  SCHEDULED_START_TIME_SEARCH_ATTRIBUTE,
  scheduleId,
} from '../../src/shared/workflow-api.js';
import { closeStacksAfterEach } from '../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('as of a scheduled run', () => {
  it("a schedule backfill's run is dated its scheduled day; a triggered run's as-of is its scheduled time", async () => {
    const s = await stack();
    const handle = s.client.schedule.getHandle(scheduleId(s.companyId));
    const runs = async () =>
      (
        await s.repo.pool.query<{
          workflow_id: string;
          briefing_date: string;
          as_of: Date;
          started_at: Date;
        }>(
          `SELECT workflow_id, to_char(briefing_date, 'YYYY-MM-DD') AS briefing_date, as_of, started_at
             FROM briefing_runs WHERE company_id = $1 ORDER BY as_of`,
          [s.companyId],
        )
      ).rows;
    try {
      await ensureSchedule(s.client, {
        companyId: s.companyId,
        cron: '0 7 * * *',
        timeZone: 'UTC',
        taskQueue: s.taskQueue,
        input: s.input({ trigger: 'schedule' }),
      });
      const day = addDays(new Date().toISOString().slice(0, 10), -3);
      const scheduled = new Date(`${day}T07:00:00Z`);
      await handle.backfill({
        start: new Date(scheduled.getTime() - 60_000),
        end: new Date(scheduled.getTime() + 60_000),
        overlap: ScheduleOverlapPolicy.ALLOW_ALL,
      });
      await expect.poll(runs, { timeout: 30_000 }).toHaveLength(1);
      const [past] = await runs();
      expect(past!.briefing_date).toBe(day);
      expect(past!.as_of.toISOString()).toBe(scheduled.toISOString());
      // It ran now: its start is today, three days after what it describes.
      expect(past!.started_at.getTime() - scheduled.getTime()).toBeGreaterThan(2 * 86_400_000);
      const briefing = await s.repo.getBriefing(past!.workflow_id);
      expect(briefing?.briefing.briefingDate).toBe(day);

      await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
      await expect.poll(runs, { timeout: 30_000 }).toHaveLength(2);
      const triggered = (await runs())[1]!;
      const described = await s.client.workflow.getHandle(triggered.workflow_id).describe();
      const at = described.typedSearchAttributes.get(SCHEDULED_START_TIME_SEARCH_ATTRIBUTE);
      expect(at).toBeInstanceOf(Date);
      expect(triggered.as_of.toISOString()).toBe(at!.toISOString());
    } finally {
      await handle.delete().catch(() => {});
    }
  });
});
