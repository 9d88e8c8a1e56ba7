/**
 * The schedule commands called directly against the suite's Temporal.
 */
import { describe, expect, it } from 'vitest';
import {
  scheduleCreate,
  scheduleDelete,
  scheduleDescribe,
  schedulePause,
  scheduleTrigger,
  scheduleUnpause,
} from '../../../src/client/commands/schedule.js';
import { NotFoundError } from '../../../src/client/errors.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('schedule commands', () => {
  it('create (idempotent), pause, describe, unpause, trigger, delete; then describe says how to create it', async () => {
    const s = await stack();
    const deps = () => commandDeps(stackEnv(s));
    const company = `company "${s.companyId}"`;
    try {
      const created = deps();
      expect(
        await scheduleCreate({ cron: '30 6 * * 1-5', timezone: 'Europe/Berlin' }, created),
      ).toBe(0);
      const lines = created.output.stdout.split('\n');
      expect(lines[0]).toBe(`Schedule created: "30 6 * * 1-5" (Europe/Berlin) for ${company}.`);
      expect(lines[1]).toBe(`Schedule boardroom-daily-${s.companyId}`);
      expect(created.output.stdout).toContain('  time zone:  Europe/Berlin\n');

      const again = deps();
      await scheduleCreate({ cron: '30 6 * * 1-5', timezone: 'Europe/Berlin' }, again);
      expect(again.output.stdout).toMatch(/^Schedule updated: /);

      const paused = deps();
      expect(await schedulePause({ note: 'holiday' }, paused)).toBe(0);
      expect(paused.output.stdout).toBe(`Paused the schedule for ${company}.\n`);
      const json = deps();
      expect(await scheduleDescribe({ json: true }, json)).toBe(0);
      expect(JSON.parse(json.output.stdout)).toMatchObject({
        scheduleId: `boardroom-daily-${s.companyId}`,
        state: { paused: true, note: 'holiday' },
      });

      const unpaused = deps();
      expect(await scheduleUnpause({}, unpaused)).toBe(0);
      expect(unpaused.output.stdout).toBe(`Unpaused the schedule for ${company}.\n`);
      const text = deps();
      await scheduleDescribe({}, text);
      expect(text.output.stdout).toContain('  state:      active\n');
      expect(text.output.stdout).toContain('  cron:       30 6 * * 1-5\n');

      const triggered = deps();
      expect(await scheduleTrigger(triggered)).toBe(0);
      expect(triggered.output.stdout).toMatch(
        new RegExp(
          `^Triggered the schedule for ${company}: started briefing-${s.companyId}-scheduled-\\S+\\. ` +
            'See `npx boardroom briefing latest` in a moment.\\n$',
        ),
      );
      await expect
        .poll(() => s.repo.listBriefings({ companyId: s.companyId }), { timeout: 20_000 })
        .toHaveLength(1);

      await expect(scheduleCreate({ timezone: 'Mars/Olympus' }, deps())).rejects.toThrow(
        new ConfigError(
          'Unknown time zone "Mars/Olympus": use an IANA name such as America/New_York.',
        ),
      );

      const deleted = deps();
      expect(await scheduleDelete(deleted)).toBe(0);
      expect(deleted.output.stdout).toBe(`Deleted the schedule for ${company}.\n`);
      const gone = scheduleDescribe({}, deps());
      await expect(gone).rejects.toThrow(NotFoundError);
      await expect(gone).rejects.toThrow(
        `No schedule for ${company}. Create it with \`npx boardroom schedule create\`.`,
      );
    } finally {
      await s.client.schedule
        .getHandle(`boardroom-daily-${s.companyId}`)
        .delete()
        .catch(() => {});
    }
  });

  it('spreads the runs over BOARDROOM_SCHEDULE_JITTER_MINUTES after the cron time', async () => {
    const s = await stack();
    const deps = () => commandDeps({ ...stackEnv(s), BOARDROOM_SCHEDULE_JITTER_MINUTES: '30' });
    try {
      await scheduleCreate({ cron: '0 7 * * *', timezone: 'Europe/Berlin' }, deps());
      const text = deps();
      await scheduleDescribe({}, text);
      expect(text.output.stdout).toContain('  jitter:     up to 30 min after it\n');
      const json = deps();
      await scheduleDescribe({ json: true }, json);
      const d = JSON.parse(json.output.stdout) as {
        spec: { jitter?: number };
        info: { nextActionTimes: string[] };
      };
      expect(d.spec.jitter).toBe(30 * 60_000);
      // Each next run falls in 07:00-07:30 Berlin time, not on the minute every day.
      const berlin = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Berlin',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
      expect(d.info.nextActionTimes.length).toBeGreaterThan(2);
      for (const t of d.info.nextActionTimes)
        expect(berlin.format(new Date(t))).toMatch(/^07:[0-2]\d$/);
    } finally {
      await scheduleDelete(deps()).catch(() => {});
    }
  });
});
