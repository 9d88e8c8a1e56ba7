/**
 * The living demo in the CLI: with no BOARDROOM_WORKSPACE the config names the generated
 * folder; commands generate it for today; a worker's sources regenerate it for a later
 * day's run, and read it as it is for an earlier (backfilled) day.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENTS } from '../../src/agents/registry.js';
import { loadConfig } from '../../src/config.js';
import { prepareWorkspace } from '../../src/client/demo.js';
import { createSources } from '../../src/client/sources.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-demo-cli-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const markerDate = async (dir: string) =>
  /^date: (\S+)$/m.exec(await readFile(path.join(dir, '.demo-date'), 'utf8'))?.[1];

describe('the living demo in the CLI', () => {
  it('is the default workspace, under the data folder; BOARDROOM_WORKSPACE turns it off', () => {
    const demo = loadConfig({ BOARDROOM_DATA_DIR: tmp }, { cwd: '/' });
    expect(demo.company).toEqual({
      id: 'demo',
      workspace: path.join(tmp, 'demo-workspace'),
      demo: true,
    });
    const own = loadConfig({ BOARDROOM_WORKSPACE: 'acme' }, { cwd: '/home/me' });
    expect(own.company).toEqual({ id: 'demo', workspace: '/home/me/acme', demo: false });
  });

  it("is generated for today; a later day's run regenerates it, an earlier day's reads it as it is", async () => {
    const config = loadConfig(
      { BOARDROOM_DATA_DIR: path.join(tmp, 'a'), BOARDROOM_TIMEZONE: 'UTC' },
      { cwd: '/' },
    );
    const dir = config.company.workspace;
    expect(await prepareWorkspace(config, { today: '2027-03-10' })).toBe('2027-03-10');
    expect(await markerDate(dir)).toBe('2027-03-10');

    const sources = createSources(config);
    const load = (today: string) =>
      sources.loadAgentInput('demo', AGENTS.sales, { today, asOf: new Date(`${today}T12:00:00Z`) });
    await load('2027-02-01'); // a backfilled day: the folder stays today's
    expect(await markerDate(dir)).toBe('2027-03-10');
    const next = await load('2027-03-11'); // tomorrow's scheduled run
    expect(await markerDate(dir)).toBe('2027-03-11');
    // The Acme deal closes 4 days after the demo's day, whichever day that is.
    const deals = (next.input as { deals: { id: string; close_date: string }[] }).deals;
    expect(deals.find((d) => d.id === 'D-001')?.close_date).toBe('2027-03-15');
  });

  it("never touches a user's workspace", async () => {
    const config = loadConfig(
      { BOARDROOM_WORKSPACE: path.resolve('examples/demo-workspace') },
      { cwd: '/' },
    );
    expect(await prepareWorkspace(config)).toBeUndefined();
  });
});
