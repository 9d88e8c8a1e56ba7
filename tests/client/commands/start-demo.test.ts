/**
 * The living demo's first start (no BOARDROOM_WORKSPACE): the demo is generated for
 * today, about a quarter of weekly history is computed by real runs before the first
 * briefing, so that briefing already has changes and sparklines; a second start adds
 * no history.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../../src/client/commands/start.js';
import { renderHtml } from '../../../src/ceo/render-html.js';
import { Briefing } from '../../../src/contract/briefing.js';
import { bootFromTestStack, commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach, uniqueCompanyId } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('start on the living demo', () => {
  it('generates the demo for today and starts with 13 weeks of history', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-demo-start-'));
    const companyId = uniqueCompanyId('demo');
    const s = await stack({ companyId, workspace: path.join(dataDir, 'demo-workspace') });
    const env = stackEnv(s, { BOARDROOM_WORKSPACE: undefined, BOARDROOM_DATA_DIR: dataDir });
    const start = (deps: ReturnType<typeof commandDeps>) =>
      startCommand(
        { once: true, json: true },
        {
          ...deps,
          logFile: undefined,
          envPath: undefined,
          boot: bootFromTestStack(s).boot,
          onStopRequest: () => {},
        },
      );
    try {
      const deps = commandDeps(env);
      expect(deps.config.company.demo).toBe(true);
      expect(await start(deps)).toBe(0);
      expect(deps.output.stderr).toMatch(
        /History: 13 weekly briefings, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, computed in \d+\.\ds\./,
      );
      // The generated demo is there, and says which day it describes.
      const company = await readFile(path.join(dataDir, 'demo-workspace', 'company.yaml'), 'utf8');
      expect(company).toContain('Northwind Analytics');

      const b = Briefing.parse(JSON.parse(deps.output.stdout));
      const mrr = b.keyMetrics.find((m) => m.key === 'mrr');
      expect(mrr?.value).toBe(15000);
      // History from day one: the week before's figure is there, and a change with it.
      expect(typeof mrr?.previous).toBe('number');
      expect(mrr?.series.length).toBeGreaterThanOrEqual(13);
      const customers = b.keyMetrics.find((m) => m.key === 'customers');
      expect(typeof customers?.change).toBe('number');
      expect(renderHtml(b)).toMatch(/<svg[^>]*class="spark/);
      // The history-based risk is evaluated (its LTV of ~30 days ago is stored).
      expect(b.unevaluatedRisks.map((r) => r.id)).not.toContain('cac-up-ltv-down');
      expect(b.risks.map((r) => r.id)).toEqual(
        expect.arrayContaining([
          'burnout-with-open-roles',
          'pipeline-exceeds-capacity',
          'cac-up-ltv-down',
        ]),
      );
      const count = async () =>
        (
          await s.repo.pool.query(
            `SELECT count(*)::int AS n FROM briefing_runs WHERE company_id = $1`,
            [companyId],
          )
        ).rows[0].n as number;
      expect(await count()).toBe(14);

      // A second start: the history is there, so only today's run is added.
      const again = commandDeps(env);
      expect(await start(again)).toBe(0);
      expect(again.output.stderr).not.toContain('History:');
      expect(await count()).toBe(15);
    } finally {
      await s.client.schedule
        .getHandle(`boardroom-daily-${companyId}`)
        .delete()
        .catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
