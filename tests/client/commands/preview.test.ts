/**
 * `boardroom preview`: a briefing computed in-process from a workspace, without Temporal
 * or Postgres; the demo on any date; bad files named with their line; the same JSON as
 * a run's.
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { previewCommand } from '../../../src/client/commands/preview.js';
import { Briefing } from '../../../src/contract/briefing.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach } from '../../helpers/stack.js';

const TEMPLATE = path.resolve('examples/demo-workspace');
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-preview-test-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** An environment with nothing configured: no Temporal, no DATABASE_URL. */
const bare = (extra: Record<string, string | undefined> = {}) => ({
  BOARDROOM_DATA_DIR: path.join(tmp, 'data'),
  TEMPORAL_ADDRESS: '127.0.0.1:1', // nothing listens: preview must not need it
  LOG_LEVEL: 'warn',
  ...extra,
});

describe('boardroom preview', () => {
  it('shows the demo on any date, with its headline figures, and writes nothing', async () => {
    for (const day of ['2027-01-01', '2027-12-01', '2031-12-01']) {
      const deps = commandDeps(bare());
      expect(await previewCommand({ asOf: day, format: 'json' }, deps)).toBe(0);
      const b = Briefing.parse(JSON.parse(deps.output.stdout));
      expect(b.briefingDate).toBe(day);
      expect(b.companyName).toBe('Northwind Analytics');
      const m = b.agents;
      expect([
        m.finance.metrics.mrr,
        m.finance.metrics.arr,
        m.finance.metrics.customers,
        m.sales.metrics.openDeals,
        m.operations.metrics.activeProjects,
        m.hr.metrics.headcount,
      ]).toEqual([15000, 180000, 45, 12, 4, 12]);
      expect(b.risks.map((r) => r.id)).toEqual(
        expect.arrayContaining(['burnout-with-open-roles', 'pipeline-exceeds-capacity']),
      );
      // No history without a configured database: the history-based risk says so.
      expect(b.unevaluatedRisks.map((r) => r.id)).toContain('cac-up-ltv-down');
    }
    // Neither a database nor today's demo folder was made: the date's demo lived in a temp folder.
    expect(await readdir(tmp)).toEqual([]);
  });

  it('prints Markdown by default and HTML with --format html, from your own workspace', async () => {
    const md = commandDeps(bare());
    expect(await previewCommand({ workspace: TEMPLATE, asOf: '2026-11-26' }, md)).toBe(0);
    expect(md.output.stdout).toMatch(/^# Morning briefing: Northwind Analytics, 2026-11-26\n/);
    const html = commandDeps(bare());
    expect(
      await previewCommand({ workspace: TEMPLATE, asOf: '2026-11-26', format: 'html' }, html),
    ).toBe(0);
    expect(html.output.stdout).toMatch(/^<!doctype html>/i);
    expect(html.output.stdout).toContain('Northwind Analytics');
  });

  it('names the bad file and line, exits 1 and prints no briefing', async () => {
    const dir = path.join(tmp, 'bad');
    await cp(TEMPLATE, dir, { recursive: true });
    await writeFile(
      path.join(dir, 'deals.csv'),
      'id,name,account,owner,stage,amount_cents,created_on,close_date,last_activity_on,probability,delivery_hours\n' +
        'D-1,Big deal,Acme,Maya,negotiation,lots,2026-09-15,2026-11-30,2026-11-24,,80\n',
    );
    const deps = commandDeps(bare());
    expect(await previewCommand({ workspace: dir, asOf: '2026-11-26' }, deps)).toBe(1);
    expect(deps.output.stdout).toBe('');
    expect(deps.output.stderr).toMatch(/sales: .*deals\.csv.*line 2.*amount_cents/);
    expect(deps.output.stderr).toContain('Fix the files named above');
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a bad --as-of and a missing folder, naming them', async () => {
    await expect(previewCommand({ asOf: '2026-02-30' }, commandDeps(bare()))).rejects.toThrow(
      /^--as-of 2026-02-30: expected a date as YYYY-MM-DD/,
    );
    const err = await previewCommand(
      { workspace: path.join(tmp, 'nope') },
      commandDeps(bare()),
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(
      `The workspace folder ${path.join(tmp, 'nope')} does not exist`,
    );
  });
});

const stack = closeStacksAfterEach();

describe('boardroom preview with a database', () => {
  it("reads the stored history and prints the same JSON shape as a run's", async () => {
    const s = await stack({ workspace: TEMPLATE });
    const run = await s.runBriefing({ timeZone: 'America/New_York' });
    const stored = await s.repo.getBriefing(run.workflowId);
    const deps = commandDeps(stackEnv(s, { BOARDROOM_WORKSPACE: TEMPLATE }));
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(await previewCommand({ format: 'json', asOf: tomorrow }, deps)).toBe(0);
    const preview = Briefing.parse(JSON.parse(deps.output.stdout));
    expect(Object.keys(preview).sort()).toEqual(Object.keys(stored!.briefing).sort());
    // Today's stored run is its history: the change is measured against it.
    const mrr = preview.keyMetrics.find((m) => m.key === 'mrr');
    expect(mrr?.previousDate).toBe(run.briefingDate);
  });
});
