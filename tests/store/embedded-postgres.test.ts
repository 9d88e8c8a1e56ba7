/**
 * The embedded Postgres under concurrent use from several connections, as a worker's
 * pool, the CLI and parallel test files use it (pglite#1046: without our queue fix,
 * extended-protocol batches from two connections interleave on PGlite's one session).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/store/embedded-postgres.js';

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
