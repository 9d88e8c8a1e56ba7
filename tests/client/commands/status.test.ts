/**
 * `gatherStatus` and `statusCommand` called directly against the suite's Temporal and
 * Postgres: what needs attention before the first run, all good after it.
 */
import { describe, expect, it } from 'vitest';
import { scheduleCreate } from '../../../src/client/commands/schedule.js';
import { gatherStatus, statusCommand } from '../../../src/client/commands/status.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { DEMO_WORKSPACE, closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('status', () => {
  it('needs attention before the first run and schedule; all good after them', async () => {
    const s = await stack();
    const env = stackEnv(s);
    const before = await gatherStatus(commandDeps(env));
    expect(before).toMatchObject({
      companyId: s.companyId,
      sources: [{ source: 'workspace', ok: true }],
      breakers: [],
      cache: [],
      lastRun: undefined,
      agents: [],
      schedule: undefined,
      attention: [
        'no briefing yet: run `npx boardroom run` or `npm start`',
        'no daily schedule: create it with `npx boardroom schedule create`',
      ],
    });
    try {
      expect(await scheduleCreate({}, commandDeps(env))).toBe(0);
      const run = await s.runBriefing();
      const deps = commandDeps(env);
      expect(await statusCommand({}, deps)).toBe(0);
      const lines = deps.output.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`Company ${s.companyId} (${DEMO_WORKSPACE})`);
      expect(lines).toContain(
        '  ✔ workspace (finance, sales, operations, marketing, hr, customer-success): ' +
          `workspace files in ${DEMO_WORKSPACE}`,
      );
      expect(deps.output.stdout).toContain(
        `Last run: #${run.briefingId} ${run.workflowId} (manual) complete`,
      );
      expect(lines.filter((l) => /^ {2}✔ \S+ +attempt 1, /.test(l))).toHaveLength(6);
      // In the company's time zone (the demo's America/New_York), not a UTC instant.
      expect(lines.at(-2)).toMatch(
        /^Schedule: active, next run \d{4}-\d\d-\d\d 07:00 \(America\/New_York\)$/,
      );
      expect(lines.at(-1)).toBe('All good.');

      const json = commandDeps(env);
      expect(await statusCommand({ json: true }, json)).toBe(0);
      expect(JSON.parse(json.output.stdout)).toMatchObject({
        companyId: s.companyId,
        lastRun: { outcome: 'complete', workflowId: run.workflowId },
        schedule: { state: 'active', timeZone: 'America/New_York' },
        attention: [],
      });
    } finally {
      await s.client.schedule
        .getHandle(`boardroom-daily-${s.companyId}`)
        .delete()
        .catch(() => {});
    }
  });

  it('a Temporal it cannot reach is a finding (exit 1), not a crash', async () => {
    const s = await stack({ withWorker: false });
    const deps = commandDeps(stackEnv(s, { TEMPORAL_ADDRESS: '127.0.0.1:1' }));
    expect(await statusCommand({}, deps)).toBe(1);
    expect(deps.output.stdout).toContain('Schedule: unknown\n');
    expect(deps.output.stdout).toMatch(/ {2}- Cannot reach Temporal at 127\.0\.0\.1:1 /);
  });
});
