/**
 * Issue 11: `sources check` validates the contents of the workspace files with the
 * agents' and the CEO step's own schemas, and lists EVERY problem (file, line, field),
 * exit 1; before, it said ✔ as long as the files existed.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourcesCheck } from '../../../src/client/commands/sources.js';
import { sourceCheckLines } from '../../../src/client/source-checks.js';
import { commandDeps, runCli } from '../../helpers/cli.js';
import { DEMO_WORKSPACE } from '../../helpers/stack.js';

const ALL_AGENTS = 'finance, sales, operations, marketing, hr, customer-success';

let ws: string;
beforeEach(async () => {
  ws = await mkdtemp(path.join(os.tmpdir(), 'boardroom-check-'));
  await cp(DEMO_WORKSPACE, ws, { recursive: true });
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

async function edit(name: string, fn: (text: string) => string): Promise<void> {
  const file = path.join(ws, name);
  const before = await readFile(file, 'utf8');
  const after = fn(before);
  expect(after).not.toBe(before);
  await writeFile(file, after);
}

/** A corrupted cell, a second one in another file, invalid YAML and a duplicate task id. */
async function corrupt(): Promise<void> {
  await edit('subscriptions.csv', (t) => t.replace(/^(sub_1003,.*?),29900,/m, '$1,12.5,'));
  await edit('projects.csv', (t) =>
    t.replace(/^(P-101,(?:[^,]*,){4})\d{4}-\d\d-\d\d,/m, '$1soon,'),
  );
  await writeFile(path.join(ws, 'finance.yaml'), 'thresholds:\n  runway_month_warning: 9\n');
  await writeFile(path.join(ws, 'goals.yaml'), 'goals: [revenue, retention\n');
  await edit('tasks.csv', (t) => t.replace('founder-expenses,', 'founder-acme,'));
}

const EXPECTED_PROBLEMS = [
  'subscriptions.csv, line 4, field "amount_cents": expected a whole, non-negative number of cents (e.g. 50000 for $500.00), got "12.5"',
  expect.stringMatching(
    /^finance\.yaml, line 2, field "thresholds\.runway_month_warning": unknown key "runway_month_warning" \(expected .*runway_months_warning/,
  ),
  'projects.csv, line 3, field "start_date": expected a date written YYYY-MM-DD, got "soon"',
  'tasks.csv, line 6, field "id": duplicate id "founder-acme" (also on data row 1)',
  expect.stringMatching(
    /^goals\.yaml, line 2: Flow sequence in block collection must be sufficiently indented/,
  ),
];

describe('sources check validates the contents', () => {
  it('lists every problem of every file with its line and field, and exits 1', async () => {
    await corrupt();
    const deps = commandDeps({ BOARDROOM_WORKSPACE: ws });
    expect(await sourcesCheck({}, deps)).toBe(1);
    const [first, ...rest] = deps.output.stdout.trimEnd().split('\n');
    expect(first).toBe(
      `✘ workspace (${ALL_AGENTS}): 5 problems in the workspace files in ${ws} (see docs/workspace.md)`,
    );
    expect(rest.map((l) => l.replace(`    ${ws}/`, ''))).toEqual(EXPECTED_PROBLEMS);

    const json = commandDeps({ BOARDROOM_WORKSPACE: ws });
    expect(await sourcesCheck({ json: true }, json)).toBe(1);
    const [check] = JSON.parse(json.output.stdout) as { ok: boolean; problems: string[] }[];
    expect(check!.ok).toBe(false);
    expect(check!.problems.map((p) => p.replace(`${ws}/`, ''))).toEqual(EXPECTED_PROBLEMS);
  });

  it('reports a broken sources.yaml as a problem (with its line and field), not a crash', async () => {
    await writeFile(path.join(ws, 'sources.yaml'), 'agents:\n  finance: quickbooks\n');
    const deps = commandDeps({ BOARDROOM_WORKSPACE: ws });
    expect(await sourcesCheck({}, deps)).toBe(1);
    expect(deps.output.stdout).toContain(
      `    ${ws}/sources.yaml, line 2, field "agents.finance": unknown source: expected workspace, stripe, hubspot or linear (got "quickbooks")\n`,
    );
  });

  it('says when the workspace folder does not exist', async () => {
    const deps = commandDeps({ BOARDROOM_WORKSPACE: path.join(ws, 'nope') });
    expect(await sourcesCheck({}, deps)).toBe(1);
    expect(deps.output.stdout).toBe(
      `✘ workspace (${ALL_AGENTS}): the workspace folder ${path.join(ws, 'nope')} does not exist: ` +
        'set BOARDROOM_WORKSPACE (or --workspace) to a folder like examples/demo-workspace\n',
    );
  });

  it('caps the problems shown on a terminal, and says how many more', () => {
    const lines = sourceCheckLines(
      {
        source: 'workspace',
        agents: ['finance'],
        ok: false,
        message: '3 problems',
        problems: ['a', 'b', 'c'],
      },
      2,
    );
    expect(lines).toEqual([
      '✘ workspace (finance): 3 problems',
      '    a',
      '    b',
      '    ... and 1 more (--json lists them all)',
    ]);
  });

  it('as a process: exit 1, every problem on stdout, no stack trace', async () => {
    await corrupt();
    const r = await runCli(
      ['sources', 'check'],
      { BOARDROOM_WORKSPACE: ws, LOG_LEVEL: 'warn' },
      60_000,
    );
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1 + EXPECTED_PROBLEMS.length);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.ms).toBeLessThan(30_000);
  });
});
