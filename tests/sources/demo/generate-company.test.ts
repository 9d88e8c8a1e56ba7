import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENTS } from '../../../src/agents/registry.js';
import { ValidationError } from '../../../src/shared/errors.js';
import {
  generateCompanyFiles,
  generateCompanyWorkspace,
  type GenerateCompanyOptions,
} from '../../../src/sources/demo/generate-company.js';
import { readDemoTemplate } from '../../../src/sources/demo/prepare-workspace.js';
import { shiftDemoWorkspace } from '../../../src/sources/demo/shift-workspace.js';
import { workspaceSources } from '../../../src/sources/sources.js';
import { agentReports, loadWorkspace } from '../../helpers/demo-briefings.js';

const TODAY = '2026-12-01';
const template = await readDemoTemplate();
const base: GenerateCompanyOptions = {
  id: 'gen-acme',
  name: 'Acme Widgets',
  seed: 1,
  size: 1,
  timeZone: 'Europe/Berlin',
  today: TODAY,
};
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-generate-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function written(opts: GenerateCompanyOptions) {
  const dir = path.join(tmp, `${opts.id}-${opts.seed}-${opts.size}`);
  await generateCompanyWorkspace(dir, opts);
  return dir;
}

const lines = (text: string) => text.trimEnd().split('\n').length - 1;

describe('generateCompanyWorkspace', () => {
  it('writes a workspace every agent and the CEO step read without a problem', async () => {
    const dir = await written({ ...base, seed: 42, size: 3, timeZone: 'Asia/Tokyo' });
    const sources = workspaceSources({ 'gen-acme': dir }, { agents: AGENTS });
    const checks = await sources.checkSources!('gen-acme');
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    const company = await sources.loadCompany('gen-acme');
    expect(company.profile).toMatchObject({
      id: 'gen-acme',
      name: 'Acme Widgets',
      timeZone: 'Asia/Tokyo',
      currency: 'USD',
    });
    expect((await readdir(dir)).sort()).toEqual(Object.keys(template).sort());
  });

  it('gives the same bytes for the same options', async () => {
    const a = await written(base);
    const b = path.join(tmp, 'again');
    await generateCompanyWorkspace(b, base);
    for (const name of Object.keys(template))
      expect(await readFile(path.join(b, name), 'utf8'), name).toBe(
        await readFile(path.join(a, name), 'utf8'),
      );
  });

  it('keeps the dates of the shifted demo and its whole cents', () => {
    const files = generateCompanyFiles(template, { ...base, seed: 9, size: 2 });
    const shifted = shiftDemoWorkspace(template, TODAY);
    // Dates untouched: the people, projects and goals are the living demo's of that day.
    expect(files['people.csv']!.split('\n').map((l) => l.split(',')[5])).toEqual(
      shifted['people.csv']!.split('\n').map((l) => l.split(',')[5]),
    );
    expect(files['goals.yaml']).toBe(shifted['goals.yaml']);
    for (const [name, text] of Object.entries(files)) {
      if (!name.endsWith('.csv')) continue;
      const [header, ...rows] = text.trimEnd().split('\n');
      const cols = header!.split(',');
      cols.forEach((c, i) => {
        if (!c.endsWith('_cents')) return;
        for (const r of rows) {
          // The files with a cents column have no quoted commas before it except deals.csv's names.
          const cell = name === 'deals.csv' ? undefined : r.split(',')[i];
          if (cell) expect(cell, `${name} ${c}`).toMatch(/^\d+$/);
        }
      });
    }
  });

  it('varies the figures by seed, and the same seed always the same way', () => {
    const one = generateCompanyFiles(template, base);
    const two = generateCompanyFiles(template, { ...base, seed: 2 });
    expect(two['subscriptions.csv']).not.toBe(one['subscriptions.csv']);
    expect(two['cashflow.csv']).not.toBe(one['cashflow.csv']);
    expect(two['campaigns.csv']).not.toBe(one['campaigns.csv']);
    expect(generateCompanyFiles(template, { ...base, seed: 2 })).toEqual(two);
  });

  it('multiplies the customers and deals by size, with their own ids', () => {
    const one = generateCompanyFiles(template, base);
    const four = generateCompanyFiles(template, { ...base, size: 4 });
    for (const name of ['subscriptions.csv', 'accounts.csv', 'nps.csv', 'deal_stage_history.csv'])
      expect(lines(four[name]!), name).toBe(4 * lines(one[name]!));
    expect(lines(four['people.csv']!)).toBe(lines(one['people.csv']!));
    expect(four['subscriptions.csv']).toContain('\nsub_1001-4,C-001-4,Bluefin Logistics 4,');
    expect(four['deal_stage_history.csv']).toContain('\nD-001-3,lead,');
  });

  it('scales the reports: MRR and customers by size, exactly', async () => {
    const reportOf = async (opts: GenerateCompanyOptions) => {
      const dir = await written(opts);
      const reports = agentReports(await loadWorkspace(dir, opts.id), TODAY);
      return {
        mrr: reports.finance.metrics.mrr,
        customers: reports.finance.metrics.customers,
        openDeals: reports.sales.metrics.openDeals,
        headcount: reports.hr.metrics.headcount,
      };
    };
    const one = await reportOf({ ...base, seed: 5 });
    const three = await reportOf({ ...base, seed: 5, size: 3 });
    expect(three).toEqual({
      mrr: 3 * (one.mrr as number),
      customers: 3 * (one.customers as number),
      openDeals: 3 * (one.openDeals as number),
      headcount: one.headcount,
    });
    // Seed 5's figures, by value: a change to the generator shows here.
    expect(one).toEqual({ mrr: 19356, customers: 45, openDeals: 12, headcount: 12 });
  });

  it('refuses bad options, naming the option', () => {
    const bad = (o: Partial<GenerateCompanyOptions>) => () =>
      generateCompanyFiles(template, { ...base, ...o });
    expect(bad({ size: 0 })).toThrow(/size: expected a whole number/);
    expect(bad({ size: 1.5 })).toThrow(ValidationError);
    expect(bad({ id: 'Bad Id' })).toThrow(/id: expected lowercase/);
    expect(bad({ timeZone: 'Mars/Olympus' })).toThrow(/timeZone: expected an IANA time zone/);
    expect(bad({ name: 'two\nlines' })).toThrow(/name: /);
    expect(bad({ today: '2026-13-01' })).toThrow(/today/);
  });
});
