/**
 * Database migrations (node-pg-migrate, SQL files in ./migrations), safe to run from
 * many processes at once: a database that already has every migration is left alone
 * without taking any lock (the common case: twenty workers starting together), and
 * otherwise one process migrates while the others wait for it (bounded) and then find
 * nothing left to do.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { ServiceUnavailableError } from '../shared/errors.js';
import type { Logger } from '../logger.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATIONS_TABLE = 'boardroom_migrations';
/** Our own advisory lock key (node-pg-migrate's own lock would fail instead of waiting). */
const LOCK_KEY = 7_241_865_325_823_965;

export interface MigrateOptions {
  /**
   * How long to wait for another process's migration to finish.
   * @default 60_000
   */
  lockTimeoutMs?: number;
  /** @default 10_000 */
  connectTimeoutMs?: number;
}

/** The migration names in the folder, as node-pg-migrate records them (no extension). */
async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR))
    .filter((f) => /\.(sql|js|ts)$/.test(f))
    .map((f) => f.replace(/\.(sql|js|ts)$/, ''))
    .sort();
}

async function alreadyApplied(client: pg.Client, names: string[]): Promise<boolean> {
  try {
    const { rows } = await client.query(`SELECT name FROM ${MIGRATIONS_TABLE}`);
    const done = new Set(rows.map((r) => r.name as string));
    return names.every((n) => done.has(n));
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return false; // no table yet: a new database
    throw err;
  }
}

/** Applies pending migrations in order; returns the names applied (none when up to date). */
export async function migrate(
  databaseUrl: string,
  log?: Logger,
  opts: MigrateOptions = {},
): Promise<string[]> {
  const lockTimeoutMs = opts.lockTimeoutMs ?? 60_000;
  const names = await migrationNames();
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
  });
  // A server that goes away mid-migration fails the query in progress; nothing else to do.
  client.on('error', () => {});
  await client.connect();
  try {
    if (await alreadyApplied(client, names)) return [];
    // One transaction holds the lock (released by its end, even if this process dies)
    // and the migrations. node-pg-migrate's own BEGIN inside it is a harmless warning, and
    // its COMMIT ends ours; when there is nothing left to run, our COMMIT ends it.
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}`);
      await client.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      if ((err as { code?: string }).code === '55P03') {
        throw new ServiceUnavailableError(
          `Another boardroom process has been migrating the database for more than ${Math.round(lockTimeoutMs / 1000)} s ` +
            `(it holds the migration lock). Wait for it to finish, or stop it, and start again.`,
          { lockTimeoutMs },
        );
      }
      throw err;
    }
    let applied: { name: string }[];
    try {
      applied = await runner({
        dbClient: client,
        dir: MIGRATIONS_DIR,
        direction: 'up',
        migrationsTable: MIGRATIONS_TABLE,
        checkOrder: true,
        noLock: true,
        singleTransaction: true,
        log: () => {},
        logger: {
          info: () => {},
          warn: (m: string) => log?.warn(m),
          // The error itself is thrown to the caller; its raw form is for debugging only.
          error: (m: string) => log?.debug(m),
          debug: () => {},
        },
      });
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
    const done = applied.map((m) => m.name);
    if (done.length > 0) log?.info({ migrations: done }, 'applied database migrations');
    return done;
  } finally {
    await client.end().catch(() => {});
  }
}
