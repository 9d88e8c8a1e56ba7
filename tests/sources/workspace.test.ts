import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerSuccessAgent } from '../../src/agents/customer-success/index.js';
import { FINANCE_THRESHOLDS, financeAgent } from '../../src/agents/finance/index.js';
import { salesAgent } from '../../src/agents/sales/index.js';
import { ConfigError, ValidationError } from '../../src/shared/errors.js';
import { workspaceSources } from '../../src/sources/sources.js';
import { loadAgentInput } from '../../src/sources/workspace.js';

const DEMO = path.resolve('examples/demo-workspace');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-ws-'));
  await cp(DEMO, dir, { recursive: true });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rewrites the line of `file` that starts with `rowStart`; returns its 1-based line number. */
async function editLine(
  file: string,
  rowStart: string,
  edit: (line: string) => string,
): Promise<number> {
  const full = path.join(dir, file);
  const lines = (await readFile(full, 'utf8')).split('\n');
  const index = lines.findIndex((l) => l.startsWith(rowStart));
  expect(index).toBeGreaterThan(0);
  const before = lines[index]!;
  lines[index] = edit(before);
  expect(lines[index]).not.toBe(before);
  await writeFile(full, lines.join('\n'));
  return index + 1;
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return err as ValidationError;
}

describe('workspace loader errors', () => {
  it('names file, line and field of a bad cents value in a CSV row', async () => {
    const line = await editLine('subscriptions.csv', 'sub_1003,', (l) =>
      l.replace(',29900,', ',12.5,'),
    );
    expect(line).toBe(4);
    const err = await rejection(loadAgentInput(dir, financeAgent));
    expect(err.message).toBe(
      `${path.join(dir, 'subscriptions.csv')}, line ${line}, field "amount_cents": expected a whole, non-negative number ` +
        `of cents (e.g. 50000 for $500.00), got "12.5"`,
    );
    expect(err.location).toEqual({ file: 'subscriptions.csv', line, field: 'amount_cents' });
  });

  it('counts lines correctly further down the file', async () => {
    const text = await readFile(path.join(dir, 'cashflow.csv'), 'utf8');
    const lastRow = text.trimEnd().split('\n').at(-1)!;
    const month = lastRow.split(',')[0]!;
    const line = await editLine('cashflow.csv', `${month},`, (l) => l.replace(/,(\d+)$/, ',-5'));
    expect(line).toBe(text.trimEnd().split('\n').length);
    const err = await rejection(loadAgentInput(dir, financeAgent));
    expect(err.location).toEqual({ file: 'cashflow.csv', line, field: 'closing_balance_cents' });
    expect(err.message).toBe(
      `${path.join(dir, 'cashflow.csv')}, line ${line}, field "closing_balance_cents": expected a whole, non-negative ` +
        `number of cents (e.g. 50000 for $500.00), got "-5"`,
    );
  });

  it('reports a missing required column value', async () => {
    const line = await editLine('deals.csv', 'D-004,', (l) => l.replace(',Maya Chen,', ',,'));
    expect(line).toBe(5);
    const err = await rejection(loadAgentInput(dir, salesAgent));
    expect(err.message).toBe(
      `${path.join(dir, 'deals.csv')}, line ${line}, field "owner": required: expected text`,
    );
    expect(err.location).toEqual({ file: 'deals.csv', line, field: 'owner' });
  });

  it('reports a missing required file', async () => {
    await rm(path.join(dir, 'cashflow.csv'));
    const err = await rejection(loadAgentInput(dir, financeAgent));
    expect(err.message).toBe(
      `${path.join(dir, 'cashflow.csv')}: file not found (see docs/workspace.md for the files a workspace needs)`,
    );
    expect(err.location).toEqual({ file: 'cashflow.csv' });
  });

  it('reports a YAML value of the wrong type in company.yaml with its line', async () => {
    const line = await editLine('company.yaml', 'name:', () => 'name: 42');
    expect(line).toBe(3);
    const err = await rejection(workspaceSources({ demo: dir }).loadCompany('demo'));
    expect(err.message).toBe(
      `${path.join(dir, 'company.yaml')}, line 3, field "name": Invalid input: expected string, received number`,
    );
    expect(err.location).toEqual({ file: 'company.yaml', line: 3, field: 'name' });
  });

  it('reports a nested YAML value read by an agent with its line', async () => {
    const line = await editLine('company.yaml', '  start:', () => '  start: soon');
    expect(line).toBe(9);
    const err = await rejection(loadAgentInput(dir, salesAgent));
    expect(err.location).toEqual({ file: 'company.yaml', line, field: 'quarter.start' });
    expect(err.message).toBe(
      `${path.join(dir, 'company.yaml')}, line 9, field "quarter.start": expected a date written YYYY-MM-DD, got "soon"`,
    );
  });

  it('reports malformed YAML with its line', async () => {
    await writeFile(
      path.join(dir, 'company.yaml'),
      'name: Northwind\ngoals: [revenue, retention\ntimezone: UTC\n',
    );
    const err = await rejection(workspaceSources({ demo: dir }).loadCompany('demo'));
    expect(err.message).toBe(
      `${path.join(dir, 'company.yaml')}, line 3: Flow sequence in block collection must be ` +
        'sufficiently indented and end with a ] at line 3, column 1',
    );
    expect(err.location).toEqual({ file: 'company.yaml', line: 3 });
  });

  it('loads fine when optional files are missing', async () => {
    await rm(path.join(dir, 'finance.yaml'));
    await rm(path.join(dir, 'nps.csv'));
    await rm(path.join(dir, 'tasks.csv'));
    await rm(path.join(dir, 'goals.yaml'));
    await rm(path.join(dir, 'founder.yaml'));
    await rm(path.join(dir, 'ceo.yaml'));
    const finance = await loadAgentInput(dir, financeAgent);
    expect(finance.input.settings).toEqual({ thresholds: FINANCE_THRESHOLDS });
    expect(finance.sourceCalls).toBe(2);
    expect(finance.input.subscriptions).toHaveLength(52);
    const cs = await loadAgentInput(dir, customerSuccessAgent);
    expect(cs.input.nps).toEqual([]);
    expect(cs.sourceCalls).toBe(3); // subscriptions.csv, accounts.csv, customer-success.yaml
    const company = await workspaceSources({ demo: dir }).loadCompany('demo');
    expect(company.founderTasks).toEqual([]);
    expect(company.profile.goals).toEqual([]); // no goals.yaml, none in company.yaml
    expect(company.profile.energy).toBeUndefined();
    expect(company.ceo).toEqual({ weights: undefined, riskThresholds: {} });
  });
});

