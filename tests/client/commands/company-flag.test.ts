/**
 * `--company <id>` on the commands, against the suite's real Temporal and Postgres and a
 * worker built as `start` and `worker` build theirs (registry-backed sources, its
 * settings in its identity): a registered company is run, read, scheduled, checked and
 * its status shown with its own workspace and zone; an unknown id is refused before
 * anything connects, in one line that lists the companies (exit 1 from the real CLI).
 * And the configured company in `companies list|show|add|remove`: a registry of one.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { createActivities } from '../../../src/activities/activities.js';
import { AGENTS } from '../../../src/agents/registry.js';
import { backfillCommand } from '../../../src/client/commands/backfill.js';
import {
  briefingLatest,
  briefingList,
  briefingSend,
  briefingShow,
} from '../../../src/client/commands/briefing.js';
import {
  companiesAdd,
  companiesList,
  companiesRemove,
  companiesShow,
} from '../../../src/client/commands/companies.js';
import { deliveryTest } from '../../../src/client/commands/delivery.js';
import { previewCommand } from '../../../src/client/commands/preview.js';
import { runCommand } from '../../../src/client/commands/run.js';
import {
  scheduleCreate,
  scheduleDelete,
  scheduleDescribe,
  schedulePause,
  scheduleTrigger,
  scheduleUnpause,
} from '../../../src/client/commands/schedule.js';
import { sourcesCheck } from '../../../src/client/commands/sources.js';
import { statusCommand } from '../../../src/client/commands/status.js';
import { NotFoundError } from '../../../src/client/errors.js';
import { createSources } from '../../../src/client/sources.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { workerIdentity, workerSettings } from '../../../src/worker/identity.js';
import { commandDeps, runCli, stackEnv } from '../../helpers/cli.js';
import { DEMO_WORKSPACE, closeStacksAfterEach, uniqueCompanyId } from '../../helpers/stack.js';
import { webhookFixture } from '../../delivery/webhook-fixture.js';

const stack = closeStacksAfterEach();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of today's demo workspace as company `id` in `zone`. */
async function workspace(id: string, zone: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-flag-'));
  dirs.push(dir);
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, 'company.yaml');
  await writeFile(
    file,
    (await readFile(file, 'utf8'))
      .replace(/^id: .*$/m, `id: ${id}`)
      .replace(/^name: .*$/m, 'name: Tokyo Works')
      .replace(/^timezone: .*$/m, `timezone: ${zone}`),
  );
  return dir;
}

