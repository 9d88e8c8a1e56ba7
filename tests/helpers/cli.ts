import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

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
  const t0 = Date.now();
  // Only what a shell would have, plus the test's settings: no leaking of the suite's DATABASE_URL.
  const base: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'TEMPORAL_CLI_PATH', 'TMPDIR'])
    if (process.env[k]) base[k] = process.env[k]!;
  const merged = { ...base, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
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
