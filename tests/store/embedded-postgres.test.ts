/**
 * The embedded Postgres under concurrent use from several connections, as a worker's
 * pool, the CLI and parallel test files use it (pglite#1046: without our queue fix,
 * extended-protocol batches from two connections interleave on PGlite's one session).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/store/embedded-postgres.js';
import { migrate } from '../../src/store/migrate.js';

const run = promisify(execFile);

let embedded: EmbeddedPostgres;
beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: undefined, port: 0 });
});
afterAll(async () => {
  await embedded?.stop();
});

it('keeps concurrent transactions and parameterised queries from many connections apart', async () => {
  const pools = Array.from(
    { length: 4 },
    () => new pg.Pool({ connectionString: embedded.url, max: 8 }),
  );
  try {
    await pools[0]!.query('CREATE TABLE t_embedded (id int PRIMARY KEY, who text)');
    // A transaction on one connection used to take over PGlite's single session while
    // another connection was between Parse and Bind, clobbering its unnamed statement.
    const transactions = Array.from({ length: 100 }, async (_, i) => {
      const c = await pools[i % pools.length]!.connect();
      try {
        await c.query('BEGIN');
        await c.query('INSERT INTO t_embedded VALUES ($1, $2)', [i, `tx${i}`]);
        await c.query('INSERT INTO t_embedded VALUES ($1, $2)', [10_000 + i, `tx${i}`]);
        await c.query(i % 10 === 0 ? 'ROLLBACK' : 'COMMIT');
      } finally {
        c.release();
      }
    });
    const queries = Array.from({ length: 600 }, (_, i) => {
      const pool = pools[i % pools.length]!;
      return i % 2 === 0
        ? pool.query('SELECT $1::int * 2 AS v', [i]).then((r) => [i, r.rows[0].v])
        : pool
            .query("SELECT $1::text || '-' || $2::text AS v", [`a${i}`, 'b'])
            .then((r) => [i, r.rows[0].v]);
    });
    const [results] = await Promise.all([Promise.all(queries), Promise.all(transactions)]);
    for (const [i, v] of results) expect(v).toBe(i % 2 === 0 ? i * 2 : `a${i}-b`);
    const { rows } = await pools[1]!.query('SELECT count(*)::int AS n FROM t_embedded');
    expect(rows[0].n).toBe(180); // 90 committed transactions x 2 rows; 10 rolled back
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
});

it('recovers from a query that fails inside a batch', async () => {
  const pool = new pg.Pool({ connectionString: embedded.url, max: 2 });
  try {
    await expect(pool.query('SELECT $1::int AS v', ['not a number'])).rejects.toThrow(
      /invalid input syntax/,
    );
    const { rows } = await pool.query('SELECT $1::int + 1 AS v', [41]);
    expect(rows[0].v).toBe(42);
  } finally {
    await pool.end();
  }
});

describe('its password', () => {
  const withPassword = (url: string, password: string | undefined) => {
    const u = new URL(url);
    u.password = password ?? '';
    return u.toString();
  };
  const connect = async (url: string) => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await c.connect();
      return (await c.query('SELECT 1 AS one')).rows[0].one as number;
    } finally {
      await c.end().catch(() => {});
    }
  };

  it('is in the URL it returns, and a connection without it or with another is refused', async () => {
    const password = new URL(embedded.url).password;
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(await connect(embedded.url)).toBe(1);
    for (const wrong of [undefined, 'postgres', `${password}x`]) {
      await expect(connect(withPassword(embedded.url, wrong))).rejects.toMatchObject({
        code: wrong === undefined ? expect.anything() : '28P01',
      });
    }
  });

  it.skipIf(!existsSync('/usr/bin/psql'))('works for psql, which asks for TLS first', async () => {
    const ok = await run('psql', [embedded.url, '-tAc', 'SELECT 40 + 2']);
    expect(ok.stdout.trim()).toBe('42');
    const refused = await run('psql', [withPassword(embedded.url, 'guess'), '-tAc', 'SELECT 1'], {
      env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
    }).catch((e: { stderr: string }) => e);
    expect((refused as { stderr: string }).stderr).toMatch(/password authentication failed/);
  });

  it('is kept under the data folder, mode 0600, and another process reaching the same folder uses it', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-pg-'));
    const owner = await startEmbeddedPostgres({ dataDir, port: 0 });
    try {
      const file = path.join(dataDir, 'embedded-postgres.password');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dataDir)).mode & 0o077).toBe(0);
      expect((await readFile(file, 'utf8')).trim()).toBe(new URL(owner.url).password);
      await migrate(owner.url);
      // A second boardroom process (the CLI in another terminal) finds the server and the password.
      const second = await run(
        process.execPath,
        ['--import', 'tsx', 'tests/fixtures/open-database.ts'],
        {
          env: { ...process.env, DATABASE_URL: '', BOARDROOM_DATA_DIR: dataDir },
          timeout: 60_000,
        },
      );
      expect(second.stdout.trim()).toBe('ok 0 0');
    } finally {
      await owner.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
