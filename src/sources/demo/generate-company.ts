/**
 * Believable companies for the portfolio benchmark and tests: the living demo's template
 * (examples/demo-workspace) moved to `today` (shift-workspace.ts), renamed, with its money
 * and funnel counts varied by a seed and its customer base and pipeline multiplied by a
 * size. Same options, same bytes; every file stays valid for the workspace loader.
 *
 * What varies, and why it stays coherent:
 * - revenue (subscription prices, deal sizes, cash in, the ARR figures) by one factor per
 *   company, costs (salaries, budgets, spend, cash out) by another, the opening cash by a
 *   third; the cash balances are then chained again (each month's closing = the previous
 *   one + cash in - refunds - cash out), so runway and burn follow from the new figures;
 * - leads, MQLs, views and active users by a few percent per row;
 * - `size` copies of every customer (accounts, subscriptions, NPS answers) and every deal
 *   (with its stage history), each copy with its own ids, so MRR, ARR, the pipeline and
 *   the revenue in cashflow.csv grow with it. The team, projects and hiring stay the
 *   template's: their rows reference each other in ways a copy would not keep believable.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { ValidationError } from '../../shared/errors.js';
import { readDemoTemplate } from './prepare-workspace.js';
import { shiftDemoWorkspace } from './shift-workspace.js';

export interface GenerateCompanyOptions {
  /** company.yaml's id: lowercase letters, digits and dashes. */
  id: string;
  /** company.yaml's name. */
  name: string;
  /** Varies the figures: any safe integer. */
  seed: number;
  /** How many copies of the template's customers and deals: a whole number from 1. */
  size: number;
  /** company.yaml's time zone (IANA, e.g. Europe/Berlin). */
  timeZone: string;
  /** The day the data describes, YYYY-MM-DD. */
  today: string;
}

const COMPANY_ID = /^[a-z0-9][a-z0-9-]*$/;
/** A size beyond this would only make a benchmark's files large, not more believable. */
const MAX_SIZE = 1000;

/** mulberry32: a small deterministic generator, good enough to vary figures. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function check(opts: GenerateCompanyOptions): void {
  const bad = (field: string, why: string) =>
    new ValidationError(`generate company: ${field}: ${why}`, { file: 'options', field });
  if (!COMPANY_ID.test(opts.id))
    throw bad(
      'id',
      `expected lowercase letters, digits and dashes, got ${JSON.stringify(opts.id)}`,
    );
  if (opts.name.trim() === '' || /[\r\n]/.test(opts.name))
    throw bad('name', 'expected one non-empty line');
  if (!Number.isSafeInteger(opts.seed)) throw bad('seed', `expected an integer, got ${opts.seed}`);
  if (!Number.isInteger(opts.size) || opts.size < 1 || opts.size > MAX_SIZE)
    throw bad('size', `expected a whole number from 1 to ${MAX_SIZE}, got ${opts.size}`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: opts.timeZone });
  } catch {
    throw bad('timeZone', `expected an IANA time zone, got ${JSON.stringify(opts.timeZone)}`);
  }
}

type Row = Record<string, string>;

interface Table {
  columns: string[];
  rows: Row[];
}

function readTable(text: string): Table {
  const records = parseCsv(text, { bom: true, relax_column_count: true }) as string[][];
  const [columns = [], ...data] = records;
  return {
    columns,
    rows: data.map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']))),
  };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

function writeTable(t: Table): string {
  const line = (cells: string[]) => cells.map(csvCell).join(',') + '\n';
  return line(t.columns) + t.rows.map((r) => line(t.columns.map((c) => r[c] ?? ''))).join('');
}

/** A cents cell times `factor`, rounded to `step` cents (empty stays empty). */
function scaleCents(value: string | undefined, factor: number, step = 1): string {
  if (value === undefined || value === '') return value ?? '';
  const n = Math.round((Number(value) * factor) / step) * step;
  return String(Math.max(0, n));
}

/** A count times `factor`, rounded, never below 0 nor above `max`. */
function scaleCount(value: string | undefined, factor: number, max = Infinity): string {
  if (value === undefined || value === '') return value ?? '';
  return String(Math.min(max, Math.max(0, Math.round(Number(value) * factor))));
}

/** The k-th copy of an id or a name (the first is the template's own). */
const copyId = (id: string, k: number) => (k === 0 || id === '' ? id : `${id}-${k + 1}`);
const copyName = (name: string, k: number) => (k === 0 || name === '' ? name : `${name} ${k + 1}`);

/** Every row `size` times, each copy through `copy(row, k)`. */
function multiply(t: Table, size: number, copy: (row: Row, k: number) => Row): Table {
  const rows: Row[] = [];
  for (let k = 0; k < size; k++) for (const r of t.rows) rows.push(copy({ ...r }, k));
  return { columns: t.columns, rows };
}

/**
 * The files of the company `opts` describes, from the template's files (name -> text).
 * Pure: the same template and options give the same bytes.
 */
