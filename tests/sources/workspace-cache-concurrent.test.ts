/**
 * Reads that start together share one parse: a run's six agents start at once and each
 * asks for the company's files; each caller looks at them (a stat, synchronous and cheap),
 * they are opened and parsed once, every caller gets the same frozen value, and a failed
 * read is not kept.
 */
import * as fs from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AGENTS } from '../../src/agents/registry.js';
import { workspaceSources } from '../../src/sources/sources.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return { ...real, openSync: vi.fn(real.openSync), statSync: vi.fn(real.statSync) };
});

const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-cache-concurrent-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const opensOf = (file: string) =>
  vi.mocked(fs.openSync).mock.calls.filter(([p]) => String(p) === file).length;
/** The stats that stamp a file for the cache (bigint). */
const stampsOf = (file: string) =>
  vi
    .mocked(fs.statSync)
    .mock.calls.filter(([p, o]) => String(p) === file && (o as { bigint?: boolean })?.bigint)
    .length;

describe('workspace cache, reads at once', () => {
  it('opens and parses each file once for callers that start together, and hands out one frozen value', async () => {
    const dir = path.join(tmp, 'ws');
    await cp(path.resolve('examples/demo-workspace'), dir, { recursive: true });
    const sources = workspaceSources({ co: dir });
    const companies = await Promise.all(Array.from({ length: 6 }, () => sources.loadCompany('co')));
    expect(opensOf(path.join(dir, 'company.yaml'))).toBe(1);
    expect(opensOf(path.join(dir, 'tasks.csv'))).toBe(1);
    // Each caller looked at the file: a change is seen by the next caller, not a second later.
    expect(stampsOf(path.join(dir, 'company.yaml'))).toBe(6);
    companies[0]!.founderTasks.length = 0; // loadCompany builds each caller's lists
    expect(companies[1]!.founderTasks.length).toBeGreaterThan(0);
    await sources.loadCompany('co');
    expect(stampsOf(path.join(dir, 'company.yaml'))).toBe(7);
    expect(opensOf(path.join(dir, 'company.yaml'))).toBe(1);

    const inputs = await Promise.all(
      Array.from({ length: 3 }, () => sources.loadAgentInput('co', AGENTS.sales)),
    );
    expect(opensOf(path.join(dir, 'deals.csv'))).toBe(1);
    expect(inputs[0]!.input).toBe(inputs[1]!.input);
    expect(Object.isFrozen((inputs[0]!.input as { deals: object[] }).deals[0])).toBe(true);
  });

  it('reads again after a failed read', async () => {
    const dir = path.join(tmp, 'broken');
    await cp(path.resolve('examples/demo-workspace'), dir, { recursive: true });
    const file = path.join(dir, 'deals.csv');
    await writeFile(file, 'id,name\n');
    const sources = workspaceSources({ co: dir });
    await expect(sources.loadAgentInput('co', AGENTS.sales)).rejects.toThrow(/deals\.csv/);
    await expect(sources.loadAgentInput('co', AGENTS.sales)).rejects.toThrow(/deals\.csv/);
    expect(opensOf(file)).toBe(2);
  });
});