describe('--company', () => {
  it('a registered company: run, briefing, schedule, status, sources check and delivery test with its own workspace and zone', async () => {
    const s = await stack({ withWorker: false });
    const env = stackEnv(s);
    const fleetConfig = commandDeps(env).config;
    // The worker as `start` builds it: the configured company, the registry behind it,
    // its settings (company, workspace, database) announced in its identity.
    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    const worker = await Worker.create({
      connection,
      taskQueue: s.taskQueue,
      identity: workerIdentity(workerSettings(fleetConfig)),
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({
        repo: s.repo,
        sources: createSources(fleetConfig, { registry: s.repo }),
        clock: () => new Date(),
        log: commandDeps({}).log,
        agents: AGENTS,
      }),
    });
    const running = worker.run();
    const id = uniqueCompanyId('flag');
    const dir = await workspace(id, 'Asia/Tokyo');
    try {
      expect(await companiesAdd({ dir, cron: '45 6 * * *' }, commandDeps(env))).toBe(0);

      const run = commandDeps(env);
      expect(await runCommand({ progress: false, json: true, company: id }, run)).toBe(0);
      const briefing = JSON.parse(run.output.stdout) as { companyId: string; workflowId: string };
      expect(briefing.companyId).toBe(id);
      // Every worker serves registered companies: no warning that this one "serves another company".
      expect(run.output.stderr).not.toContain('Warning');
      const input = (
        (await s.client.workflow.getHandle(briefing.workflowId).fetchHistory()).events?.[0]
          ?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []
      ).map((p) => JSON.parse(Buffer.from(p.data!).toString()) as Record<string, unknown>)[0];
      expect(input).toMatchObject({ companyId: id, timeZone: 'Asia/Tokyo', trigger: 'manual' });

      const latest = commandDeps(env);
      expect(await briefingLatest({ company: id, json: true }, latest)).toBe(0);
      expect(JSON.parse(latest.output.stdout)).toMatchObject({
        companyId: id,
        workflowId: briefing.workflowId,
      });
      const list = commandDeps(env);
      expect(await briefingList({ company: id, json: true, limit: 5 }, list)).toBe(0);
      expect(
        (JSON.parse(list.output.stdout) as { companyId: string }[]).map((r) => r.companyId),
      ).toEqual([id]);
      expect(await briefingShow(briefing.workflowId, { company: id }, commandDeps(env))).toBe(0);
      await expect(
        briefingShow(briefing.workflowId, { company: s.companyId }, commandDeps(env)),
      ).rejects.toThrow(`is of "${id}", not of "${s.companyId}" (--company).`);

      // Its schedule from the registry's cron and its own zone; a different cron is refused.
      await s.client.schedule.getHandle(`boardroom-daily-${id}`).delete();
      const created = commandDeps(env);
      expect(await scheduleCreate({ company: id }, created)).toBe(0);
      expect(created.output.stdout).toContain(
        `Schedule created: "45 6 * * *" (Asia/Tokyo) for company "${id}".`,
      );
      await expect(
        scheduleCreate({ company: id, cron: '0 9 * * *' }, commandDeps(env)),
      ).rejects.toThrow(`--cron: "${id}" is registered with "45 6 * * *" in Asia/Tokyo`);
      const described = commandDeps(env);
      expect(await scheduleDescribe({ company: id, json: true }, described)).toBe(0);
      expect(JSON.parse(described.output.stdout)).toMatchObject({
        scheduleId: `boardroom-daily-${id}`,
        spec: { timezone: 'Asia/Tokyo' },
      });
      const paused = commandDeps(env);
      expect(await schedulePause({ company: id, note: 'test' }, paused)).toBe(0);
      expect(paused.output.stdout).toContain(`Paused the schedule for company "${id}".`);
      expect(
        (await s.client.schedule.getHandle(`boardroom-daily-${id}`).describe()).state.paused,
      ).toBe(true);
      expect(await scheduleUnpause({ company: id }, commandDeps(env))).toBe(0);

      const status = commandDeps(env);
      await statusCommand({ json: true, company: id }, status);
      const report = JSON.parse(status.output.stdout) as {
        companyId: string;
        lastRun?: { workflowId: string };
        schedule?: { timeZone: string };
      };
      expect(report.companyId).toBe(id);
      expect(report.lastRun?.workflowId).toBe(briefing.workflowId);
      expect(report.schedule?.timeZone).toBe('Asia/Tokyo');

      const checked = commandDeps(env);
      expect(await sourcesCheck({ company: id }, checked)).toBe(0);
      expect(checked.output.stdout).toContain(`workspace files in ${dir}`);

      // Its own delivery.yaml, with this environment's secrets.
      const hook = await webhookFixture.start();
      try {
        await writeFile(path.join(dir, 'delivery.yaml'), stringify({ webhook: hook.settings }));
        const delivered = commandDeps(stackEnv(s, hook.env));
        expect(await deliveryTest({ company: id }, delivered)).toBe(0);
        const hooks = await hook.received();
        expect(hooks).toHaveLength(1);
        expect(hooks[0]!.deliveryId).toMatch(new RegExp(`^test:${id}:`));
        expect(JSON.parse(hooks[0]!.text)).toMatchObject({
          company: { id, name: 'Tokyo Works' },
        });
      } finally {
        await hook.close();
      }

      const deleted = commandDeps(env);
      expect(await scheduleDelete(deleted, { company: id })).toBe(0);
      expect(deleted.output.stderr).toContain(`"${id}" stays registered without a daily run`);
      await expect(s.client.schedule.getHandle(`boardroom-daily-${id}`).describe()).rejects.toThrow(
        ScheduleNotFoundError,
      );
      await expect(scheduleDescribe({ company: id }, commandDeps(env))).rejects.toThrow(
        `No schedule for company "${id}". Create it with \`npx boardroom schedule create --company ${id}\`.`,
      );

      // Removed: its briefings stay readable by --company; it is not run any more.
      expect(await companiesRemove({ id }, commandDeps(env))).toBe(0);
      const kept = commandDeps(env);
      expect(await briefingLatest({ company: id, json: true }, kept)).toBe(0);
      expect(JSON.parse(kept.output.stdout)).toMatchObject({ workflowId: briefing.workflowId });
      await expect(runCommand({ progress: false, company: id }, commandDeps(env))).rejects.toThrow(
        `No company "${id}".`,
      );
    } finally {
      await s.repo.removeCompany(id);
      await s.client.schedule
        .getHandle(`boardroom-daily-${id}`)
        .delete()
        .catch(() => undefined);
      worker.shutdown();
      await running;
      await connection.close();
    }
  });

  it('an unknown id: every command refuses it naming the companies, before it runs anything', async () => {
    const s = await stack({ withWorker: false });
    const env = stackEnv(s);
    const company = uniqueCompanyId('nobody');
    const refusals: [string, (deps: ReturnType<typeof commandDeps>) => Promise<number>][] = [
      ['run', (d) => runCommand({ progress: false, company }, d)],
      ['briefing latest', (d) => briefingLatest({ company }, d)],
      ['briefing list', (d) => briefingList({ company, limit: 1 }, d)],
      ['schedule create', (d) => scheduleCreate({ company }, d)],
      ['schedule describe', (d) => scheduleDescribe({ company }, d)],
      ['schedule trigger', (d) => scheduleTrigger(d, { company })],
      ['schedule pause', (d) => schedulePause({ company }, d)],
      ['schedule unpause', (d) => scheduleUnpause({ company }, d)],
      ['schedule delete', (d) => scheduleDelete(d, { company })],
      ['status', (d) => statusCommand({ company }, d)],
      ['sources check', (d) => sourcesCheck({ company }, d)],
      ['backfill', (d) => backfillCommand({ from: '2026-01-01', company }, d)],
      ['delivery test', (d) => deliveryTest({ company }, d)],
      ['preview', (d) => previewCommand({ company }, d)],
    ];
    for (const [name, command] of refusals) {
      const deps = commandDeps(env);
      const err = await command(deps).catch((e: Error) => e);
      expect(err, name).toBeInstanceOf(NotFoundError);
      expect((err as Error).message, name).toMatch(
        new RegExp(
          `^No company "${company}"\\. Companies: "${s.companyId}" \\(from config: BOARDROOM_COMPANY_ID\\)`,
        ),
      );
      expect(deps.output.stdout, name).toBe('');
    }
    // A briefing picked by id, with --company: the id is checked too.
    const run = await stack();
    const { workflowId } = await run.runBriefing();
    const runEnv = stackEnv(run);
    for (const command of [
      () => briefingShow(workflowId, { company }, commandDeps(runEnv)),
      () => briefingSend(workflowId, { company }, commandDeps(runEnv)),
    ])
      await expect(command()).rejects.toThrow(`No company "${company}".`);

    // The real CLI: one line, exit 1, no stack trace.
    const cli = await runCli(['schedule', 'describe', '--company', company], env);
    expect(cli.code).toBe(1);
    expect(cli.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^No company "${company}"\\. Companies: .*Pass one of them, or register a workspace: npx boardroom companies add <workspace-dir>$`,
        ),
      ),
    ]);
  });

  it('the configured company in the registry commands: listed and shown from config, not added twice, not removable', async () => {
    const s = await stack({ withWorker: false });
    const env = stackEnv(s, { BOARDROOM_TIMEZONE: 'Europe/Lisbon' });
    const listed = commandDeps(env);
    expect(await companiesList({ json: true }, listed)).toBe(0);
    const companies = JSON.parse(listed.output.stdout) as Record<string, unknown>[];
    expect(companies[0]).toEqual({
      id: s.companyId,
      name: 'Northwind Analytics',
      currency: 'USD',
      timeZone: 'Europe/Lisbon',
      workspace: DEMO_WORKSPACE,
      cron: '0 7 * * *',
      source: 'config',
      createdAt: null,
    });
    expect(companies.slice(1).every((c) => c.source === 'registry')).toBe(true);
    const text = commandDeps(env);
    expect(await companiesList({}, text)).toBe(0);
    expect(text.output.stdout.split('\n')[0]).toBe(
      `${s.companyId}\tNorthwind Analytics\tUSD\tEurope/Lisbon\t"0 7 * * *"\t${DEMO_WORKSPACE}\tconfig`,
    );

    const shown = commandDeps(env);
    expect(await companiesShow({ id: s.companyId }, shown)).toBe(0);
    expect(shown.output.stdout).toContain(`Northwind Analytics (${s.companyId})`);
    expect(shown.output.stdout).toContain(
      '  from:      config (BOARDROOM_COMPANY_ID, BOARDROOM_WORKSPACE), not registered',
    );

    // Its own workspace: served from config already, nothing registered, no schedule made.
    const own = await workspace(s.companyId, 'UTC');
    const same = commandDeps(stackEnv(s, { BOARDROOM_WORKSPACE: own }));
    expect(await companiesAdd({ dir: own }, same)).toBe(0);
    expect(same.output.stderr).toContain(
      `"${s.companyId}" is the configured company (BOARDROOM_COMPANY_ID, BOARDROOM_WORKSPACE ${own}): ` +
        'it is served from config already, so nothing was registered.',
    );
    expect(await s.repo.getCompany(s.companyId)).toBeUndefined();
    await expect(
      s.client.schedule.getHandle(`boardroom-daily-${s.companyId}`).describe(),
    ).rejects.toThrow(ScheduleNotFoundError);
    // Another folder under its id: refused.
    await expect(companiesAdd({ dir: own }, commandDeps(env))).rejects.toThrow(
      new RegExp(
        `^"${s.companyId}" is the configured company's id \\(BOARDROOM_COMPANY_ID, served from BOARDROOM_WORKSPACE .*\\), so .* was not added`,
      ),
    );
    await expect(companiesRemove({ id: s.companyId }, commandDeps(env))).rejects.toThrow(
      ConfigError,
    );
  });
});