export function generateCompanyFiles(
  template: Readonly<Record<string, string>>,
  opts: GenerateCompanyOptions,
): Record<string, string> {
  check(opts);
  const files = shiftDemoWorkspace(template, opts.today);
  const rnd = random(opts.seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  // One draw each, in this order, so a factor never depends on another's file.
  const revenue = between(0.6, 1.6);
  const costs = between(0.8, 1.25);
  const cash = between(0.8, 1.8);
  const funnel = between(0.7, 1.3);
  const jitter = (spread: number) => 1 + spread * (2 * rnd() - 1);
  const { size } = opts;
  const edit = (name: string, change: (t: Table) => Table) => {
    const text = files[name];
    if (text !== undefined) files[name] = writeTable(change(readTable(text)));
  };

  files['company.yaml'] = files['company.yaml']!.replace(
    /^# .*: the demo company/m,
    `# ${opts.name.replace(/[^\x20-\x7e]/g, '?')}: generated from the demo company`,
  )
    .replace(/^id: .*$/m, `id: ${opts.id}`)
    .replace(/^name: .*$/m, `name: ${JSON.stringify(opts.name)}`)
    .replace(/^timezone: .*$/m, `timezone: ${JSON.stringify(opts.timeZone)}`);

  edit('subscriptions.csv', (t) =>
    multiply(t, size, (r, k) => ({
      ...r,
      id: copyId(r.id!, k),
      customer_id: copyId(r.customer_id!, k),
      customer_name: copyName(r.customer_name!, k),
      // Prices in whole dollars less a cent, as price lists are (99.00 -> 9900).
      amount_cents: scaleCents(r.amount_cents, revenue, 100),
    })),
  );
  edit('accounts.csv', (t) =>
    multiply(t, size, (r, k) => {
      const seats = Number(r.licensed_seats);
      return {
        ...r,
        customer_id: copyId(r.customer_id!, k),
        name: copyName(r.name!, k),
        active_users: scaleCount(r.active_users, jitter(0.15), seats),
        active_users_prev: scaleCount(r.active_users_prev, jitter(0.15), seats),
      };
    }),
  );
  edit('nps.csv', (t) =>
    multiply(t, size, (r, k) => ({
      ...r,
      id: copyId(r.id!, k),
      customer_id: copyId(r.customer_id!, k),
    })),
  );
  edit('deals.csv', (t) =>
    multiply(t, size, (r, k) => ({
      ...r,
      id: copyId(r.id!, k),
      name: k === 0 ? r.name! : r.name!.replace(r.account!, copyName(r.account!, k)),
      account: copyName(r.account!, k),
      amount_cents: scaleCents(r.amount_cents, revenue, 100_000),
    })),
  );
  edit('deal_stage_history.csv', (t) =>
    multiply(t, size, (r, k) => ({ ...r, deal_id: copyId(r.deal_id!, k) })),
  );
  edit('tasks.csv', (t) => ({
    ...t,
    rows: t.rows.map((r) => {
      const money = scaleCents(r.money_at_stake_cents, revenue, 100_000);
      // "Close Acme Corp deal ($50K ARR)" names the deal's new size.
      const title =
        money === ''
          ? r.title!
          : r.title!.replace(/\$\d+K\b/, `$${Math.round(Number(money) / 100_000)}K`);
      return { ...r, title, money_at_stake_cents: money };
    }),
  }));
  edit('projects.csv', (t) => ({
    ...t,
    rows: t.rows.map((r) => ({
      ...r,
      arr_at_stake_cents: scaleCents(r.arr_at_stake_cents, revenue, 100),
    })),
  }));
  edit('people.csv', (t) => ({
    ...t,
    rows: t.rows.map((r) => ({
      ...r,
      annual_cost_cents: scaleCents(r.annual_cost_cents, costs, 100_000),
    })),
  }));
  edit('roles.csv', (t) => ({
    ...t,
    rows: t.rows.map((r) => ({
      ...r,
      annual_budget_cents: scaleCents(r.annual_budget_cents, costs, 100_000),
    })),
  }));
  edit('campaigns.csv', (t) => ({
    ...t,
    rows: t.rows.map((r) => ({
      ...r,
      spend_cents: scaleCents(r.spend_cents, costs, 100),
      leads: scaleCount(r.leads, funnel * jitter(0.1)),
      mqls: scaleCount(r.mqls, funnel * jitter(0.1)),
      new_arr_cents: scaleCents(r.new_arr_cents, revenue, 100),
    })),
  }));
  edit('content.csv', (t) => ({
    ...t,
    rows: t.rows.map((r) => ({
      ...r,
      views: scaleCount(r.views, funnel * jitter(0.1)),
      leads: scaleCount(r.leads, funnel * jitter(0.1)),
    })),
  }));
  edit('cashflow.csv', (t) => {
    let balance: number | undefined;
    return {
      ...t,
      rows: t.rows.map((r) => {
        const row: Row = {
          ...r,
          cash_in_cents: scaleCents(r.cash_in_cents, revenue * size),
          refunds_cents: scaleCents(r.refunds_cents, revenue * size),
          cash_out_cents: scaleCents(r.cash_out_cents, costs),
          revenue_cents: scaleCents(r.revenue_cents, revenue * size),
          cost_of_revenue_cents: scaleCents(r.cost_of_revenue_cents, costs * size),
        };
        if (r.closing_balance_cents) {
          balance =
            balance === undefined
              ? Number(scaleCents(r.closing_balance_cents, cash))
              : balance +
                Number(row.cash_in_cents || 0) -
                Number(row.refunds_cents || 0) -
                Number(row.cash_out_cents || 0);
          row.closing_balance_cents = String(Math.max(0, balance));
        }
        return row;
      }),
    };
  });
  return files;
}

/**
 * Writes the company `opts` describes into `dir` (created; files of the same names
 * overwritten): every file of the template, as generateCompanyFiles makes them.
 */
export async function generateCompanyWorkspace(
  dir: string,
  opts: GenerateCompanyOptions,
): Promise<void> {
  const files = generateCompanyFiles(await readDemoTemplate(), opts);
  await mkdir(dir, { recursive: true });
  await Promise.all(
    Object.keys(files)
      .sort()
      .map((name) => writeFile(path.join(dir, name), files[name]!)),
  );
}
