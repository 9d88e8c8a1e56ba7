/**
 * The README's first command, as a user runs it: `boardroom start --once` brings up
 * its own Temporal dev server and embedded Postgres (in a scratch data folder, on free
 * ports), prints the briefing and exits 0; the data survives for the next command.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Briefing } from '../../src/contract/briefing.js';
import { freePort, runCli } from '../helpers/cli.js';

describe('boardroom start --once (embedded default)', () => {
  let dataDir: string;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-start-'));
    env = {
      BOARDROOM_DATA_DIR: dataDir,
      BOARDROOM_CACHE_DIR: path.resolve('.cache'),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      BOARDROOM_EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the demo briefing, the run URL, and exits 0', async () => {
    const r = await runCli(['start', '--once', '--json'], env);
    expect(r.stderr).toContain('Daily schedule created: "0 7 * * *" (America/New_York)');
    expect(r.code, r.stderr).toBe(0);
    // The living demo's first start computes its history first: 13 weekly real runs.
    expect(r.stderr).toMatch(/History: 13 weekly briefings, .* computed in \d+\.\ds\./);
    // stdout carries the JSON briefing (after the dev server's own banner).
    const json = r.stdout.slice(r.stdout.indexOf('{\n'));
    const b = Briefing.parse(JSON.parse(json));
    expect(b.agents.finance.metrics).toMatchObject({ mrr: 15000, arr: 180000, customers: 45 });
    expect(b.agents.sales.metrics.openDeals).toBe(12);
    expect(b.agents.operations.metrics.activeProjects).toBe(4);
    expect(b.agents.hr.metrics.headcount).toBe(12);
    expect(r.stderr).toMatch(
      new RegExp(
        `Inspect the run: http://localhost:${env.TEMPORAL_UI_PORT}/namespaces/default/workflows/briefing-demo-`,
      ),
    );

    // Everything was shut down: the same data folder opens again, and keeps the briefing.
    const latest = await runCli(['briefing', 'latest', '--json'], env);
    expect(latest.code, latest.stderr).toBe(0);
    expect(JSON.parse(latest.stdout).workflowId).toBe(b.workflowId);

    // A second start reuses the schedule (update, not a duplicate) and adds one briefing:
    // the history is there already.
    const again = await runCli(['start', '--once'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Daily schedule updated');
    expect(again.stderr).not.toContain('History:');
    expect(again.stdout).toContain('# Morning briefing: Northwind Analytics');
    const list = await runCli(['briefing', 'list', '--json', '--limit', '50'], env);
    expect(JSON.parse(list.stdout)).toHaveLength(13 + 2);
  }, 180_000); // two full starts (dev server, embedded Postgres, a run) and two reads
});
