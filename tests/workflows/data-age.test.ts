/**
 * A report's dataAsOf is its data's own time: the newest file an agent read, or when
 * its API was called (for a cached answer, when the cache was filled), never the time
 * of the run. The CEO step renders it ("Finance data is from 14:02 yesterday (cache)").
 */
import { cp, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NAMES } from '../../src/contract/enums.js';
import { workspaceSources, type Sources } from '../../src/sources/sources.js';
import { DEMO_WORKSPACE, closeStacksAfterEach, uniqueCompanyId } from '../helpers/stack.js';

const stack = closeStacksAfterEach();
const FILES_TIME = new Date('2026-11-30T14:02:00.000Z');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-age-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  for (const f of await readdir(dir)) await utimes(path.join(dir, f), FILES_TIME, FILES_TIME);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dataAsOf', () => {
  it("is the newest file's time for a workspace agent, not the run's", async () => {
    const companyId = uniqueCompanyId('age-files');
    const s = await stack({ companyId, workspace: dir });
    const t0 = Date.now();
    const result = await s.runBriefing();
    const stored = await s.repo.getBriefing(result.workflowId);
    for (const a of AGENT_NAMES) {
      expect(stored!.briefing.agents[a].dataAsOf).toBe(FILES_TIME.toISOString());
      expect(Date.parse(stored!.briefing.agents[a].timestamp)).toBeGreaterThanOrEqual(t0 - 1000);
    }
    const { rows } = await s.repo.pool.query(
      `SELECT DISTINCT data_as_of FROM agent_reports WHERE workflow_id = $1`,
      [result.workflowId],
    );
    expect(rows.map((r) => (r.data_as_of as Date).toISOString())).toEqual([
      FILES_TIME.toISOString(),
    ]);
  });

  it("is the fetch time of a cached API answer, and the stale fallback keeps its report's", async () => {
    const companyId = uniqueCompanyId('age-cache');
    const fetchedAt = new Date(Date.now() - 3 * 3_600_000);
    const base = workspaceSources({ [companyId]: dir });
    let failFinance = false;
    const sources: Sources = {
      ...base,
      async loadAgentInput(id, agent, when) {
        const loaded = await base.loadAgentInput(id, agent, when);
        if (agent.name !== 'finance') return loaded;
        if (failFinance) throw new Error('stripe is down');
        // What the source guard returns for a cache hit: the fetch time and the age.
        return {
          ...loaded,
          dataAsOf: fetchedAt,
          origin: { source: 'stripe', cacheAgeMs: Date.now() - fetchedAt.getTime() },
        };
      },
    };
    const s = await stack({ companyId, sources });
    const first = await s.runBriefing();
    const finance = (await s.repo.getBriefing(first.workflowId))!.briefing.agents.finance;
    expect(finance).toMatchObject({
      status: 'ok',
      source: 'stripe',
      dataAsOf: fetchedAt.toISOString(),
    });
    expect(finance.cacheAgeMs).toBeGreaterThan(3 * 3_600_000 - 60_000);

    failFinance = true;
    const second = await s.runBriefing();
    const stale = (await s.repo.getBriefing(second.workflowId))!.briefing.agents.finance;
    expect(stale.status).toBe('stale');
    expect(stale.dataAsOf).toBe(fetchedAt.toISOString());
  });

  it('is never later than the report itself (a file touched during the run)', async () => {
    const companyId = uniqueCompanyId('age-future');
    const base = workspaceSources({ [companyId]: dir });
    const s = await stack({
      companyId,
      sources: {
        ...base,
        async loadAgentInput(id, agent, when) {
          return {
            ...(await base.loadAgentInput(id, agent, when)),
            dataAsOf: new Date(Date.now() + 86_400_000),
          };
        },
      },
    });
    const result = await s.runBriefing();
    const b = (await s.repo.getBriefing(result.workflowId))!.briefing;
    for (const a of AGENT_NAMES) {
      expect(Date.parse(b.agents[a].dataAsOf)).toBeLessThanOrEqual(
        Date.parse(b.agents[a].timestamp),
      );
    }
  });
});
