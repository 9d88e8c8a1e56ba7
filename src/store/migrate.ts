import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies pending migrations in order; safe to call from several processes at once. */
export async function migrate(databaseUrl: string, log?: Logger): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'boardroom_migrations',
    checkOrder: true,
    log: () => {},
    logger: {
      info: () => {},
      warn: (m: string) => log?.warn(m),
      error: (m: string) => log?.error(m),
      debug: () => {},
    },
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0) log?.info({ migrations: names }, 'applied database migrations');
  return names;
}
