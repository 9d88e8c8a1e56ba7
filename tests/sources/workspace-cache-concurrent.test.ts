/**
 * Reads that start together share one parse: a run's six agents start at once and each
 * asks for the company's files; the files are opened once, every caller gets its own
 * copy, and a failed read is not kept.
 */
import * as fsp from 'node:fs/promises';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AGENTS } from '../../src/agents/registry.js';
import { workspaceSources } from '../../src/sources/sources.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsp>();
  return { ...real, open: vi.fn(real.open) };
});

const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-cache-concurrent-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const opensOf = (file: string) =>
  vi.mocked(fsp.open).mock.calls.filter(([p]) => String(p) === file).length;

describe('workspace cache, reads at once', () => {
  it('opens each file once for callers that start together, and hands each a copy', async () => {
    const dir = path.join(tmp, 'ws');
    await cp(path.resolve('examples/demo-workspace'), dir, { recursive: true });
    const sources = workspaceSources({ co: dir });
    const companies = await Promise.all(Array.from({ length: 6 }, () => sources.loadCompany('co')));
    expect(opensOf(path.join(dir, 'company.yaml'))).toBe(1);
    expect(opensOf(path.join(dir, 'tasks.csv'))).toBe(1);
    companies[0]!.founderTasks.length = 0;
    expect(companies[1]!.founderTasks.length).toBeGreaterThan(0);

    const inputs = await Promise.all(
      Array.from({ length: 3 }, () => sources.loadAgentInput('co', AGENTS.sales)),
    );
    expect(opensOf(path.join(dir, 'deals.csv'))).toBe(1);
    expect(inputs[0]!.input).not.toBe(inputs[1]!.input);
    expect(inputs[0]!.input).toEqual(inputs[1]!.input);
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
