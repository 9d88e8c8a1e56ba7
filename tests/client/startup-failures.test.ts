/**
 * `start` and `worker` when something they need is missing, spawned as a user runs them:
 * each exits non-zero within the connect timeout plus start-up, with one line and no
 * stack, having left nothing running; a missing workspace is said before anything
 * boots; the first SIGTERM during start-up is honoured.
 */
import { spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canConnect } from '../../src/store/embedded-postgres.js';
import { freePort, runCli } from '../helpers/cli.js';

/** A port nothing listens on. */
const CLOSED = '127.0.0.1:1';
/** Short, so the suite stays fast; the bound below is what a person waits at most. */
const CONNECT_TIMEOUT_MS = 3_000;
/**
 * Process start-up (tsx, the SDK: ~3 s alone, 10 s seen on a machine running two suites)
 * on top of the connect timeout: what is bounded is the wait, not the start-up.
 */
const SLACK_MS = 20_000;
const STACK_FRAME = /^\s+at /m;

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-startfail-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function env(extra: Record<string, string>): Record<string, string> {
  return {
    BOARDROOM_DATA_DIR: dataDir,
    BOARDROOM_CACHE_DIR: path.resolve('.cache'),
    BOARDROOM_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

describe('start and worker that cannot start', () => {
  it('exit 1 within the connect timeout when Temporal or Postgres is unreachable: one line, no stack, no password', async () => {
    const pgPort = String(await freePort());
    const temporalDown = env({
      TEMPORAL_ADDRESS: CLOSED,
      DATABASE_URL: inject('databaseUrl'),
    });
    const postgresDown = env({
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: `postgres://boardroom:s3cret@pa@127.0.0.1:${pgPort}/boardroom`,
    });
    // Two at a time: four at once on two cores would measure the machine, not the bound.
    const [worker, start] = await Promise.all([
      runCli(['worker'], temporalDown, 60_000),
      runCli(['start', '--once'], temporalDown, 60_000),
    ]);
    const [workerDb, startDb] = await Promise.all([
      runCli(['worker'], postgresDown, 60_000),
      runCli(['start', '--once'], postgresDown, 60_000),
    ]);
    for (const r of [worker, start]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
      expect(r.stderr).toContain(`Cannot reach Temporal at ${CLOSED}`);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
    for (const r of [workerDb, startDb]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.ms).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
      expect(r.stderr).toContain(`127.0.0.1:${pgPort}`);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.stderr).not.toContain('s3cret');
      expect(r.stderr).not.toContain('pa@');
    }
  });

  it('start stops the dev server it spawned when Postgres is unreachable', async () => {
    const devPort = await freePort();
    const own = await mkdtemp(path.join(os.tmpdir(), 'boardroom-startfail-dev-'));
    try {
      const r = await runCli(
        ['start', '--once'],
        env({
          BOARDROOM_DATA_DIR: own,
          TEMPORAL_DEV_PORT: String(devPort),
          TEMPORAL_UI_PORT: String(await freePort()),
          DATABASE_URL: `postgres://boardroom@127.0.0.1:${await freePort()}/boardroom`,
        }),
        90_000,
      );
      expect(r.stderr).toContain('Starting the Temporal dev server');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('Cannot reach Postgres');
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(await canConnect(devPort)).toBe(false);
      await expect(access(path.join(own, 'temporal.pid'))).rejects.toThrow();
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it('a missing workspace folder is said at once, before anything boots', async () => {
    const [start, worker] = await Promise.all([
      runCli(['start', '--once'], env({ BOARDROOM_WORKSPACE: '/nonexistent/acme' }), 30_000),
      runCli(
        ['worker'],
        env({ BOARDROOM_WORKSPACE: '/nonexistent/acme', TEMPORAL_ADDRESS: CLOSED }),
        30_000,
      ),
    ]);
    for (const r of [start, worker]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "The workspace folder /nonexistent/acme does not exist. Set BOARDROOM_WORKSPACE to your company's folder (docs/workspace.md).\n",
      );
    }
  });

  it('the first SIGTERM during start-up stops it at once (exit 143)', async () => {
    const child = spawn(process.execPath, [path.resolve('bin/boardroom.js'), 'worker'], {
      env: {
        PATH: process.env.PATH,
        ...env({
          TEMPORAL_ADDRESS: CLOSED,
          DATABASE_URL: inject('databaseUrl'),
          // Long enough that only the signal can end it quickly.
          BOARDROOM_CONNECT_TIMEOUT_MS: '60000',
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Start-up is under way (modules loaded, connecting) well before this.
    await new Promise((r) => setTimeout(r, 6_000));
    const t0 = Date.now();
    child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000)),
    ]);
    if (code === 'hung') child.kill('SIGKILL');
    expect(code, stderr).toBe(143);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(stderr).toContain('Stopped by SIGTERM during start-up');
    expect(stderr).not.toMatch(STACK_FRAME);
  });
});
