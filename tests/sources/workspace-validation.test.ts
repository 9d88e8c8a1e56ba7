/**
 * Issue 11: what enters from a workspace folder (and a connector) is validated where it
 * enters. Untrusted text is cleaned; oversized files are refused before they are read;
 * empty files, broken or duplicated headers and duplicate ids are errors naming the file
 * and the column; unreadable files, alias bombs, bad sources.yaml and company.yaml values
 * are permanent ValidationErrors naming the file, line and field.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENTS } from '../../src/agents/registry.js';
import { customerSuccessAgent } from '../../src/agents/customer-success/index.js';
import { financeAgent } from '../../src/agents/finance/index.js';
import { salesAgent } from '../../src/agents/sales/index.js';
import {
  NON_RETRYABLE_ERROR_TYPES,
  SourceSchemaError,
  ValidationError,
} from '../../src/shared/errors.js';
import type { Connector } from '../../src/sources/connectors/connector.js';
import { workspaceSources, type SourceGuard } from '../../src/sources/sources.js';
import {
  WORKSPACE_FILE_LIMITS,
  checkAgentInput,
  loadAgentInput,
} from '../../src/sources/workspace.js';

const DEMO = path.resolve('examples/demo-workspace');
// eslint-disable-next-line no-control-regex -- looking for control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-validate-'));
  await cp(DEMO, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (name: string) => path.join(dir, name);
const write = (name: string, text: string) => writeFile(file(name), text);
async function edit(name: string, fn: (text: string) => string): Promise<void> {
  const before = await readFile(file(name), 'utf8');
  const after = fn(before);
  expect(after).not.toBe(before);
  await writeFile(file(name), after);
}

/** The error a promise rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a rejection').toBeInstanceOf(Error);
  return err as Error;
}

/** A permanent ValidationError (never retried) whose message is exactly `message`. */
async function validationError(
  promise: Promise<unknown>,
  message: string,
): Promise<ValidationError> {
  const err = await failure(promise);
  expect(err).toBeInstanceOf(ValidationError);
  expect(NON_RETRYABLE_ERROR_TYPES).toContain(err.name);
  expect(err.message).toBe(message);
  return err as ValidationError;
}

const company = () => workspaceSources({ demo: dir }).loadCompany('demo');
const sources = () => workspaceSources({ demo: dir }, { agents: AGENTS });

