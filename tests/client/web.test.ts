/**
 * The web app's parts as `serve` builds them (src/client/web.ts), in-process, against
 * the suite's real Temporal and Postgres and a worker that serves registered companies:
 * Today lists a registered company that has no briefing yet; Run now runs the page's
 * company, a registered one in its own zone; a company known only from its briefings
 * (removed) or unknown is refused with a 404 and nothing starts.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/client/errors.js';
import { createSources } from '../../src/client/sources.js';
import { servedCompanies, temporalView } from '../../src/client/web.js';
import type { DailyBriefingInput, DailyBriefingResult } from '../../src/shared/workflow-api.js';
import type { Repository } from '../../src/store/repository.js';
import { createWebApp } from '../../src/web/app.js';
import { loadMetricDocs } from '../../src/web/metric-docs.js';
import { commandDeps, stackEnv } from '../helpers/cli.js';
import { DEMO_WORKSPACE, closeStacksAfterEach, uniqueCompanyId } from '../helpers/stack.js';
import { todayOf } from '../helpers/web.js';

const stack = closeStacksAfterEach();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const TOKEN = 'web-test-token';
const bearer = { Authorization: `Bearer ${TOKEN}` };

async function workspace(id: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-web-'));
  dirs.push(dir);
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, 'company.yaml');
  await writeFile(
    file,
    (await readFile(file, 'utf8'))
      .replace(/^id: .*$/m, `id: ${id}`)
      .replace(/^name: .*$/m, 'name: Sydney Studio')
      .replace(/^timezone: .*$/m, 'timezone: Australia/Sydney'),
  );
  return dir;
}

/** The registry narrowed to `ids`: other files register companies in the same database at once. */
function registryOf(repo: Repository, ids: readonly string[]) {
  return {
    getCompany: (id: string) =>
      ids.includes(id) ? repo.getCompany(id) : Promise.resolve(undefined),
    listCompanies: async () => (await repo.listCompanies()).filter((c) => ids.includes(c.id)),
    companyFacts: (id: string) => repo.companyFacts(id),
  };
}

describe('the web app over the registry', () => {
  it('Today lists a registered company without a briefing; Run now runs it in its zone; removed or unknown: 404', async () => {
    const fleet = uniqueCompanyId('web-fleet');
    const config = commandDeps(stackEnv({ companyId: fleet, taskQueue: 'unused' })).config;
    const probe = await stack({ withWorker: false });
    const s = await stack({
      companyId: fleet,
      sources: createSources(config, { registry: probe.repo, registryTtlMs: 0 }),
    });
    const scoped = commandDeps(stackEnv(s)).config;
    const id = uniqueCompanyId('web-reg');
    const registry = registryOf(s.repo, [id]);
    await s.repo.addCompany({
      id,
      name: 'Sydney Studio',
      currency: 'AUD',
      timeZone: 'Australia/Sydney',
      workspace: await workspace(id),
      cron: '0 7 * * *',
    });
    try {
      const starts: string[] = [];
      const view = temporalView(s.client, scoped, undefined, registry);
      const app = createWebApp({
        repo: todayOf(s.repo, [s.companyId, id]),
        companies: servedCompanies(
          [{ id: s.companyId, name: 'Northwind Analytics', timeZone: 'UTC' }],
          registry,
        ),
        temporal: { ...view, runNow: (co) => (starts.push(co), view.runNow(co)) },
        auth: { token: TOKEN },
        metricDocs: await loadMetricDocs(),
      });

      // Two companies, neither with a briefing: Today lists both, the registered one by its name.
      const today = await app.request('/', { headers: bearer });
      expect(today.status).toBe(200);
      const body = await today.text();
      expect(body).toContain(`<a href="/companies/${id}">Sydney Studio</a>`);
      expect(body).toContain(`<a href="/companies/${s.companyId}">Northwind Analytics</a>`);
      expect(body.match(/No briefing yet\./g)).toHaveLength(2);

      const runsPage = async () =>
        (await app.request(`/companies/${id}/runs`, { headers: bearer })).text();
      expect(await runsPage()).toContain(`action="/companies/${id}/runs"`);
      const pressed = await app.request(`/companies/${id}/runs`, {
        method: 'POST',
        headers: bearer,
      });
      expect(pressed.status).toBe(303);
      const workflowId = decodeURIComponent(pressed.headers.get('location')!.split('started=')[1]!);
      expect(workflowId).toMatch(new RegExp(`^briefing-${id}-`));
      const handle = s.client.workflow.getHandle(workflowId);
      const result = (await handle.result()) as DailyBriefingResult;
      expect(result.created).toBe(true);
      const started = (await handle.fetchHistory()).events![0]!
        .workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      expect(JSON.parse(Buffer.from(started.data!).toString()) as DailyBriefingInput).toMatchObject(
        { companyId: id, timeZone: 'Australia/Sydney', trigger: 'manual' },
      );
      expect((await s.repo.latestBriefing(id))?.workflowId).toBe(workflowId);

      // Removed: its briefings stay readable, but it is not run.
      await s.repo.removeCompany(id);
      const readOnly = await app.request(`/companies/${id}`, { headers: bearer });
      expect(readOnly.status).toBe(200);
      // No Run now button where it could only answer 404.
      expect(await readOnly.text()).not.toContain(`action="/companies/${id}/runs"`);
      expect(await runsPage()).not.toContain(`action="/companies/${id}/runs"`);
      const removed = await app.request(`/companies/${id}/runs`, {
        method: 'POST',
        headers: bearer,
      });
      expect(removed.status).toBe(404);
      expect(await removed.text()).toContain(
        `Sydney Studio (${id}) is not served here: it is neither the configured company nor a registered one`,
      );
      const unknown = await app.request(`/companies/${uniqueCompanyId('none')}/runs`, {
        method: 'POST',
        headers: bearer,
      });
      expect(unknown.status).toBe(404);
      expect(starts).toEqual([id]);
      // And the view itself refuses what it does not serve, naming the companies.
      await expect(view.runNow(id)).rejects.toThrow(NotFoundError);
      await expect(view.runNow(id)).rejects.toThrow(
        `No company "${id}". Companies: "${s.companyId}"`,
      );
    } finally {
      await s.repo.removeCompany(id);
    }
  });

  it('servedCompanies: the configured company first and once, the registry read on every call', async () => {
    let registered = [
      { id: 'cfg', name: 'Registered Twin', currency: 'EUR', timeZone: 'Europe/Rome' },
      { id: 'b', name: 'B Co', currency: 'GBP', timeZone: 'Europe/London' },
    ];
    const companies = servedCompanies([{ id: 'cfg', name: 'Configured', timeZone: 'UTC' }], {
      listCompanies: async () =>
        registered.map((c) => ({
          ...c,
          workspace: '/w',
          cron: '0 7 * * *',
          createdAt: new Date(),
        })),
    });
    expect(await companies()).toEqual([
      { id: 'cfg', name: 'Configured', timeZone: 'UTC' },
      { id: 'b', name: 'B Co', currency: 'GBP', timeZone: 'Europe/London' },
    ]);
    registered = registered.slice(0, 1);
    expect((await companies()).map((c) => c.id)).toEqual(['cfg']);
  });
});
