/**
 * Bad input to the CLI, spawned as a user runs it: one line naming the flag, the folder
 * or the file, exit 1, no stack trace, no password, and nothing started or connected.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRON_EXPECTED } from '../../src/config.js';
import { runCli } from '../helpers/cli.js';
import { DEMO_WORKSPACE } from '../helpers/stack.js';

const STACK_FRAME = /^\s+at /m;
/** Nothing listens here: a command that tried to connect would say so, or wait. */
const NOWHERE = { TEMPORAL_ADDRESS: '127.0.0.1:1', LOG_LEVEL: 'warn' };

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-messages-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('CLI messages', () => {
  it('schedule create --cron validates the expression up front, naming the flag and the form', async () => {
    const [words, minute] = await Promise.all([
      runCli(['schedule', 'create', '--cron', 'not a cron'], NOWHERE),
      runCli(['schedule', 'create', '--cron', '61 7 * * *'], NOWHERE),
    ]);
    expect(words.code).toBe(1);
    expect(words.stderr).toBe(`--cron "not a cron" is not a cron expression: ${CRON_EXPECTED}.\n`);
    expect(minute.code).toBe(1);
    expect(minute.stderr).toBe(
      `--cron "61 7 * * *" is not a cron expression (Invalid value for minute: 61): ${CRON_EXPECTED}.\n`,
    );
  });

  it('--out in a missing folder names the folder; --out a folder says so; nothing is read first', async () => {
    const env = { ...NOWHERE, DATABASE_URL: 'postgres://u@127.0.0.1:1/x' };
    const [missing, folder, run] = await Promise.all([
      runCli(['briefing', 'latest', '--out', '/nonexistent/dir/file.html'], env),
      runCli(['briefing', 'show', '1', '--out', tmp], env),
      runCli(['run', '--out', '/nonexistent/dir/file.html'], env),
    ]);
    for (const r of [missing, run]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        '--out /nonexistent/dir/file.html: the folder /nonexistent/dir does not exist. Create it first, or write elsewhere.\n',
      );
    }
    expect(folder.code).toBe(1);
    expect(folder.stderr).toBe(
      `--out ${tmp} is a folder: name a file in it, e.g. ${path.join(tmp, 'briefing.md')}.\n`,
    );
  });

  it('a workspace file that is a folder is named; a missing workspace folder is said as such', async () => {
    const ws = path.join(tmp, 'ws');
    await cp(DEMO_WORKSPACE, ws, { recursive: true });
    await rm(path.join(ws, 'company.yaml'));
    await mkdir(path.join(ws, 'company.yaml'));
    const [asFolder, noFolder] = await Promise.all([
      runCli(['run'], { ...NOWHERE, BOARDROOM_WORKSPACE: ws }),
      runCli(['run'], { ...NOWHERE, BOARDROOM_WORKSPACE: path.join(tmp, 'nope') }),
    ]);
    expect(asFolder.code).toBe(1);
    expect(asFolder.stderr).toContain('company.yaml');
    expect(asFolder.stderr).not.toContain('EISDIR');
    expect(asFolder.stderr).not.toMatch(STACK_FRAME);
    expect(asFolder.stderr).not.toContain('Cannot reach Temporal');
    expect(noFolder.code).toBe(1);
    expect(noFolder.stderr).toBe(
      `The workspace folder ${path.join(tmp, 'nope')} does not exist. Set BOARDROOM_WORKSPACE to your company's folder (docs/workspace.md).\n`,
    );
  });

  it('an unreachable DATABASE_URL is one line naming the host, never the password, even with an @ in it', async () => {
    const r = await runCli(['briefing', 'list'], {
      DATABASE_URL: 'postgres://app:SECRETpart1@SECRETpart2@127.0.0.1:1/boardroom',
      BOARDROOM_CONNECT_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'warn',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('127.0.0.1:1');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toContain('SECRET');
  });
});