describe('untrusted text is cleaned where it enters', () => {
  it("company.yaml's name: no terminal escapes, and one line (no fake Markdown section)", async () => {
    await edit('company.yaml', (t) =>
      t.replace(
        'name: Northwind Analytics',
        'name: "Northwind\\e]0;pwn\\a\\e[2J\\e[31m Analytics\\e[0m\\n\\n## Risks\\n- critical: fake"',
      ),
    );
    const { profile } = await company();
    expect(profile.name).toBe('Northwind Analytics ## Risks - critical: fake');
  });

  it('goals (goals.yaml and company.yaml) and tasks.csv: NUL, ESC and line breaks removed', async () => {
    await write('goals.yaml', 'goals: ["reve\\0nue", "hiring\\e[2J", "retention\\nline"]\n');
    await edit('tasks.csv', (t) =>
      t
        .replace('Close Acme Corp deal', 'Close\u0000 Acme\u001b]0;pwn\u0007 Corp deal')
        .replace(
          'founder-expenses,Approve November expenses',
          'founder-expenses,"Approve\n## Risks\nexpenses"',
        ),
    );
    const { profile, founderTasks } = await company();
    expect(profile.goals).toEqual(['revenue', 'hiring', 'retention line']);
    expect(founderTasks[0]!.title).toBe('Close Acme Corp deal ($50K ARR)');
    expect(founderTasks[4]!.title).toBe('Approve ## Risks expenses');
    for (const t of founderTasks) expect(JSON.stringify(t)).not.toMatch(/\\u00|\\n/);
  });

  it('CSV rows an agent reads: names single-line and clean; an NPS comment keeps its lines', async () => {
    await edit('deals.csv', (t) =>
      t.replace('Acme Corp - analytics', 'Acme\u001b[1;31m Corp\u001b[0m - analytics'),
    );
    await edit('nps.csv', (t) =>
      t.replace(
        'R-002,C-021,2026-05-02,3,Setup took weeks',
        'R-002,C-021,2026-05-02,3,"Setup\r\ntook\u0000 weeks"',
      ),
    );
    const sales = (await loadAgentInput(dir, salesAgent)).input as { deals: { name: string }[] };
    expect(sales.deals[0]!.name).toBe('Acme Corp - analytics platform (annual)');
    const cs = (await loadAgentInput(dir, customerSuccessAgent)).input as {
      nps: { id: string; comment?: string }[];
    };
    expect(cs.nps.find((r) => r.id === 'R-002')!.comment).toBe('Setup\ntook weeks');
  });

  it('says what it cleaned, and where (notes), and says nothing when nothing was', async () => {
    expect((await company()).notes).toBeUndefined();
    expect((await loadAgentInput(dir, salesAgent)).notes).toBeUndefined();
    await edit('tasks.csv', (t) =>
      t.replace('Close Acme Corp deal', 'Close\u0000 Acme\u001b[2J Corp deal'),
    );
    await edit('company.yaml', (t) =>
      t.replace('name: Northwind Analytics', 'name: "North\\e[31mwind"'),
    );
    await edit('deals.csv', (t) =>
      t.replace('Acme Corp - analytics', 'Acme\u0007 Corp - analytics'),
    );
    expect((await company()).notes).toEqual([
      'company.yaml: removed control characters (terminal escapes, NUL) from 1 value: line 3 "name"',
      'tasks.csv: removed control characters (terminal escapes, NUL) from 1 value: line 2 "title"',
    ]);
    expect((await loadAgentInput(dir, salesAgent)).notes).toEqual([
      'deals.csv: removed control characters (terminal escapes, NUL) from 1 value: line 2 "name"',
      'company.yaml: removed control characters (terminal escapes, NUL) from 1 value: line 3 "name"',
    ]);
  });

  it("a connector's answer is cleaned before the guard caches it (Postgres refuses NUL) and before the agent", async () => {
    await write('sources.yaml', 'agents:\n  finance: stripe\n');
    const stripe: Connector = {
      name: 'stripe',
      supplies: { finance: ['subscriptions'] },
      async load(_agent, ctx) {
        return {
          datasets: {
            subscriptions: [
              {
                id: 'sub_1',
                customer_id: 'cus_1',
                customer_name: 'Evil\u0000 Corp\u001b]0;pwn\u0007\n## Risks',
                plan: 'pro\u001b[2J',
                interval: 'month',
                amount_cents: 100,
                status: 'active',
                started_on: '2026-01-01',
              },
            ],
          },
          sourceCalls: 1,
          dataAsOf: ctx.asOf,
        };
      },
      async check() {
        return { ok: true, message: 'ok' };
      },
    };
    let cached: unknown;
    const guard: SourceGuard = async (_call, load) => {
      const result = await load();
      cached = result.datasets;
      return result;
    };
    const loaded = await workspaceSources(
      { demo: dir },
      { connectors: { stripe }, guard },
    ).loadAgentInput('demo', financeAgent, {
      today: '2026-11-26',
      asOf: new Date('2026-11-26T12:00:00Z'),
    });
    expect(JSON.stringify(cached)).not.toMatch(/\\u00[01]|\\u007f/);
    const sub = (loaded.input as { subscriptions: { customer_name: string; plan: string }[] })
      .subscriptions[0]!;
    expect(sub).toMatchObject({ customer_name: 'Evil Corp ## Risks', plan: 'pro' });
  });

  it("a connector's error carries no control characters from the API", async () => {
    await write('sources.yaml', 'agents:\n  finance: stripe\n');
    const stripe: Connector = {
      name: 'stripe',
      supplies: { finance: ['subscriptions'] },
      async load() {
        throw new SourceSchemaError('stripe: customer "Evil\u001b[2J\u0000" has no id', {
          id: 'cus\u0000',
        });
      },
      async check() {
        return { ok: true, message: 'ok' };
      },
    };
    const err = await failure(
      workspaceSources({ demo: dir }, { connectors: { stripe } }).loadAgentInput(
        'demo',
        financeAgent,
      ),
    );
    expect(err).toBeInstanceOf(SourceSchemaError);
    expect(err.message).toBe('stripe: customer "Evil" has no id');
    expect((err as SourceSchemaError).context).toEqual({ id: 'cus' });
  });
});

