/**
 * A full briefing with every agent that can read an API reading it (Stripe for finance
 * and customer success, HubSpot for sales and marketing, Linear for operations), each
 * against a local server that reproduces the real API, through the real Temporal worker
 * and Postgres. The briefing has the same metric keys as the workspace run, and the
 * credentials appear nowhere: not in Temporal's history, not in Postgres, not in logs.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NAMES, type AgentName } from '../../src/contract/report.js';
import { CONNECTORS } from '../../src/sources/connectors/index.js';
import { workspaceSources } from '../../src/sources/sources.js';
import { startFakeHubSpot, type FakeHubSpot } from '../fakes/hubspot-server.js';
import { HUBSPOT_GOLDEN_SETTINGS, HUBSPOT_GOLDEN_TOKEN } from '../fakes/hubspot-fixtures/golden.js';
import { GOLDEN_API_KEY, startFakeStripe, type FakeStripe } from '../fakes/stripe-server.js';
import { GOLDEN_SETTINGS as STRIPE_GOLDEN_SETTINGS } from '../fakes/stripe-fixtures/golden.js';
import { startFakeLinear, type FakeLinear } from '../fakes/linear-server.js';
import {
  GOLDEN_API_KEY as LINEAR_GOLDEN_API_KEY,
  GOLDEN_SETTINGS as LINEAR_GOLDEN_SETTINGS,
  goldenLinearWorkspace,
} from '../fakes/linear-fixtures/golden.js';
import { runCli } from '../helpers/cli.js';
import { DEMO_WORKSPACE, createTestStack, uniqueCompanyId } from '../helpers/stack.js';

let dir: string;
let stripe: FakeStripe;
let hubspot: FakeHubSpot;
let linear: FakeLinear;
const ROUTED: Partial<Record<AgentName, string>> = {
  finance: 'stripe',
  'customer-success': 'stripe',
  sales: 'hubspot',
  marketing: 'hubspot',
  operations: 'linear',
};
const SECRETS = [GOLDEN_API_KEY, HUBSPOT_GOLDEN_TOKEN, LINEAR_GOLDEN_API_KEY];
const ENV = {
  STRIPE_API_KEY: GOLDEN_API_KEY,
  HUBSPOT_ACCESS_TOKEN: HUBSPOT_GOLDEN_TOKEN,
  LINEAR_API_KEY: LINEAR_GOLDEN_API_KEY,
};

beforeAll(async () => {
  [stripe, hubspot, linear] = await Promise.all([
    startFakeStripe({ pageSize: 3 }),
    startFakeHubSpot(),
    startFakeLinear({ workspace: goldenLinearWorkspace() }),
  ]);
  dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-connectors-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const yaml = (o: Record<string, unknown>) => JSON.stringify(o); // JSON is YAML
  await writeFile(
    path.join(dir, 'sources.yaml'),
    [
      'agents:',
      ...Object.entries(ROUTED).map(([agent, source]) => `  ${agent}: ${source}`),
      `stripe: ${yaml({ ...STRIPE_GOLDEN_SETTINGS, base_url: stripe.url })}`,
      `hubspot: ${yaml({ ...HUBSPOT_GOLDEN_SETTINGS, base_url: hubspot.url })}`,
      `linear: ${yaml({ ...LINEAR_GOLDEN_SETTINGS, base_url: linear.url })}`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await Promise.all([stripe?.close(), hubspot?.close(), linear?.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** `leads.paid_search` -> `leads`: per-item keys depend on the data, their families do not. */
function keyFamilies(metrics: Record<string, unknown>): string[] {
  return [...new Set(Object.keys(metrics).map((k) => k.split('.')[0]!))].sort();
}

