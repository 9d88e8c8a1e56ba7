import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { migrate } from './migrate.js';
import { Repository } from './repository.js';

export interface Database {
  url: string;
  repo: Repository;
  /** Set when this process serves the embedded Postgres. */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded Postgres (started here, or reached over
 * its socket when another boardroom process already serves it). Migrations run first.
 */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
    });
    url = embedded.url;
    log.debug({ port: config.embeddedPgPort, owned: embedded.owned }, 'embedded Postgres');
  }
  try {
    await migrate(url, log);
  } catch (err) {
    await embedded?.stop();
    throw describeConnectError(err, config);
  }
  const repo = Repository.connect(url);
  return {
    url,
    repo,
    embedded: embedded?.owned ? embedded : undefined,
    async close() {
      await repo.close();
      await embedded?.stop();
    },
  };
}

function describeConnectError(err: unknown, config: Config): Error {
  const e = err as NodeJS.ErrnoException;
  if (
    config.databaseUrl &&
    (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === '3D000')
  ) {
    const target = new URL(config.databaseUrl);
    return new Error(
      `Cannot reach Postgres at ${target.host}${target.pathname} (${e.code}: ${e.message}). ` +
        `Check that the server is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded Postgres.`,
    );
  }
  return e;
}
