/**
 * How the CLI prints a briefing: Markdown rendered for a terminal (no raw `**` or table
 * pipes), the Markdown itself for files and pipes, every task with `full`, and a
 * preview written with `--out` named as a preview.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { emitBriefing } from '../../src/client/briefing-output.js';
import type { Output } from '../../src/client/output.js';
import { previewBriefing } from '../../src/client/preview.js';
import { workspaceSources } from '../../src/sources/sources.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-output-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const briefing = await previewBriefing({
  sources: workspaceSources({ demo: path.resolve('examples/demo-workspace') }),
  companyId: 'demo',
  today: '2026-11-26',
  asOf: new Date('2026-11-26T12:00:00Z'),
  now: new Date('2026-11-26T12:00:00Z'),
});

function output(stdoutIsTTY: boolean): Output & { text: () => string; said: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    say: (l) => void (err += `${l}\n`),
    writeErr: (t) => void (err += t),
    isTTY: stdoutIsTTY,
    stdoutIsTTY,
    columns: 100,
    text: () => out,
    said: () => err,
  };
}

describe('printing a briefing', () => {
  it('renders Markdown for a terminal: no raw emphasis or table pipes', async () => {
    const o = output(true);
    await emitBriefing({ briefing, markdown: briefing.markdown }, {}, o);
    const plain = stripVTControlCharacters(o.text());
    expect(plain).toContain('Morning briefing: Northwind Analytics, 2026-11-26');
    expect(plain).toContain('Close Acme Corp deal ($50K ARR)');
    expect(plain).not.toContain('**');
    expect(plain).not.toMatch(/^\|.*\|$/m);
    expect(plain).not.toContain('|---');
  });

  it('gives files and pipes the Markdown itself, and every task with full', async () => {
    const o = output(false);
    await emitBriefing({ briefing, markdown: briefing.markdown }, {}, o);
    expect(o.text()).toBe(briefing.markdown);
    expect(o.text()).toContain('**Close Acme Corp deal ($50K ARR)**');
    expect(o.text()).not.toContain('## All tasks, ranked');
    const full = output(false);
    await emitBriefing({ briefing, markdown: briefing.markdown }, { full: true }, full);
    expect(full.text()).toContain('## All tasks, ranked');
    for (const t of briefing.tasks) expect(full.text()).toContain(`| ${t.rank} |`);
    expect(full.text().split('\n').length).toBeGreaterThan(o.text().split('\n').length);
  });

  it('names a preview written with --out as the preview of its day', async () => {
    const o = output(false);
    const out = path.join(tmp, 'preview.md');
    await emitBriefing({ briefing, markdown: briefing.markdown }, { out }, o);
    expect(await readFile(out, 'utf8')).toBe(briefing.markdown);
    expect(o.said()).toMatch(/^Wrote the preview of 2026-11-26 \(md, \d+ bytes\) to /);
  });
});
