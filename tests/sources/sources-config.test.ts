/**
 * sources.yaml routing: which agent reads a connector, and what happens to the rows
 * it supplies. The connector here is a stand-in implementing the contract; the real
 * ones have their own tests against fake API servers.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { financeAgent } from '../../src/agents/finance/index.js';
import { salesAgent } from '../../src/agents/sales/index.js';
import { SourceSchemaError, ValidationError } from '../../src/shared/errors.js';
import type { Connector, ConnectorContext } from '../../src/sources/connectors/connector.js';
import { workspaceSources } from '../../src/sources/sources.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-sources-'));
  await cp('examples/demo-workspace', dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const when = { today: '2026-11-26', asOf: new Date('2026-11-26T12:00:00Z') };

function standIn(rows: Record<string, unknown>[]): Connector & { calls: ConnectorContext[] } {
  const calls: ConnectorContext[] = [];
  return {
    name: 'stripe',
    supplies: { finance: ['subscriptions'], 'customer-success': ['subscriptions'] },
    calls,
    async load(_agent, ctx) {
      calls.push(ctx);
      return { datasets: { subscriptions: rows }, sourceCalls: 3, dataAsOf: ctx.asOf };
    },
    async check(ctx) {
      return ctx.env.STRIPE_API_KEY
        ? { ok: true, message: '1 active subscription' }
        : { ok: false, message: 'set STRIPE_API_KEY' };
    },
  };
}

const row = {
  id: 'sub_1',
  customer_id: 'cus_1',
  customer_name: 'Acme',
  plan: 'pro',
  interval: 'month',
  amount_cents: '12345',
  status: 'active',
  started_on: '2026-01-10',
};

describe('sources.yaml', () => {
  it('routes an agent to its connector, which gets the files, settings and day; the rest stay files', async () => {
    await writeFile(
      path.join(dir, 'sources.yaml'),
      'agents:\n  finance: stripe\nstripe:\n  api_key_env: ACME_STRIPE_KEY\n',
    );
    const stripe = standIn([row]);
    const sources = workspaceSources(
      { acme: dir },
      { connectors: { stripe }, env: { ACME_STRIPE_KEY: 'sk_test' } },
    );
    const loaded = await sources.loadAgentInput('acme', financeAgent, when);
    const input = loaded.input as {
      subscriptions: { id: string; amount_cents: number }[];
      cashflow: unknown[];
    };
    expect(input.subscriptions).toEqual([
      expect.objectContaining({ id: 'sub_1', amount_cents: 12345 }),
    ]);
    expect(input.cashflow.length).toBeGreaterThan(0); // still cashflow.csv
    // the connector's 3 requests + the 3 files read (subscriptions.csv too: it is the overlay base)
    expect(loaded.sourceCalls).toBe(3 + 3);
    expect(loaded.dataAsOf).toEqual(when.asOf);
    const ctx = stripe.calls[0]!;
    expect(ctx).toMatchObject({
      companyId: 'acme',
      today: '2026-11-26',
      settings: { api_key_env: 'ACME_STRIPE_KEY' },
    });
    expect((ctx.fileDatasets.subscriptions as unknown[]).length).toBe(52); // the file's rows, to overlay
    // Sales is not routed: read from the files, no connector call.
    await sources.loadAgentInput('acme', salesAgent, when);
    expect(stripe.calls).toHaveLength(1);
  });

  it('does not need the files of the data sets a connector supplies', async () => {
    await writeFile(path.join(dir, 'sources.yaml'), 'agents:\n  finance: stripe\n');
    await rm(path.join(dir, 'subscriptions.csv'));
    const stripe = standIn([row]);
    const loaded = await workspaceSources({ acme: dir }, { connectors: { stripe } }).loadAgentInput(
      'acme',
      financeAgent,
      when,
    );
    expect((loaded.input as { subscriptions: unknown[] }).subscriptions).toHaveLength(1);
    expect(stripe.calls[0]!.fileDatasets.subscriptions).toEqual([]); // nothing to overlay
  });

  it("names the connector, item, id and field when the API's rows do not fit", async () => {
    await writeFile(path.join(dir, 'sources.yaml'), 'agents:\n  finance: stripe\n');
    const sources = workspaceSources(
      { acme: dir },
      { connectors: { stripe: standIn([row, { ...row, id: 'sub_2', amount_cents: '12.5' }]) } },
    );
    const err = await sources.loadAgentInput('acme', financeAgent, when).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceSchemaError);
    expect((err as Error).message).toMatch(
      /^stripe: subscriptions item 2 \(sub_2\), field "amount_cents": /,
    );
  });

  it('rejects an agent routed to a connector that does not supply it, or an unknown key', async () => {
    await writeFile(path.join(dir, 'sources.yaml'), 'agents:\n  sales: stripe\n');
    const sources = workspaceSources({ acme: dir }, { connectors: { stripe: standIn([]) } });
    const err = await sources.loadAgentInput('acme', salesAgent, when).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toBe(
      // Issue 11: the line is named too.
      'sources.yaml, line 2, field "agents.sales": stripe does not supply sales (it supplies finance, customer-success)',
    );

    await writeFile(path.join(dir, 'sources.yaml'), 'agents:\n  finance: quickbooks\n');
    const bad = await sources.loadAgentInput('acme', financeAgent, when).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as Error).message).toContain('sources.yaml, line 2, field "agents.finance"');
  });

  it('checks each configured source once, and says what is wrong', async () => {
    await writeFile(
      path.join(dir, 'sources.yaml'),
      'agents:\n  finance: stripe\n  customer-success: stripe\n',
    );
    const ok = await workspaceSources(
      { acme: dir },
      { connectors: { stripe: standIn([]) }, env: { STRIPE_API_KEY: 'x' } },
    ).checkSources!('acme', when);
    expect(ok).toEqual([
      {
        source: 'workspace',
        agents: ['sales', 'operations', 'marketing', 'hr'],
        ok: true,
        message: `workspace files in ${dir}`,
      },
      {
        source: 'stripe',
        agents: ['finance', 'customer-success'],
        ok: true,
        message: '1 active subscription',
      },
    ]);
    const bad = await workspaceSources(
      { acme: dir },
      { connectors: { stripe: standIn([]) }, env: {} },
    ).checkSources!('acme', when);
    expect(bad[1]).toMatchObject({ source: 'stripe', ok: false, message: 'set STRIPE_API_KEY' });
  });

  it("checks that each file-fed agent's required files are there", async () => {
    const { AGENTS } = await import('../../src/agents/registry.js');
    await rm(path.join(dir, 'cashflow.csv'));
    await rm(path.join(dir, 'roles.csv'));
    const [files] = await workspaceSources({ acme: dir }, { agents: AGENTS }).checkSources!(
      'acme',
      when,
    );
    expect(files).toEqual({
      source: 'workspace',
      agents: ['finance', 'sales', 'operations', 'marketing', 'hr', 'customer-success'],
      ok: false,
      message: `missing or unreadable in ${dir}: cashflow.csv (finance), roles.csv (hr) (see docs/workspace.md)`,
    });
  });
});
