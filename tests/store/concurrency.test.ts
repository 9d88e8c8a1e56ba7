/**
 * Concurrent starts are safe: migrations wait for each other (bounded) and skip when
 * already applied, opening the database to read or start runs migrates nothing, and
 * run ids never collide. Against a fresh database of its own: a new in-memory embedded
 * Postgres, and a new database on the real server when DATABASE_URL is set.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ServiceUnavailableError } from '../../src/shared/errors.js';
import { manualWorkflowId } from '../../src/shared/workflow-api.js';
import { openDatabase } from '../../src/store/database.js';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.js';
import { migrate } from '../../src/store/migrate.js';
import { startBriefing } from '../../src/client/run.js';
import { createTestStack } from '../helpers/stack.js';

const run = promisify(execFile);
const external = inject('databaseKind') === 'external';
const silent = createLogger({ level: 'silent', format: 'json' });
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A database nobody has migrated: on the real server when there is one, else embedded. */
async function freshDatabase(kind: 'embedded' | 'external'): Promise<string> {
  if (kind === 'embedded') {
    const e = await startEmbeddedPostgres({ dataDir: undefined, port: 0 });
    cleanups.push(() => e.stop());
    return e.url;
  }
  const name = `boardroom_conc_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: inject('databaseUrl') });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

async function appliedMigrations(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT name FROM boardroom_migrations ORDER BY id`);
    return rows.map((r) => r.name);
  } finally {
    await c.end();
  }
}

const kinds = external ? (['embedded', 'external'] as const) : (['embedded'] as const);

describe.each(kinds)('migrations on a fresh %s database', (kind) => {
  it('ten parallel migrate() calls: one applies everything, the others wait and find nothing to do', async () => {
    const url = await freshDatabase(kind);
    const results = await Promise.all(Array.from({ length: 10 }, () => migrate(url, silent)));
    const appliers = results.filter((r) => r.length > 0);
    expect(appliers).toHaveLength(1);
    expect(await appliedMigrations(url)).toEqual(appliers[0]);
    expect(appliers[0]!.length).toBeGreaterThanOrEqual(4);
  });

  it('four worker processes starting at once all open the database; it is migrated once', async () => {
    const url = await freshDatabase(kind);
    const env = { ...process.env, DATABASE_URL: url, BOARDROOM_LOG_LEVEL: 'silent' };
    const outs = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, ['--import', 'tsx', 'tests/fixtures/open-database.ts'], {
          env,
          timeout: 60_000,
        }).then(
          (r) => r.stdout.trim(),
          (err: { stdout?: string; message: string }) => err.stdout?.trim() || err.message,
        ),
      ),
    );
    expect(
      outs.every((o) => /^ok \d+ 0$/.test(o)),
      outs.join('\n'),
    ).toBe(true);
    // Exactly one process applied the migrations; each one exactly once.
    const counts = outs.map((o) => Number(o.split(' ')[1]));
    expect(counts.filter((n) => n > 0)).toHaveLength(1);
    const applied = await appliedMigrations(url);
    expect(new Set(applied).size).toBe(applied.length);
  });

  it('opening the database to read or start runs migrates nothing', async () => {
    if (kind === 'embedded') return; // a fresh embedded database of one's own is migrated by its owner
    const url = await freshDatabase(kind);
    const db = await openDatabase(loadConfig({ DATABASE_URL: url }), silent);
    try {
      const { rows } = await db.repo.pool.query(`SELECT to_regclass('boardroom_migrations') AS t`);
      expect(rows[0].t).toBeNull();
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!external)('the migration lock on the real Postgres', () => {
  it('waits for a migration in progress, bounded: a held lock fails with a clear error after lockTimeoutMs', async () => {
    const url = await freshDatabase('external');
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(7241865325823965)');
      const t0 = Date.now();
      const err = await migrate(url, silent, { lockTimeoutMs: 800 }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect((err as Error).message).toMatch(
        /Another boardroom process has been migrating the database/,
      );
      expect(Date.now() - t0).toBeLessThan(5_000);
      // Once the holder is done, the waiting one goes ahead.
      const waiting = migrate(url, silent, { lockTimeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 300));
      await holder.query('COMMIT');
      expect((await waiting).length).toBeGreaterThanOrEqual(4);
    } finally {
      await holder.end();
    }
  });

  it('an up-to-date database takes no lock: migrate() returns at once while another holds it', async () => {
    const url = inject('databaseUrl');
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(7241865325823965)');
      const t0 = Date.now();
      expect(await migrate(url, silent, { lockTimeoutMs: 5_000 })).toEqual([]);
      expect(Date.now() - t0).toBeLessThan(2_000);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});

describe('run ids', () => {
  it('are unique for many runs started in the same millisecond', () => {
    const at = new Date('2026-12-01T08:00:00.000Z');
    const ids = Array.from({ length: 5000 }, () => manualWorkflowId('acme', at));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^briefing-acme-2026-12-01T08-00-00-000Z-[0-9a-f]{8}$/);
  });
});

describe('twenty runs started at the same moment', () => {
  it('all start: no WorkflowExecutionAlreadyStartedError from ids of one millisecond', async () => {
    const s = await createTestStack({ withWorker: false });
    const now = new Date();
    try {
      const handles = await Promise.all(
        Array.from({ length: 20 }, () =>
          startBriefing(s.client, { taskQueue: s.taskQueue, input: s.input(), now }),
        ),
      );
      expect(new Set(handles.map((h) => h.workflowId)).size).toBe(20);
      await Promise.all(handles.map((h) => h.terminate('test over')));
    } finally {
      await s.close();
    }
  });
});
