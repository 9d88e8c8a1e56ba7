import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { ConfigError, ServiceUnavailableError } from '../shared/errors.js';
import type { EmbeddedPostgres } from './embedded-postgres.js';
import { migrate } from './migrate.js';
import { Repository } from './repository.js';

export interface Database {
  url: string;
  repo: Repository;
  /** Set when this process serves the embedded Postgres. */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /**
   * Apply pending migrations. Only what serves runs (`start`, `worker`) migrates; a
   * command that reads or starts runs does not, so twenty of them at once take no lock.
   * (A process that opens a fresh embedded Postgres of its own migrates it regardless:
   * no one else can.)
   * @default false
   */
  migrate?: boolean;
}

/**
 * DATABASE_URL when set; otherwise the embedded Postgres (started here, or reached over
 * its socket when another boardroom process already serves it). Reaches the server
 * first, within `config.connectTimeoutMs`: an unreachable server is a
 * ServiceUnavailableError naming the host (never the password), refused credentials or
 * a missing database a ConfigError.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  opts: OpenDatabaseOptions = {},
): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    // Imported only when used: a worker on a real Postgres never loads PGlite.
    const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
    });
    url = embedded.url;
    log.debug({ port: config.embeddedPgPort, owned: embedded.owned }, 'embedded Postgres');
  }
  try {
    await reachPostgres(url, config);
    if (opts.migrate || embedded?.owned) {
      await migrate(url, log, { connectTimeoutMs: config.connectTimeoutMs });
    }
  } catch (err) {
    await embedded?.stop();
    throw describeConnectError(err, config);
  }
  const repo = Repository.connect(url, { connectionTimeoutMs: config.connectTimeoutMs });
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

/** Connection failures worth waiting out until the deadline (a server still starting). */
const RETRY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03']);

/** One connection and `SELECT 1`, retried while the server refuses, until the deadline. */
async function reachPostgres(url: string, config: Config): Promise<void> {
  const deadline = Date.now() + config.connectTimeoutMs;
  // The last attempt's own timeout is what is left of the deadline, so it can expire
  // before a refusal arrives (a busy event loop); the refusal says more, so report it.
  let refused: unknown;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    const left = deadline - Date.now();
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: Math.max(1, left),
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const timedOut = /timeout/i.test((err as Error).message);
      const wait = Math.min(delay, deadline - Date.now());
      if (timedOut) throw refused ?? err;
      if (!code || !RETRY_CODES.has(code) || wait <= 0) throw err;
      refused = err;
      await new Promise((r) => setTimeout(r, wait));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** Where DATABASE_URL points, for messages: host, port and database, never the user info. */
export function describeTarget(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL (which is not a valid URL)';
  }
}

function describeConnectError(err: unknown, config: Config): Error {
  if (err instanceof ServiceUnavailableError || err instanceof ConfigError) return err;
  const e = err as NodeJS.ErrnoException;
  const where = config.databaseUrl
    ? `Postgres at ${describeTarget(config.databaseUrl)}`
    : 'the embedded Postgres';
  const fix = config.databaseUrl
    ? 'Check that the server is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded Postgres.'
    : `Check that no other program holds port ${config.embeddedPgPort} and the data folder ${config.dataDir} is readable.`;
  const code = e.code ?? e.name;
  // pg's messages name the user and the database, never the password; strip any URL anyway.
  const reason = String(e.message).replace(/\b\w+:\/\/\S+/g, '<url>');
  if (code === '28P01' || code === '28000') {
    return new ConfigError(
      `${where} refused the credentials (${code}: ${reason}). Check the user and password in DATABASE_URL.`,
      { code },
    );
  }
  if (code === '3D000') {
    return new ConfigError(
      `${where}: the database does not exist (${reason}). Create it, or fix the database name in DATABASE_URL.`,
      { code },
    );
  }
  if (
    /timeout/i.test(reason) ||
    RETRY_CODES.has(code) ||
    ['ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)
  ) {
    return new ServiceUnavailableError(
      `Cannot reach ${where} within ${Math.round(config.connectTimeoutMs / 1000)} s (${code}: ${reason}). ${fix} ` +
        `BOARDROOM_CONNECT_TIMEOUT_MS sets how long to wait.`,
      { code },
    );
  }
  return e;
}
