/**
 * `main(argv)` in this process: importing the entry runs nothing; a command's exit code
 * comes back; failures print one line a person can act on.
 */
import { inject, describe, expect, it } from 'vitest';
import { failureMessage, main } from '../../src/client/program.js';
import { NotFoundError } from '../../src/client/errors.js';
import { ConfigError } from '../../src/shared/errors.js';
import { captureOutput } from '../helpers/cli.js';
import { DEMO_WORKSPACE } from '../helpers/stack.js';

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

  it('failureMessage: our errors as they are, anything else with its stack', async () => {
    expect(await failureMessage(new NotFoundError('No briefing yet.'))).toBe('No briefing yet.');
    expect(await failureMessage(new ConfigError('Invalid environment'))).toBe(
      'Invalid environment',
    );
    const bug = new TypeError('x is undefined');
    expect(await failureMessage(bug)).toBe(`boardroom: ${bug.stack}`);
  });
});
