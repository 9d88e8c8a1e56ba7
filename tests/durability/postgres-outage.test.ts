/**
 * Postgres drops every connection for a few seconds while the CEO step and the save
 * run (pg_terminate_backend on the real server): the steps are retried, and exactly
 * one briefing is written. Needs a real PostgreSQL (DATABASE_URL); CI runs it there.
 */
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { progressQuery } from '../../src/shared/workflow-api.js';
import { startBriefing } from '../../src/client/run.js';
import { workspaceSources } from '../../src/sources/sources.js';
import { DEMO_WORKSPACE, createTestStack, uniqueCompanyId } from '../helpers/stack.js';

it.skipIf(inject('databaseKind') !== 'external')(
  'writes exactly one briefing when Postgres drops its connections during the save',
  async () => {
    const companyId = uniqueCompanyId('pg-outage');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const base = workspaceSources({ [companyId]: DEMO_WORKSPACE });
    const s = await createTestStack({
      companyId,
      sources: {
        loadCompany: async (id) => {
          await gate; // the CEO step waits here until the outage has begun
          return base.loadCompany(id);
        },
        loadAgentInput: (id, agent, when) => base.loadAgentInput(id, agent, when),
      },
    });
    const killer = new pg.Client({ connectionString: inject('databaseUrl') });
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