describe('workspaceSources', () => {
  it('rejects ceo.yaml weights that do not sum to 1, naming the file and field', async () => {
    await writeFile(
      path.join(dir, 'ceo.yaml'),
      'weights:\n  revenue_impact: 0.5\n  urgency: 0.25\n  energy_alignment: 0.15\n  strategic_alignment: 0.2\n',
    );
    const err = await rejection(workspaceSources({ demo: dir }).loadCompany('demo'));
    expect(err.message).toBe(
      // Issue 11: the message says the sum found.
      `${path.join(dir, 'ceo.yaml')}, line 2, field "weights": weights must sum to 1, but they sum to 1.1 ` +
        '(revenue_impact 0.5 + urgency 0.25 + energy_alignment 0.15 + strategic_alignment 0.2): ' +
        'adjust them so they add up to 1',
    );
  });

  it('ignores a founder.yaml energy dated another day only when asked to (the date is kept)', async () => {
    await writeFile(path.join(dir, 'founder.yaml'), 'energy: low\ndate: 2026-11-20\n');
    const { profile } = await workspaceSources({ demo: dir }).loadCompany('demo');
    expect(profile.energy).toEqual({ level: 'low', date: '2026-11-20' });
  });

  it('loads the demo company profile and founder tasks', async () => {
    const { profile, founderTasks, ceo } = await workspaceSources({ demo: dir }).loadCompany(
      'demo',
    );
    expect(profile).toEqual({
      id: 'demo',
      name: 'Northwind Analytics',
      timeZone: 'America/New_York',
      currency: 'USD', // issue 11: company.yaml's currency, validated
      goals: ['revenue', 'retention', 'hiring'],
      energy: { level: 'high', date: undefined },
    });
    expect(ceo).toEqual({
      weights: {
        revenueImpact: 0.4,
        urgency: 0.25,
        energyAlignment: 0.15,
        strategicAlignment: 0.2,
      },
      riskThresholds: {},
    });
    expect(founderTasks.map((t) => t.id)).toEqual([
      'founder-acme',
      'founder-board-update',
      'founder-backend-interview',
      'founder-pricing-page',
      'founder-expenses',
    ]);
    expect(founderTasks[0]).toEqual({
      id: 'founder-acme',
      title: 'Close Acme Corp deal ($50K ARR)',
      source: 'founder',
      reason: 'on your task list',
      revenueImpact: 95,
      urgency: 80,
      energyAlignment: 70,
      strategicAlignment: 90,
      deadline: '2026-11-30',
      energyDemand: 'high',
      moneyAtStakeCents: 5_000_000,
      tags: ['revenue'],
    });
    expect(founderTasks[2]!.tags).toEqual(['hiring', 'engineering']);
    expect(founderTasks[3]!.deadline).toBeUndefined();
    expect(founderTasks[3]!.moneyAtStakeCents).toBeUndefined();
  });

  it('throws a ConfigError naming an unknown company', async () => {
    const sources = workspaceSources({ demo: dir });
    const err = await sources.loadCompany('acme').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(
      'No workspace is configured for company "acme" (known: demo). ' +
        'Set BOARDROOM_COMPANY_ID and BOARDROOM_WORKSPACE on the worker.',
    );
    expect((err as ConfigError).context).toEqual({ companyId: 'acme' });
    await expect(async () => sources.loadAgentInput('acme', financeAgent)).rejects.toThrow(
      'No workspace is configured for company "acme"',
    );
  });

  it('loads an agent input for a known company', async () => {
    const loaded = await workspaceSources({ demo: dir }).loadAgentInput('demo', salesAgent);
    expect((loaded.input as { deals: unknown[] }).deals).toHaveLength(29);
    // deals.csv, deal_stage_history.csv, company.yaml, sales.yaml
    expect(loaded.sourceCalls).toBe(4);
  });
});