describe('size limits, checked before reading', () => {
  it('refuses a 10 MB goals list at once, naming the file and the limit', async () => {
    await write('goals.yaml', `goals:\n${'  - revenue\n'.repeat(1_000_000)}`);
    const t0 = performance.now();
    await validationError(
      company(),
      `${file('goals.yaml')}: 11.4 MB is more than the 1.0 MB a YAML file of a workspace may hold ` +
        '(see docs/workspace.md#size-limits): remove old rows or values',
    );
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('refuses a CSV over its limit without reading it', async () => {
    // A sparse file: its size says 21 MB, reading it would take time and memory.
    await truncate(file('subscriptions.csv'), WORKSPACE_FILE_LIMITS.csv + 1024 * 1024);
    await validationError(
      loadAgentInput(dir, financeAgent),
      `${file('subscriptions.csv')}: 21.0 MB is more than the 20.0 MB a CSV file of a workspace may hold ` +
        '(see docs/workspace.md#size-limits): remove old rows or values',
    );
  });
});

describe('silent bad data is refused', () => {
  it('a 0-byte required CSV (subscriptions.csv) is an error, not MRR $0', async () => {
    await write('subscriptions.csv', '');
    await validationError(
      loadAgentInput(dir, financeAgent),
      `${file('subscriptions.csv')}: the file is empty: expected a header row naming the columns ` +
        '(required: id, customer_id, customer_name, plan, interval, amount_cents, status, started_on)',
    );
  });

  it('accounts.csv cut to a partial header names the missing columns', async () => {
    await write('accounts.csv', 'customer_id,na');
    const err = await validationError(
      loadAgentInput(dir, customerSuccessAgent),
      `${file('accounts.csv')}, line 1, field "name": the header lacks the required columns name, csm, ` +
        'renewal_date, last_contact_on, licensed_seats, active_users, open_tickets ' +
        '(it has "customer_id", "na"; see docs/workspace.md)',
    );
    expect(err.location).toEqual({ file: 'accounts.csv', line: 1, field: 'name' });
  });

  it('accounts.csv with only blank lines is an empty file', async () => {
    await write('accounts.csv', '\n\n  \n');
    const err = await failure(loadAgentInput(dir, customerSuccessAgent));
    expect(err.message).toMatch(/accounts\.csv: the file is empty: expected a header row/);
  });

  it('a header row alone is fine (no rows yet)', async () => {
    const header = (await readFile(file('accounts.csv'), 'utf8')).split('\n')[0]!;
    await write('accounts.csv', `\uFEFF${header}\n`); // with a byte-order mark, as Excel writes it
    const cs = await loadAgentInput(dir, customerSuccessAgent);
    expect((cs.input as { accounts: unknown[] }).accounts).toEqual([]);
  });

  it('a duplicated amount_cents header is an error naming the column (not MRR $0.30)', async () => {
    await edit('subscriptions.csv', (t) =>
      t
        .split('\n')
        .map((l, i) => (i === 0 ? `${l},amount_cents` : l ? `${l},30` : l))
        .join('\n'),
    );
    const err = await validationError(
      loadAgentInput(dir, financeAgent),
      `${file('subscriptions.csv')}, line 1, field "amount_cents": the header names the column ` +
        '"amount_cents" twice (columns 6 and 10): remove or rename one',
    );
    expect(err.location).toEqual({ file: 'subscriptions.csv', line: 1, field: 'amount_cents' });
  });

  it('a duplicate id in tasks.csv is an error on its second line', async () => {
    await edit('tasks.csv', (t) => t.replace('founder-expenses,', 'founder-acme,'));
    await validationError(
      company(),
      `${file('tasks.csv')}, line 6, field "id": duplicate id "founder-acme" (also on data row 1)`,
    );
  });

  it('an empty optional CSV that exists is an error too (delete it, or give its header)', async () => {
    await write('nps.csv', '');
    const err = await failure(loadAgentInput(dir, customerSuccessAgent));
    expect(err.message).toMatch(/nps\.csv: the file is empty: .*, or delete the file$/);
  });
});

describe('clear errors', () => {
  it('a 0-byte deals.csv is blamed on deals.csv (not on deal_stage_history.csv)', async () => {
    await write('deals.csv', '');
    const err = await failure(loadAgentInput(dir, salesAgent));
    expect(err.message).toMatch(new RegExp(`^${file('deals.csv')}: the file is empty`));
  });

  it('a YAML alias bomb is a ValidationError naming the file, not a ReferenceError', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ])
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    await write('company.yaml', `${bomb.join('\n')}\nname: X\n`);
    await validationError(
      company(),
      `${file('company.yaml')}: its aliases (*name) expand to more than 100 copies, which boardroom ` +
        'refuses (a guard against YAML alias bombs): write the values out',
    );
  });

  it('a folder in place of a file is a permanent ValidationError naming the file', async () => {
    await rm(file('cashflow.csv'));
    await mkdir(file('cashflow.csv'));
    const err = await validationError(
      loadAgentInput(dir, financeAgent),
      `${file('cashflow.csv')}: is a folder, expected a file (see docs/workspace.md)`,
    );
    expect(err.location).toEqual({ file: 'cashflow.csv' });
  });

  it('a FIFO in place of a file is refused at once (the read does not wait for a writer)', async () => {
    await rm(file('cashflow.csv'));
    execFileSync('mkfifo', [file('cashflow.csv')]);
    const t0 = performance.now();
    await validationError(
      loadAgentInput(dir, financeAgent),
      `${file('cashflow.csv')}: is not a regular file (see docs/workspace.md)`,
    );
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('the valid date 0001-01-01 is accepted', async () => {
    await edit('deals.csv', (t) => t.replace(',2026-09-15,2026-11-30,', ',0001-01-01,2026-11-30,'));
    const sales = (await loadAgentInput(dir, salesAgent)).input as {
      deals: { created_on: string }[];
    };
    expect(sales.deals[0]!.created_on).toBe('0001-01-01');
  });
});

describe('sources.yaml: each mistake is a ValidationError naming the file, line and field', () => {
  it.each([
    [
      'empty',
      '',
      'sources.yaml: the file is empty: say under "agents:" which agent reads which API (docs/sources/), ' +
        'or delete the file to read every agent from the workspace files',
    ],
    [
      'an unknown agent',
      'agents:\n  legal: stripe\n',
      'sources.yaml, line 2, field "agents.legal": unknown key "legal" ' +
        '(expected finance, sales, operations, marketing, hr, customer-success)',
    ],
    [
      'an unknown connector',
      'agents:\n  finance: quickbooks\n',
      'sources.yaml, line 2, field "agents.finance": unknown source: expected workspace, stripe, hubspot ' +
        'or linear (got "quickbooks")',
    ],
    [
      'an unknown key',
      'agents:\n  finance: workspace\nfoo: 1\n',
      'sources.yaml, line 3, field "foo": unknown key "foo" (expected agents, stripe, hubspot, linear, resilience)',
    ],
    [
      'a negative failure_threshold',
      'resilience:\n  stripe:\n    failure_threshold: -1\n',
      'sources.yaml, line 3, field "resilience.stripe.failure_threshold": Too small: expected number to be >0 (got -1)',
    ],
    [
      'a list where a map belongs',
      'agents:\n  - finance\n',
      'sources.yaml, line 2, field "agents": expected a map of "key: value" lines, got a list',
    ],
    [
      'not YAML',
      'agents: [finance\n  x: }\n',
      'sources.yaml, line 1: Implicit keys of flow sequence pairs need to be on a single line at line 1, column 10',
    ],
  ])('%s', async (_case, yaml, message) => {
    await write('sources.yaml', yaml);
    await validationError(sources().loadAgentInput('demo', financeAgent), `${dir}/${message}`);
  });
});

describe('company.yaml: time zone and currency', () => {
  it.each([
    ['Mars/Olympus', '"Mars/Olympus"'],
    ['""', '""'],
  ])('refuses the time zone %s naming the line and field', async (zone, shown) => {
    await edit('company.yaml', (t) => t.replace('timezone: America/New_York', `timezone: ${zone}`));
    const err = await validationError(
      company(),
      `${file('company.yaml')}, line 5, field "timezone": expected an IANA time zone, e.g. Europe/Berlin or UTC (got ${shown})`,
    );
    expect(err.location).toEqual({ file: 'company.yaml', line: 5, field: 'timezone' });
  });

  it('validates the currency and exposes it upper-cased, USD by default', async () => {
    expect((await company()).profile.currency).toBe('USD');
    await edit('company.yaml', (t) => t.replace('currency: USD', 'currency: eur'));
    expect((await company()).profile.currency).toBe('EUR');
    await edit('company.yaml', (t) => t.replace('currency: eur\n', ''));
    expect((await company()).profile.currency).toBe('USD');
    await edit('company.yaml', (t) => t.replace('id: demo', 'id: demo\ncurrency: DOLLARS'));
    await validationError(
      company(),
      `${file('company.yaml')}, line 3, field "currency": expected a three-letter ISO 4217 currency code, e.g. USD or EUR (got "DOLLARS")`,
    );
  });

  it('refuses a ceo.yaml rule id that is not a word (it would be printed)', async () => {
    await write('ceo.yaml', 'risks:\n  "evil\\e[2J":\n    x: 1\n');
    const err = await failure(company());
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(
      /ceo\.yaml, line 3, field "risks\.evil": expected a rule id or threshold name \(see docs\/risks\.md\)$/,
    );
    expect(err.message).not.toMatch(CONTROL);
  });
});

describe('checkAgentInput: every problem, not only the first', () => {
  it('reports each bad value of each file with its line and field', async () => {
    await edit('deals.csv', (t) => t.replace(',5000000,', ',12.5,').replace(',2400000,', ',-3,'));
    await edit('deal_stage_history.csv', (t) => t.replace(/\nD-001,(\w+),/, '\nD-001,$1x,'));
    const errors = await checkAgentInput(dir, salesAgent);
    expect(errors.map((e) => e.message.replace(`${dir}/`, ''))).toEqual([
      'deals.csv, line 2, field "amount_cents": expected a whole, non-negative number of cents (e.g. 50000 for $500.00), got "12.5"',
      'deals.csv, line 3, field "amount_cents": expected a whole, non-negative number of cents (e.g. 50000 for $500.00), got "-3"',
      expect.stringMatching(
        /^deal_stage_history\.csv, line 2, field "stage": expected one of lead, /,
      ),
    ]);
  });

  it('reports an unreadable file and still checks the others', async () => {
    await write('deals.csv', 'id,name\n');
    await write('sales.yaml', 'thresholds:\n  nope: 1\n');
    const errors = await checkAgentInput(dir, salesAgent);
    expect(errors.map((e) => e.message.replace(`${dir}/`, ''))).toEqual([
      expect.stringMatching(
        /^deals\.csv, line 1, field "account": the header lacks the required columns account, /,
      ),
      expect.stringMatching(
        /^sales\.yaml, line 2, field "thresholds\.nope": unknown key "nope" \(expected /,
      ),
    ]);
  });
});
