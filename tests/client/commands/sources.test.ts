/**
 * `sourcesCheck` called directly: the demo workspace passes; a folder without its files,
 * or an API without its credentials, fails with a line that says what to fix.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourcesCheck } from '../../../src/client/commands/sources.js';
import { commandDeps } from '../../helpers/cli.js';
import { DEMO_WORKSPACE } from '../../helpers/stack.js';

const ALL_AGENTS = 'finance, sales, operations, marketing, hr, customer-success';

let scratch: string | undefined;
afterEach(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('sourcesCheck', () => {
  it('passes on the demo workspace: every agent reads its files', async () => {
    const deps = commandDeps({ BOARDROOM_COMPANY_ID: 'demo', BOARDROOM_WORKSPACE: DEMO_WORKSPACE });
    expect(await sourcesCheck({}, deps)).toBe(0);
    expect(deps.output.stdout).toBe(
      `✔ workspace (${ALL_AGENTS}): workspace files in ${DEMO_WORKSPACE}\n`,
    );

    const json = commandDeps({ BOARDROOM_WORKSPACE: DEMO_WORKSPACE });
    expect(await sourcesCheck({ json: true }, json)).toBe(0);
    expect(JSON.parse(json.output.stdout)).toEqual([
      {
        source: 'workspace',
        agents: ALL_AGENTS.split(', '),
        ok: true,
        message: `workspace files in ${DEMO_WORKSPACE}`,
      },
    ]);
  });

  it('fails (exit 1) for a --workspace without the files, naming them', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'boardroom-sources-'));
    const deps = commandDeps({ BOARDROOM_WORKSPACE: DEMO_WORKSPACE });
    expect(await sourcesCheck({ company: 'other', workspace: scratch }, deps)).toBe(1);
    expect(deps.output.stdout).toMatch(
      new RegExp(
        `^✘ workspace \\(${ALL_AGENTS}\\): missing or unreadable in ${scratch}: subscriptions.csv \\(finance\\), `,
      ),
    );
  });

  it('fails for an API source without its credentials, without repeating its name', async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'boardroom-sources-'));
    await cp(DEMO_WORKSPACE, scratch, { recursive: true });
    await writeFile(path.join(scratch, 'sources.yaml'), 'agents:\n  finance: stripe\n');
    const deps = commandDeps({ BOARDROOM_WORKSPACE: scratch });
    expect(await sourcesCheck({}, deps)).toBe(1);
    const lines = deps.output.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `✔ workspace (sales, operations, marketing, hr, customer-success): workspace files in ${scratch}`,
    );
    expect(lines[1]).toMatch(
      /^✘ stripe \(finance\): STRIPE_API_KEY is not set: create a restricted key/,
    );
  });
});
