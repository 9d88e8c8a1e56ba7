/**
 * Which configuration a worker serves with, in its Temporal identity: the company, the
 * workspace folder and the database (never a password). The server shows a worker's
 * identity to every client (`describeTaskQueue` lists the pollers, the run's history
 * names the worker of each step), so `boardroom run` in another terminal can tell when
 * its own settings differ from the worker's that serves its run.
 */
import os from 'node:os';
import { databaseTarget, type Config } from '../config.js';

/** The settings a run depends on that belong to the worker. */
export interface WorkerSettings {
  /** BOARDROOM_COMPANY_ID: the company whose workspace the worker knows. */
  company: string;
  /** BOARDROOM_WORKSPACE, absolute. */
  workspace: string;
  /** DATABASE_URL's host, port and database, or the embedded Postgres's folder. */
  database: string;
  /** Where the worker runs: an embedded database or a folder is only the same on one host. */
  host: string;
}

const MARK = ' boardroom ';
/** Temporal limits ids and identities to about 1,000 characters. */
const MAX_PATH = 400;

/** What `config` serves with, as a worker on this host would. */
export function workerSettings(config: Config, host: string = os.hostname()): WorkerSettings {
  return {
    company: config.company.id,
    workspace: config.company.workspace.slice(0, MAX_PATH),
    database: config.databaseUrl
      ? databaseTarget(config.databaseUrl)
      : `embedded Postgres in ${config.dataDir.slice(0, MAX_PATH)}`,
    host,
  };
}

/** `<pid>@<host> boardroom {"company":...}`: Temporal's default identity, then the settings. */
export function workerIdentity(settings: WorkerSettings, pid: number = process.pid): string {
  return `${pid}@${settings.host}${MARK}${JSON.stringify(settings)}`;
}

/** The settings in a worker's identity; undefined for another kind of worker. */
export function parseWorkerIdentity(
  identity: string | null | undefined,
): WorkerSettings | undefined {
  const at = identity?.indexOf(MARK) ?? -1;
  if (!identity || at < 0) return undefined;
  try {
    const s = JSON.parse(identity.slice(at + MARK.length)) as Partial<WorkerSettings>;
    if (
      typeof s.company !== 'string' ||
      typeof s.workspace !== 'string' ||
      typeof s.database !== 'string' ||
      typeof s.host !== 'string'
    )
      return undefined;
    return { company: s.company, workspace: s.workspace, database: s.database, host: s.host };
  } catch {
    return undefined;
  }
}

/** The pid@host part, for people. */
export function workerName(identity: string): string {
  const at = identity.indexOf(MARK);
  return at < 0 ? identity : identity.slice(0, at);
}

/**
 * How the worker's settings differ from the CLI's, one phrase per setting, empty when
 * they agree. A workspace or an embedded database on another host counts as different.
 */
export function settingsDifferences(cli: WorkerSettings, worker: WorkerSettings): string[] {
  const sameHost = cli.host === worker.host;
  const diffs: string[] = [];
  if (cli.company !== worker.company)
    diffs.push(
      `company: the worker serves "${worker.company}", this CLI asks for "${cli.company}"`,
    );
  if (cli.workspace !== worker.workspace)
    diffs.push(`workspace: the worker reads ${worker.workspace}, this CLI ${cli.workspace}`);
  const embedded = worker.database.startsWith('embedded ');
  if (cli.database !== worker.database || (embedded && !sameHost))
    diffs.push(
      `database: the worker saves to ${worker.database}${embedded && !sameHost ? ` on ${worker.host}` : ''}, ` +
        `this CLI reads ${cli.database}`,
    );
  return diffs;
}
