/**
 * `schedule trigger`: one run per company and day unless --allow-overlap, and it says
 * what happened (started which run, or why not) instead of "Triggered" for a run that
 * never starts.
 */
import { describe, expect, it } from 'vitest';
import { scheduleCreate, scheduleTrigger } from '../../../src/client/commands/schedule.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('schedule trigger', () => {
  it('two at once start one run; one 1.5 s later starts none; --allow-overlap starts another', async () => {
    const s = await stack();
    const env = stackEnv(s);
    const runs = async () =>
      (
        await s.repo.pool.query(`SELECT workflow_id FROM briefing_runs WHERE company_id = $1`, [
          s.companyId,
        ])
      ).rows.map((r: { workflow_id: string }) => r.workflow_id);
    try {
      expect(await scheduleCreate({}, commandDeps(env))).toBe(0);
      const [a, b] = [commandDeps(env), commandDeps(env)];
      const codes = await Promise.all([scheduleTrigger(a), scheduleTrigger(b)]);
      const said = [a, b].map((d) => d.output.stdout + d.output.stderr);
      // One started a run, named; the other started none and said so (or both saw one
      // start and one skipped, when Temporal took the two in the same instant).
      const started = said.filter((t) =>
        new RegExp(`^Triggered the schedule for company "${s.companyId}": started briefing-`).test(
          t,
        ),
      );
      expect(started.length, said.join('\n')).toBeGreaterThanOrEqual(1);
      if (started.length === 1) {
        expect(codes.sort()).toEqual([0, 1]);
        expect(said.find((t) => !started.includes(t))).toMatch(/^Not triggered: /);
      } else {
        // Temporal took both in one instant and started one run: both name that same run.
        const ids = started.map((t) => /started (briefing-\S+?)\./.exec(t)?.[1]);
        expect(new Set(ids).size, said.join('\n')).toBe(1);
      }
      await expect.poll(runs, { timeout: 20_000 }).toHaveLength(1);

      await new Promise((r) => setTimeout(r, 1_500));
      const later = commandDeps(env);
      expect(await scheduleTrigger(later)).toBe(1);
      expect(later.output.stdout).toBe('');
      expect(later.output.stderr).toMatch(
        new RegExp(
          `^Not triggered: (briefing-\\S+ of company "${s.companyId}" is still running \\(one run at a time\\)|` +
            `today's run of company "${s.companyId}", briefing-\\S+, started at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d ` +
            `\\(America/New_York\\) \\(one run per company and day\\))\\. Pass --allow-overlap to start another anyway\\.\\n$`,
        ),
      );
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await runs()).toHaveLength(1);

      const forced = commandDeps(env);
      expect(await scheduleTrigger(forced, { allowOverlap: true })).toBe(0);
      expect(forced.output.stdout).toMatch(/: started briefing-\S+-scheduled-/);
      await expect.poll(runs, { timeout: 20_000 }).toHaveLength(2);
    } finally {
      await s.client.schedule
        .getHandle(`boardroom-daily-${s.companyId}`)
        .delete()
        .catch(() => {});
    }
  });
});
