import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NAMES } from '../../../src/contract/report.js';
import { AGENTS } from '../../../src/agents/registry.js';
import { ConfigError } from '../../../src/shared/errors.js';
import {
  DEMO_MARKER_FILE,
  DEMO_TEMPLATE_DATE,
  DEMO_TEMPLATE_DIR,
  demoMarker,
  prepareDemoWorkspace,
  readDemoTemplate,
} from '../../../src/sources/demo/prepare-workspace.js';
import { shiftDemoWorkspace } from '../../../src/sources/demo/shift-workspace.js';
import { checkAgentInput } from '../../../src/sources/workspace.js';
import { workspaceSources } from '../../../src/sources/sources.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'demo-prepare-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file of a folder, name -> text. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).sort();
  const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
  return Object.fromEntries(names.map((n, i) => [n, texts[i]!]));
}

describe('DEMO_TEMPLATE_DIR', () => {
  it('is examples/demo-workspace, absolute', async () => {
    expect(path.isAbsolute(DEMO_TEMPLATE_DIR)).toBe(true);
    expect(DEMO_TEMPLATE_DIR).toBe(path.resolve('examples/demo-workspace'));
    expect((await stat(path.join(DEMO_TEMPLATE_DIR, 'company.yaml'))).isFile()).toBe(true);
    expect(DEMO_TEMPLATE_DATE).toBe('2026-11-26');
  });

  it('is the same from another working directory', async () => {
    const tsx = pathToFileURL(path.resolve('node_modules/tsx/dist/esm/index.mjs')).href;
    const module = pathToFileURL(path.resolve('src/sources/demo/template.ts')).href;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        tsx,
        '-e',
        `import(${JSON.stringify(module)}).then((m) => console.log(m.DEMO_TEMPLATE_DIR))`,
      ],
      { cwd: os.tmpdir() },
    );
    expect(stdout.trim()).toBe(DEMO_TEMPLATE_DIR);
  });
});

