/**
 * `main(argv)` in this process: importing the entry runs nothing; a command's exit code
 * comes back; failures print one line a person can act on.
 */
import { inject, describe, expect, it, vi } from 'vitest';
import { loadCliSetup } from '../../src/client/context.js';
import { VERSION, failureMessage, main } from '../../src/client/program.js';
import { NotFoundError } from '../../src/client/errors.js';
import { ConfigError } from '../../src/shared/errors.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureOutput, runCli } from '../helpers/cli.js';
import { DEMO_WORKSPACE, capturingLogger } from '../helpers/stack.js';

const argv = (...args: string[]) => ['node', 'boardroom', ...args];

describe('main', () => {
  it('importing the entry file runs no command', async () => {
    const exitCode = process.exitCode;
    const entry = await import('../../src/client/main.js');
    expect(entry.main).toBe(main);
    expect(process.exitCode).toBe(exitCode);
  });

  it("returns the command's exit code, with its output where it was told to write", async () => {
    const ok = captureOutput();
    expect(
      await main(argv('sources', 'check'), {
        env: { BOARDROOM_WORKSPACE: DEMO_WORKSPACE },
        output: ok,
      }),
    ).toBe(0);
    expect(ok.stdout).toMatch(/^✔ workspace \(finance, .*\): workspace files in /);

    const failing = captureOutput();
    expect(
      await main(argv('sources', 'check', '--workspace', '/nonexistent'), {
        env: {},
        output: failing,
      }),
    ).toBe(1);
    expect(failing.stdout).toMatch(/^✘ workspace /);
  });

  it('a wrong environment or a missing briefing is one line on stderr and exit 1', async () => {
    const bad = captureOutput();
    expect(
      await main(argv('briefing', 'list'), {
        env: { BOARDROOM_AGENT_MAX_ATTEMPTS: 'lots' },
        output: bad,
      }),
    ).toBe(1);
    expect(bad.stderr).toMatch(/^Invalid environment:\n {2}BOARDROOM_AGENT_MAX_ATTEMPTS: /);

    const missing = captureOutput();
    expect(
      await main(argv('briefing', 'show', '999999999'), {
        env: { DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' },
        output: missing,
      }),
    ).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      'No briefing with id "999999999". See `npx boardroom briefing list`.\n',
    );
  });

  it('failureMessage: our errors as they are; anything else one line and where its stack went', async () => {
    expect(await failureMessage(new NotFoundError('No briefing yet.'))).toBe('No briefing yet.');
    expect(await failureMessage(new ConfigError('Invalid environment'))).toBe(
      'Invalid environment',
    );
    const bug = new TypeError('x is undefined\nsecond line');
    const { log, lines } = capturingLogger();
    expect(await failureMessage(bug, { log, logFile: '/tmp/boardroom.log' })).toBe(
      'boardroom: TypeError: x is undefined (its stack is in /tmp/boardroom.log).',
    );
    // The stack went to the log.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'unexpected error' });
    expect(JSON.stringify(lines[0])).toContain('at ');
    expect(await failureMessage(bug, { log, logFile: undefined })).toBe(
      'boardroom: TypeError: x is undefined (its stack is in the log lines above).',
    );
  });

  it('--version prints the version of package.json', async () => {
    const r = await runCli(['--version'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
    expect(VERSION).toBe(JSON.parse(await readFile(path.resolve('package.json'), 'utf8')).version);
  });

  it('on a terminal, log lines (warnings too) go to the log file, never the screen', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-tty-'));
    const write = vi.spyOn(process.stderr, 'write');
    try {
      const { log, logFile } = loadCliSetup({ BOARDROOM_DATA_DIR: dir }, { cwd: dir, isTTY: true });
      expect(logFile).toBe(path.join(dir, 'boardroom.log'));
      log.child({ from: 'temporal' }).warn({ task_token: 'CiQ0' }, 'Activity failed');
      log.error('worker stopped with an error');
      expect(write).not.toHaveBeenCalled();
      const text = await readFile(logFile!, 'utf8');
      expect(text).toContain('Activity failed');
      expect(text).toContain('worker stopped with an error');
    } finally {
      write.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
