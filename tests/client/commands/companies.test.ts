/**
 * `boardroom companies`: the registry in Postgres, a schedule per company in its zone,
 * refusals that name the file and field, and a worker that serves a company registered
 * while it runs (the registry-backed sources), on the suite's real Temporal and Postgres.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, ScheduleNotFoundError, WorkflowFailedError } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  companiesAdd,
  companiesList,
  companiesRemove,
  companiesShow,
} from '../../../src/client/commands/companies.js';
import { createSources } from '../../../src/client/sources.js';
import { NotFoundError } from '../../../src/client/errors.js';
import { ConfigError, ValidationError } from '../../../src/shared/errors.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach, DEMO_WORKSPACE, uniqueCompanyId } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of today's demo workspace whose company.yaml says `id`, with `edit` applied. */
async function workspace(id: string, edit: (yaml: string) => string = (y) => y): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-co-'));
  dirs.push(dir);
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, 'company.yaml');
  const yaml = (await readFile(file, 'utf8')).replace(/^id: .*$/m, `id: ${id}`);
  await writeFile(file, edit(yaml));
  return dir;
}

describe('companies', () => {
  it('add registers the company with its own schedule in its zone; list, show; remove keeps its briefings', async () => {
    const s = await stack({ withWorker: false });
    const id = uniqueCompanyId('reg');
    const dir = await workspace(id, (y) => y.replace(/^timezone: .*$/m, 'timezone: Asia/Tokyo'));
    const deps = commandDeps(stackEnv(s));
    expect(await companiesAdd({ dir, cron: '30 6 * * *' }, deps)).toBe(0);
    expect(deps.output.stderr).toContain(
      `Added "${id}" (Northwind Analytics, USD, Asia/Tokyo) from ${dir}; daily schedule boardroom-daily-${id}: "30 6 * * *" in Asia/Tokyo.`,
    );
    const d = await s.client.schedule.getHandle(`boardroom-daily-${id}`).describe();
    expect(d.spec.timezone).toBe('Asia/Tokyo');
    expect(
      (d.action as { args?: { companyId: string; timeZone: string }[] }).args?.[0],
    ).toMatchObject({
      companyId: id,
      timeZone: 'Asia/Tokyo',
    });

    const list = commandDeps(stackEnv(s));
    expect(await companiesList({ json: true }, list)).toBe(0);
    const listed = JSON.parse(list.output.stdout) as {
      id: string;
      workspace: string;
      cron: string;
    }[];
    expect(listed.find((c) => c.id === id)).toMatchObject({ workspace: dir, cron: '30 6 * * *' });
    const show = commandDeps(stackEnv(s));
    expect(await companiesShow({ id }, show)).toBe(0);
    expect(show.output.stdout).toContain(`Northwind Analytics (${id})`);
    expect(show.output.stdout).toMatch(/schedule: {2}boardroom-daily-.*"30 6 \* \* \*", next /);

    // The same id again: refused, naming the field, nothing changed.
    await expect(companiesAdd({ dir }, commandDeps(stackEnv(s)))).rejects.toThrow(
      new RegExp(
        `A company "${id}" is registered already \\(workspace ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`,
      ),
    );

    // --if-new: the same folder again is left as it is; another folder is still refused.
    const again = commandDeps(stackEnv(s));
    expect(await companiesAdd({ dir, ifNew: true }, again)).toBe(0);
    expect(again.output.stderr).toContain(
      `"${id}" is registered already from ${dir}: left as it is.`,
    );
    expect((await s.repo.getCompany(id))?.cron).toBe('30 6 * * *');
    const elsewhere = await workspace(id);
    await expect(
      companiesAdd({ dir: elsewhere, ifNew: true }, commandDeps(stackEnv(s))),
    ).rejects.toThrow(`A company "${id}" is registered already`);

    // Removing: the schedule and the row go; a briefing saved for it stays.
    await s.repo.pool.query(`SELECT 1`);
    expect(await companiesRemove({ id }, commandDeps(stackEnv(s)))).toBe(0);
    await expect(s.client.schedule.getHandle(`boardroom-daily-${id}`).describe()).rejects.toThrow(
      ScheduleNotFoundError,
    );
    expect(await s.repo.getCompany(id)).toBeUndefined();
    await expect(companiesShow({ id }, commandDeps(stackEnv(s)))).rejects.toThrow(NotFoundError);
    await expect(companiesRemove({ id }, commandDeps(stackEnv(s)))).rejects.toThrow(
      `No company "${id}".`,
    );
  });

  it('refuses a workspace whose company.yaml has no usable id, or whose files are invalid, naming file and field', async () => {
    const s = await stack({ withWorker: false });
    const deps = () => commandDeps(stackEnv(s));
    const noId = await workspace('x', (y) => y.replace(/^id: .*\n/m, ''));
    await expect(companiesAdd({ dir: noId }, deps())).rejects.toThrow(
      `${path.join(noId, 'company.yaml')}: id: expected the company's id, lowercase letters, digits and dashes (e.g. "acme"), got null.`,
    );
    const badId = await workspace('Not OK');
    await expect(companiesAdd({ dir: badId }, deps())).rejects.toThrow(ValidationError);
    const id = uniqueCompanyId('bad');
    const badCsv = await workspace(id);
    const deals = path.join(badCsv, 'deals.csv');
    await writeFile(deals, (await readFile(deals, 'utf8')).replace(/,5000000,/, ',lots,'));
    const err = await companiesAdd({ dir: badCsv }, deps()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain(`so "${id}" was not added`);
    expect((err as Error).message).toMatch(/deals\.csv.*line \d+.*amount_cents/);
    expect(await s.repo.getCompany(id)).toBeUndefined();
    await expect(s.client.schedule.getHandle(`boardroom-daily-${id}`).describe()).rejects.toThrow(
      ScheduleNotFoundError,
    );
    await expect(companiesAdd({ dir: '/nonexistent/folder' }, deps())).rejects.toThrow(ConfigError);
    await expect(companiesAdd({ dir: badCsv, cron: 'every day' }, deps())).rejects.toThrow(
      /^--cron: /,
    );
  });

  it('a worker serves a company registered while it runs, from its own workspace', async () => {
    const first = uniqueCompanyId('fleet');
    const config = commandDeps(stackEnv({ companyId: first, taskQueue: 'unused' })).config;
    const s = await stack({ companyId: first, workspace: DEMO_WORKSPACE });
    // The worker's sources as `start` and `worker` build them: the registry behind them.
    // No TTL here: the registry is read on every call, so the removal below counts at once.
    const fleet = await stack({
      sources: createSources(config, { registry: s.repo, registryTtlMs: 0 }),
    });
    const id = uniqueCompanyId('late');
    const dir = await workspace(id);
    await s.repo.addCompany({
      id,
      name: 'Late Co',
      currency: 'USD',
      timeZone: 'UTC',
      workspace: dir,
      cron: '0 7 * * *',
    });
    const result = await fleet.runBriefing({ companyId: id });
    const stored = await fleet.repo.getBriefing(String(result.briefingId));
    expect(stored?.companyId).toBe(id);
    expect(stored?.briefing.agents.finance.metrics.mrr).toBe(15000);

    // Removed while the worker runs: its next run fails at once, not retried, saying why.
    await s.repo.removeCompany(id);
    const err = await fleet.runBriefing({ companyId: id }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'ConfigError', nonRetryable: true });
    expect(cause.message).toContain(
      `Company "${id}" is neither configured on this worker (BOARDROOM_COMPANY_ID is "${first}") nor registered (removed?): ` +
        'register its workspace again with `npx boardroom companies add <workspace-dir>` to serve it.',
    );
    expect((await fleet.repo.listBriefings({ companyId: id })).map((b) => b.id)).toEqual([
      result.briefingId,
    ]);
  });
});
