/**
 * The validated-input cache: unchanged files are parsed once, a changed file (even to
 * the same size, within the same millisecond) is read again, and no caller can change
 * what the next one reads: what is cached is frozen, so a change throws.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENTS } from '../../src/agents/registry.js';
import { workspaceSources } from '../../src/sources/sources.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-cache-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

type Deals = { deals: { id: string; amount_cents: number }[] };

describe('workspace input cache', () => {
  it('reads a changed file again, and hands out frozen inputs no caller can change', async () => {
    const dir = path.join(tmp, 'ws');
    await cp(path.resolve('examples/demo-workspace'), dir, { recursive: true });
    const sources = workspaceSources({ co: dir });
    const load = async () => (await sources.loadAgentInput('co', AGENTS.sales)).input as Deals;

    const first = await load();
    expect(first.deals.find((d) => d.id === 'D-001')?.amount_cents).toBe(5000000);
    // A caller that changes its input fails at once (modules are strict), for every reader.
    expect(() => {
      first.deals.length = 0;
    }).toThrow(TypeError);
    expect(() => {
      first.deals[0]!.amount_cents = 1;
    }).toThrow(TypeError);
    const second = await load();
    expect(second.deals.length).toBeGreaterThan(0);
    expect(second.deals.find((d) => d.id === 'D-001')?.amount_cents).toBe(5000000);

    // Same size, rewritten at once: the file's identity changed, so it is read again.
    const file = path.join(dir, 'deals.csv');
    await writeFile(file, (await readFile(file, 'utf8')).replace(',5000000,', ',6000000,'));
    expect((await load()).deals.find((d) => d.id === 'D-001')?.amount_cents).toBe(6000000);

    const company = await sources.loadCompany('co');
    company.founderTasks.length = 0; // loadCompany builds each caller's lists
    expect((await sources.loadCompany('co')).founderTasks.length).toBeGreaterThan(0);
    await writeFile(
      path.join(dir, 'company.yaml'),
      (await readFile(path.join(dir, 'company.yaml'), 'utf8')).replace(
        'name: Northwind',
        'name: Southwind',
      ),
    );
    expect((await sources.loadCompany('co')).profile.name).toBe('Southwind Analytics');
  });
});
