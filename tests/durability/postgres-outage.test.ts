/**
 * Postgres outages. (1) Postgres drops every connection for a few seconds while the CEO
 * step and the save run (pg_terminate_backend on the real server): the steps are
 * retried, and exactly one briefing is written; needs a real PostgreSQL (DATABASE_URL),
 * and runs on a database of its own: it cuts every connection to its database, which
 * on the suite's would cut the test files running beside it.
 * (2) A TCP proxy between the worker and Postgres stops forwarding for 10 s while the
 * agents run (any Postgres): each activity rides it out (it retries the store for up to
 * 30 s, apart from the agents' own attempts), so no agent turns stale.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { AGENT_NAMES } from '../../src/contract/enums.js';
import { progressQuery, type DailyBriefingResult } from '../../src/shared/workflow-api.js';
import { startBriefing } from '../../src/client/run.js';
import { workspaceSources } from '../../src/sources/sources.js';
import { migrate } from '../../src/store/migrate.js';
import { startTcpProxy } from '../fixtures/tcp-proxy.js';
import { DEMO_WORKSPACE, createTestStack, uniqueCompanyId } from '../helpers/stack.js';

const dropDatabases: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of dropDatabases) await drop();
});

/** A migrated database of this test's own on the suite's server, dropped at the end. */
async function ownDatabase(): Promise<string> {
  const name = `boardroom_outage_${randomUUID().slice(0, 8)}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: inject('databaseUrl') });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  dropDatabases.push(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return url.toString();
}

it.skipIf(inject('databaseKind') !== 'external')(
  'writes exactly one briefing when Postgres drops its connections during the save',
  async () => {
    const databaseUrl = await ownDatabase();
    const companyId = uniqueCompanyId('pg-outage');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const base = workspaceSources({ [companyId]: DEMO_WORKSPACE });
    const s = await createTestStack({
      companyId,
      databaseUrl,
      sources: {
        loadCompany: async (id) => {
          await gate; // the CEO step waits here until the outage has begun
          return base.loadCompany(id);
        },
        loadAgentInput: (id, agent, when) => base.loadAgentInput(id, agent, when),
      },
    });
    const killer = new pg.Client({ connectionString: databaseUrl });
    await killer.connect();
    try {
      const handle = await startBriefing(s.client, {
        taskQueue: s.taskQueue,
        input: s.input(),
        now: new Date(),
      });
      for (let i = 0; i < 200 && (await handle.query(progressQuery)).step === 'agents'; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      // Outage: for 3 s, every other connection to the database is terminated as it appears.
      const until = Date.now() + 3000;
      let terminated = 0;
      release();
      while (Date.now() < until) {
        const { rows } = await killer.query(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        terminated += rows[0].n;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(terminated).toBeGreaterThan(0);
      const result = (await handle.result()) as { created: boolean };
      expect(result.created).toBe(true);
      expect(await s.repo.countBriefings(handle.workflowId)).toBe(1);
      const { rows } = await s.repo.pool.query(
        `SELECT count(*)::int AS n FROM briefing_runs WHERE workflow_id = $1`,
        [handle.workflowId],
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await killer.end();
      await s.close();
    }
  },
);

it('a 10 s Postgres outage during the agents (a proxy that stops forwarding) leaves every agent ok', async () => {
  const direct = new URL(inject('databaseUrl'));
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });
  const s = await createTestStack({ workerDatabaseUrl: proxy.via(inject('databaseUrl')) });
  try {
    // A warm pool: its idle connections go silent mid-query when the outage begins.
    await s.runBriefing();
    proxy.outage();
    const t0 = Date.now();
    const handle = await startBriefing(s.client, {
      taskQueue: s.taskQueue,
      // The app's own agent retry policy (3 attempts, 1 s then 2 s apart): alone it spans ~3 s.
      input: s.input({
        agentActivity: {
          initialRetryMs: 1_000,
          maxAttempts: 3,
          heartbeatTimeoutMs: 10_000,
          startToCloseTimeoutMs: 120_000,
        },
      }),
      now: new Date(),
    });
    await new Promise((r) => setTimeout(r, 10_000));
    proxy.restore();
    const result = (await handle.result()) as DailyBriefingResult;
    console.log(
      `postgres outage of 10 s during the agents: run completed ${((Date.now() - t0) / 1000).toFixed(1)} s after it began; ` +
        `${proxy.stats.reset} connections refused, ${proxy.stats.stalled} went silent`,
    );
    expect(proxy.stats.reset + proxy.stats.stalled).toBeGreaterThan(0);
    for (const a of AGENT_NAMES) expect(result.agents[a]).toEqual({ status: 'ok', attempts: 1 });
    expect(await s.repo.countBriefings(handle.workflowId)).toBe(1);
  } finally {
    await s.close();
    await proxy.close();
  }
});