describe('prepareDemoWorkspace', () => {
  it("keeps the user's delivery.yaml through a skip and a regeneration", async () => {
    const outDir = path.join(root, 'kept', 'demo');
    await prepareDemoWorkspace({ outDir, today: '2026-12-01' });
    const delivery = 'webhook:\n  url_env: HOOK_URL\n  secret_env: HOOK_SECRET\n';
    await writeFile(path.join(outDir, 'delivery.yaml'), delivery);
    expect((await prepareDemoWorkspace({ outDir, today: '2026-12-01' })).written).toBe(false);
    expect((await prepareDemoWorkspace({ outDir, today: '2026-12-02' })).written).toBe(true);
    expect(await readFile(path.join(outDir, 'delivery.yaml'), 'utf8')).toBe(delivery);
    expect(await readFile(path.join(outDir, DEMO_MARKER_FILE), 'utf8')).toContain(
      'date: 2026-12-02',
    );
    // Any other file of the user's is gone with the old generation, as the marker says.
    await writeFile(path.join(outDir, 'notes.txt'), 'mine');
    await prepareDemoWorkspace({ outDir, today: '2026-12-03' });
    expect((await readdir(outDir)).includes('notes.txt')).toBe(false);
  });

  it('writes the generation and its marker, then skips while the folder holds it', async () => {
    const outDir = path.join(root, 'nested', 'demo');
    const first = await prepareDemoWorkspace({ outDir, today: '2026-12-01' });
    expect(first).toEqual({ dir: outDir, written: true });
    const files = await snapshot(outDir);
    const expected = shiftDemoWorkspace(await readDemoTemplate(), '2026-12-01');
    expect(files).toEqual({ ...expected, [DEMO_MARKER_FILE]: demoMarker('2026-12-01') });
    expect(files[DEMO_MARKER_FILE]).toContain('date: 2026-12-01\n');

    const mtime = (await stat(path.join(outDir, 'deals.csv'))).mtimeMs;
    expect(await prepareDemoWorkspace({ outDir, today: '2026-12-01' })).toEqual({
      dir: outDir,
      written: false,
    });
    expect((await stat(path.join(outDir, 'deals.csv'))).mtimeMs).toBe(mtime);
    // No temporary or old folder left beside it.
    expect(await readdir(path.dirname(outDir))).toEqual(['demo']);
  });

  it('rewrites the folder for another date, and repairs a generated folder edited by hand', async () => {
    const outDir = path.join(root, 'redo');
    await prepareDemoWorkspace({ outDir, today: '2026-12-01' });
    expect((await prepareDemoWorkspace({ outDir, today: '2026-12-02' })).written).toBe(true);
    expect(await readFile(path.join(outDir, DEMO_MARKER_FILE), 'utf8')).toContain(
      'date: 2026-12-02',
    );
    await writeFile(path.join(outDir, 'deals.csv'), 'id\n');
    await writeFile(path.join(outDir, 'extra.csv'), 'x\n');
    expect((await prepareDemoWorkspace({ outDir, today: '2026-12-02' })).written).toBe(true);
    const files = await snapshot(outDir);
    expect(files['deals.csv']).toBe(
      shiftDemoWorkspace(await readDemoTemplate(), '2026-12-02')['deals.csv'],
    );
    expect(files['extra.csv']).toBeUndefined();
    expect(await readdir(root)).not.toContainEqual(expect.stringMatching(/^\.redo\./));
  });

  it('is byte-identical for the same date in two folders', async () => {
    const a = path.join(root, 'same-a');
    const b = path.join(root, 'same-b');
    await prepareDemoWorkspace({ outDir: a, today: '2028-02-29' });
    await prepareDemoWorkspace({ outDir: b, today: '2028-02-29' });
    expect(await snapshot(a)).toEqual(await snapshot(b));
  });

  it('fills an empty folder', async () => {
    const outDir = path.join(root, 'empty');
    await mkdir(outDir);
    expect((await prepareDemoWorkspace({ outDir, today: '2027-01-01' })).written).toBe(true);
    expect(await readdir(outDir)).toContain('company.yaml');
  });

  it('refuses a folder of the user’s own and leaves it untouched', async () => {
    const outDir = path.join(root, 'acme');
    await mkdir(outDir);
    await writeFile(path.join(outDir, 'company.yaml'), 'name: Acme\n');
    await writeFile(path.join(outDir, 'deals.csv'), 'id,close_date\nD-1,2026-11-30\n');
    const before = await snapshot(outDir);
    const err = await prepareDemoWorkspace({ outDir, today: '2026-12-01' }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      `${outDir} holds files but is not a generated demo workspace (no .demo-date marker): ` +
        'boardroom will not overwrite it. Choose another folder for the demo, or empty this one',
    );
    expect(await snapshot(outDir)).toEqual(before);
    expect(await readdir(root)).not.toContainEqual(expect.stringMatching(/^\.acme\./));
  });

  it('refuses a file where the folder should be', async () => {
    const outDir = path.join(root, 'a-file');
    await writeFile(outDir, 'mine\n');
    await expect(prepareDemoWorkspace({ outDir, today: '2026-12-01' })).rejects.toThrow(
      `${outDir} is not a folder`,
    );
    expect(await readFile(outDir, 'utf8')).toBe('mine\n');
  });

  it('refuses the template itself (it has no marker)', async () => {
    await expect(
      prepareDemoWorkspace({ outDir: DEMO_TEMPLATE_DIR, today: '2026-12-01' }),
    ).rejects.toThrow(ConfigError);
  });

  it('ends with one complete generation when several run at once', async () => {
    const outDir = path.join(root, 'race');
    await prepareDemoWorkspace({ outDir, today: '2026-12-01' });
    const results = await Promise.all(
      ['2026-12-03', '2026-12-03', '2026-12-03', '2026-12-03'].map((today) =>
        prepareDemoWorkspace({ outDir, today }),
      ),
    );
    expect(results.some((r) => r.written)).toBe(true);
    expect(await snapshot(outDir)).toEqual({
      ...shiftDemoWorkspace(await readDemoTemplate(), '2026-12-03'),
      [DEMO_MARKER_FILE]: demoMarker('2026-12-03'),
    });
    expect((await readdir(root)).filter((n) => n.startsWith('.race.'))).toEqual([]);
  });

  it('generates a folder the workspace loader reads without a problem, marker and all', async () => {
    const outDir = path.join(root, 'valid');
    await prepareDemoWorkspace({ outDir, today: '2027-03-01' });
    for (const name of AGENT_NAMES)
      expect(await checkAgentInput(outDir, AGENTS[name]), name).toEqual([]);
    const sources = workspaceSources({ demo: outDir });
    const company = await sources.loadCompany('demo');
    expect(company.profile.name).toBe('Northwind Analytics');
    for (const name of AGENT_NAMES) await sources.loadAgentInput('demo', AGENTS[name]);
  });

  it('reads a template from templateDir', async () => {
    const templateDir = path.join(root, 'tiny-template');
    await mkdir(templateDir);
    await writeFile(path.join(templateDir, 'tasks.csv'), 'id,deadline\nt,2026-11-30\n');
    await writeFile(path.join(templateDir, '.hidden'), 'skipped\n');
    const outDir = path.join(root, 'tiny');
    await prepareDemoWorkspace({ outDir, today: '2026-12-26', templateDir });
    expect(await snapshot(outDir)).toEqual({
      [DEMO_MARKER_FILE]: demoMarker('2026-12-26'),
      'tasks.csv': 'id,deadline\nt,2026-12-30\n',
    });
  });

  it('is fast: a generation and a skip take milliseconds', async () => {
    const outDir = path.join(root, 'timed');
    let t = performance.now();
    await prepareDemoWorkspace({ outDir, today: '2027-06-15' });
    const write = performance.now() - t;
    t = performance.now();
    await prepareDemoWorkspace({ outDir, today: '2027-06-15' });
    const skip = performance.now() - t;
    console.log(`prepareDemoWorkspace: write ${write.toFixed(1)} ms, skip ${skip.toFixed(1)} ms`);
    // Generous bounds for a loaded 2-core machine; typically ~10 ms and ~5 ms.
    expect(write).toBeLessThan(500);
    expect(skip).toBeLessThan(250);
  });
});
