/**
 * The registry-backed sources a worker runs with (`createSources(config, { registry })`):
 * a registered company is served from its workspace, re-read from the registry once its
 * entry is older than the TTL, so a removed company stops being served (a permanent
 * ConfigError that names it and says what to do) and one added again from another
 * folder is read there. The clock is the test's: no waiting. Real Postgres.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createSources } from '../../src/client/sources.js';
import { loadConfig } from '../../src/config.js';
import { AGENTS } from '../../src/agents/registry.js';
import { ConfigError } from '../../src/shared/errors.js';
import { Repository } from '../../src/store/repository.js';
import { DEMO_WORKSPACE, uniqueCompanyId } from '../helpers/stack.js';

const repo = Repository.connect(inject('databaseUrl'), { max: 2 });
const dirs: string[] = [];
const ids: string[] = [];
afterAll(async () => {
  for (const id of ids) await repo.removeCompany(id);
  await repo.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of the demo workspace whose company is called `name`. */
async function workspaceNamed(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-src-'));
  dirs.push(dir);
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, 'company.yaml');
  await writeFile(
    file,
    (await readFile(file, 'utf8')).replace(/^name: .*$/m, `name: ${JSON.stringify(name)}`),
  );
  return dir;
}

function register(id: string, workspace: string) {
  return repo.addCompany({
    id,
    name: id,
    currency: 'USD',
    timeZone: 'UTC',
    workspace,
    cron: '0 7 * * *',
  });
}

const config = loadConfig(
  { BOARDROOM_COMPANY_ID: 'configured', BOARDROOM_WORKSPACE: DEMO_WORKSPACE },
  { cwd: process.cwd(), isTTY: false },
);

describe('registry-backed sources', () => {
  it('re-reads the registry after the TTL: a removed company fails, one moved is read in its new folder', async () => {
    const id = uniqueCompanyId('ttl');
    ids.push(id);
    const first = await workspaceNamed('First Folder Co');
    const second = await workspaceNamed('Second Folder Co');
    await register(id, first);
    let now = 1_000_000;
    let lookUps = 0;
    const counted = {
      getCompany: (c: string) => (lookUps++, repo.getCompany(c)),
    };
    const sources = createSources(config, {
      registry: counted,
      registryTtlMs: 10_000,
      now: () => now,
    });
    expect((await sources.loadCompany(id)).profile.name).toBe('First Folder Co');
    // A run's six agents at once: one look-up between them.
    await Promise.all(Object.values(AGENTS).map((agent) => sources.loadAgentInput(id, agent)));
    expect(lookUps).toBe(1);

    // Removed and added again elsewhere: within the TTL the worker still reads the old folder ...
    await repo.removeCompany(id);
    await register(id, second);
    now += 9_999;
    expect((await sources.loadCompany(id)).profile.name).toBe('First Folder Co');
    expect(lookUps).toBe(1);
    // ... and past it, the new one.
    now += 1;
    expect((await sources.loadCompany(id)).profile.name).toBe('Second Folder Co');
    expect(lookUps).toBe(2);

    // Removed for good: past the TTL its runs fail, permanently, saying what to do.
    await repo.removeCompany(id);
    now += 10_000;
    const err = await sources.loadCompany(id).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).permanent).toBe(true);
    expect((err as Error).message).toBe(
      `Company "${id}" is neither configured on this worker (BOARDROOM_COMPANY_ID is "configured") ` +
        'nor registered (removed?): register its workspace again with ' +
        '`npx boardroom companies add <workspace-dir>` to serve it.',
    );
    // Not cached as gone: registered again, it is served on the next call.
    await register(id, second);
    expect((await sources.loadCompany(id)).profile.name).toBe('Second Folder Co');
  });

  it('the configured company is never looked up; an unknown one is refused at once', async () => {
    const sources = createSources(config, {
      registry: { getCompany: () => Promise.reject(new Error('looked up')) },
      registryTtlMs: 0,
    });
    expect((await sources.loadCompany('configured')).profile.name).toBe('Northwind Analytics');
    const none = createSources(config, { registry: repo, registryTtlMs: 0 });
    await expect(none.loadCompany(uniqueCompanyId('never'))).rejects.toThrow(
      /is neither configured on this worker .* nor registered/,
    );
  });
});
