import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import type { Output } from '../../src/client/output.js';
import type { bootStack } from '../../src/client/stack.js';
import { DEMO_WORKSPACE, capturingLogger, type TestStack } from './stack.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const BIN = path.resolve('bin/boardroom.js');

/** Runs `boardroom ...args` as a user would, in a child process with `env` on top of a clean environment. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 90_000,
): Promise<CliResult> {
  return runEntry(BIN, args, env, timeoutMs);
}

/**
 * Runs `node <entry> ...args` (bin/boardroom.js, or a build's dist/client/main.js) in a
 * child process with `env` on top of a clean environment.
 */
export function runEntry(
  entry: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 90_000,
): Promise<CliResult> {
  const t0 = Date.now();
  // Only what a shell would have, plus the test's settings: no leaking of the suite's DATABASE_URL.
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TEMPORAL_CLI_PATH', 'TMPDIR'])
    if (process.env[k]) base[k] = process.env[k]!;
  const merged = { ...base, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      env: merged as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`boardroom ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** An `Output` that keeps what a command wrote, to assert on. */
export function captureOutput(opts: { isTTY?: boolean } = {}): Output & {
  readonly stdout: string;
  readonly stderr: string;
} {
  let stdout = '';
  let stderr = '';
  return {
    out: (text) => void (stdout += text.endsWith('\n') ? text : `${text}\n`),
    say: (line) => void (stderr += `${line}\n`),
    writeErr: (text) => void (stderr += text),
    isTTY: opts.isTTY ?? false,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/**
 * The environment a command sees against the suite's Temporal and Postgres, for
 * `stack`'s company and task queue on the demo workspace; `env` on top.
 */
export function stackEnv(
  stack: Pick<TestStack, 'companyId' | 'taskQueue'>,
  env: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: stack.taskQueue,
    DATABASE_URL: inject('databaseUrl'),
    BOARDROOM_COMPANY_ID: stack.companyId,
    BOARDROOM_WORKSPACE: DEMO_WORKSPACE,
    LOG_LEVEL: 'warn',
    ...env,
  };
}

/** What a command function takes: config from `env`, a captured log and output. */
export function commandDeps(env: Record<string, string | undefined>) {
  const { log, lines } = capturingLogger();
  return {
    config: loadConfig(env, { cwd: process.cwd(), isTTY: false }),
    log,
    logLines: lines,
    output: captureOutput(),
  };
}

/**
 * A stand-in for `bootStack` that hands `start` and `worker` the test stack's client,
 * repository and worker (already serving its task queue) instead of booting its own;
 * `boots` records what each boot was asked for, and the stack's worker "stops" when
 * the command shuts it down.
 */
export function bootFromTestStack(stack: TestStack): {
  boot: typeof bootStack;
  boots: { config: Config; opts: Parameters<typeof bootStack>[2] }[];
  readonly shutdowns: number;
} {
  const boots: { config: Config; opts: Parameters<typeof bootStack>[2] }[] = [];
  let shutdowns = 0;
  const boot: typeof bootStack = async (config, _log, opts) => {
    boots.push({ config, opts });
    let workerStopped!: () => void;
    const workerDone = new Promise<void>((resolve) => (workerStopped = resolve));
    return {
      client: stack.client,
      db: {
        url: inject('databaseUrl'),
        repo: stack.repo,
        embedded: undefined,
        close: async () => {},
      },
      worker: undefined,
      workerDone,
      devTemporal: undefined,
      uiUrl: undefined,
      async shutdown() {
        shutdowns += 1;
        workerStopped();
      },
    };
  };
  return {
    boot,
    boots,
    get shutdowns() {
      return shutdowns;
    },
  };
}
