/**
 * A worker in a child process that is slow in one step (tests/fixtures/slow-worker.ts),
 * for the tests that SIGKILL a worker mid-run: its stdout lines, and a wait for a line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { STICKY_QUEUE_TIMEOUT_MS } from '../../src/worker/worker.js';

export function startSlowWorker(env: Record<string, string>): {
  proc: ChildProcess;
  lines: string[];
  waitFor: (pred: (lines: string[]) => boolean) => Promise<void>;
} {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/slow-worker.ts'], {
    // As src/worker sets it (STICKY_QUEUE_TIMEOUT_MS), unless a test says otherwise.
    env: { ...process.env, STICKY_TIMEOUT_MS: String(STICKY_QUEUE_TIMEOUT_MS), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    lines.push(l);
    waiters.forEach((w) => w());
  });
  return {
    proc,
    lines,
    waitFor: (pred) =>
      new Promise((resolve, reject) => {
        const check = () => pred(lines) && resolve();
        waiters.push(check);
        proc.once('exit', (code) =>
          reject(new Error(`slow worker exited early (${code}): ${lines.join(' | ')}`)),
        );
        check();
      }),
  };
}