describe('a briefing from the APIs', () => {
  it('reads each agent from its API and has the metric keys of the workspace run', async () => {
    const companyId = uniqueCompanyId('apis');
    const env = ENV;
    const apis = await createTestStack({
      companyId,
      sources: workspaceSources({ [companyId]: dir }, { connectors: CONNECTORS, env }),
    });
    const files = await createTestStack();
    try {
      const [fromApis, fromFiles] = await Promise.all([apis.runBriefing(), files.runBriefing()]);
      expect(Object.values(fromApis.agents).map((a) => a.status)).toEqual(
        AGENT_NAMES.map(() => 'ok'),
      );
      const a = (await apis.repo.getBriefing(fromApis.workflowId))!;
      const f = (await files.repo.getBriefing(fromFiles.workflowId))!;
      for (const agent of AGENT_NAMES) {
        expect(keyFamilies(a.briefing.agents[agent].metrics), agent).toEqual(
          keyFamilies(f.briefing.agents[agent].metrics),
        );
      }
      // The figures really came from the APIs: the demo has 12 open deals and 45
      // customers; the fake accounts have others.
      expect(a.briefing.agents.sales.metrics.openDeals).not.toBe(12);
      expect(a.briefing.agents.finance.metrics.customers).not.toBe(45);
      expect(a.briefing.agents.finance.sourceCalls).toBeGreaterThan(3);
      expect(
        stripe.requests.every((r) => r.headers.authorization === `Bearer ${GOLDEN_API_KEY}`),
      ).toBe(true);
      expect(hubspot.requests.some((r) => r.path === '/crm/v3/objects/deals')).toBe(true);
      expect(linear.requests.length).toBeGreaterThan(0);
      expect(a.briefing.agents.operations.sourceCalls).toBeGreaterThan(linear.requests.length / 2);

      // Credentials went nowhere: Temporal history, Postgres, logs.
      const history = JSON.stringify(
        await apis.client.workflow.getHandle(fromApis.workflowId).fetchHistory(),
      );
      const stored = JSON.stringify(
        (
          await apis.repo.pool.query(
            `SELECT b.briefing, r.report, e.error
               FROM briefings b JOIN agent_reports r USING (workflow_id)
               LEFT JOIN agent_executions e USING (workflow_id)
              WHERE b.workflow_id = $1`,
            [fromApis.workflowId],
          )
        ).rows,
      );
      const logs = JSON.stringify(apis.logLines);
      for (const secret of SECRETS) {
        expect(history).not.toContain(secret);
        expect(stored).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
    } finally {
      await apis.close();
      await files.close();
    }
  });

  it('sources check reaches each configured API once and names what to fix', async () => {
    const ok = await workspaceSources({ acme: dir }, { connectors: CONNECTORS, env: ENV })
      .checkSources!('acme');
    expect(ok.map((c) => [c.source, c.ok])).toEqual([
      ['workspace', true],
      ['stripe', true],
      ['hubspot', true],
      ['linear', true],
    ]);
    expect(ok[1]!.message).toMatch(/^stripe: \d+ active subscriptions/);
    const bad = await workspaceSources({ acme: dir }, { connectors: CONNECTORS, env: {} })
      .checkSources!('acme');
    expect(bad.filter((c) => !c.ok).map((c) => c.source)).toEqual(['stripe', 'hubspot', 'linear']);
    expect(bad[1]!.message).toContain('STRIPE_API_KEY');
    expect(bad[2]!.message).toContain('HUBSPOT_ACCESS_TOKEN');
    expect(bad[3]!.message).toContain('LINEAR_API_KEY');
  });

  it('boardroom sources check prints one line per source and exits 1 on a failure', async () => {
    const args = ['sources', 'check', '--company', 'acme', '--workspace', dir];
    const ok = await runCli(args, ENV);
    expect(ok.code, ok.stderr).toBe(0);
    const lines = ok.stdout.trim().split('\n');
    expect(lines[0]).toBe(`✔ workspace (hr): workspace files in ${dir}`);
    expect(lines[1]).toMatch(
      /^✔ stripe \(finance, customer-success\): \d+ active subscriptions \(\d+ pages\)/,
    );
    expect(lines[2]).toMatch(/^✔ hubspot \(sales, marketing\): 2 deal pipelines/);
    expect(lines[3]).toMatch(/^✔ linear \(operations\): /);
    const bad = await runCli(args, { ...ENV, LINEAR_API_KEY: 'lin_api_wrong' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^✘ linear \(operations\): .*LINEAR_API_KEY/m);
    expect(bad.stdout).not.toContain('lin_api_wrong');
  });
});
