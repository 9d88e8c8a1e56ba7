/**
 * Writes the living demo: the template workspace moved to `today` (shift-workspace.ts)
 * into `outDir`. Runs on every start, so it is cheap when nothing changed: a folder that
 * already holds this date's generation (its marker and every file as generated) is left
 * alone.
 *
 * A reader never sees half a workspace: the files are written into a temporary sibling
 * folder, which then replaces `outDir` by rename (the old folder is renamed away first
 * and removed after, so for an instant there is no folder, never a partial one).
 *
 * It never rewrites a person's own workspace: an `outDir` that exists, holds files and
 * has no marker is refused with a ConfigError naming it.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../shared/errors.js';
import { shiftDemoWorkspace } from './shift-workspace.js';
import { DEMO_TEMPLATE_DATE, DEMO_TEMPLATE_DIR } from './template.js';

export { DEMO_TEMPLATE_DATE, DEMO_TEMPLATE_DIR } from './template.js';

/**
 * The marker file of a generated demo. Its name starts with a dot: the workspace loader
 * reads only the files the agents declare, so it never sees it.
 */
export const DEMO_MARKER_FILE = '.demo-date';

/**
 * The one file of a generated demo that is the user's, not the template's: a
 * delivery.yaml put there to receive the demo's briefing survives each regeneration.
 */
export const KEPT_FILE = 'delivery.yaml';

export interface PrepareDemoOptions {
  /** The folder to write the demo into (created, or replaced when it is a generated demo). */
  outDir: string;
  /** The day the demo's data describes, YYYY-MM-DD. */
  today: string;
  /** Defaults to DEMO_TEMPLATE_DIR. */
  templateDir?: string;
}

/** The marker's text: which date and template generated the folder. */
export function demoMarker(today: string): string {
  return (
    '# A demo workspace boardroom generated from examples/demo-workspace. boardroom rewrites\n' +
    '# this folder for each new date, so edits here are lost: copy it elsewhere to keep them.\n' +
    `date: ${today}\n` +
    `template_date: ${DEMO_TEMPLATE_DATE}\n`
  );
}

/** The template's files: every regular file of the folder, dot-files left out. */
export async function readDemoTemplate(
  templateDir: string = DEMO_TEMPLATE_DIR,
): Promise<Record<string, string>> {
  let entries;
  try {
    entries = await readdir(templateDir, { withFileTypes: true });
  } catch (err) {
    throw new ConfigError(
      `the demo template ${templateDir} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      { templateDir },
    );
  }
  const names = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const texts = await Promise.all(names.map((n) => readFile(path.join(templateDir, n), 'utf8')));
  return Object.fromEntries(names.map((n, i) => [n, texts[i]!]));
}

type Existing = { kind: 'none' } | { kind: 'empty' } | { kind: 'demo'; names: string[] };

/** What is at `dir` now; refuses anything that is not a generated demo or nothing. */
async function inspect(dir: string): Promise<Existing> {
  let info;
  try {
    info = await lstat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw err;
  }
  if (!info.isDirectory()) {
    throw new ConfigError(
      `${dir} is not a folder: boardroom writes the demo workspace into a folder of its own; ` +
        'choose another path for it',
      { dir },
    );
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    // Renamed away meanwhile (another start replacing it).
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw err;
  }
  if (names.length === 0) return { kind: 'empty' };
  if (!names.includes(DEMO_MARKER_FILE)) {
    throw new ConfigError(
      `${dir} holds files but is not a generated demo workspace (no ${DEMO_MARKER_FILE} marker): ` +
        'boardroom will not overwrite it. Choose another folder for the demo, or empty this one',
      { dir },
    );
  }
  return { kind: 'demo', names };
}

/** Does `dir` hold exactly `files` (marker included), byte for byte? */
async function holds(dir: string, names: string[], files: Record<string, string>) {
  const wanted = Object.keys(files);
  if (names.length !== wanted.length || !wanted.every((n) => names.includes(n))) return false;
  const texts = await Promise.all(
    wanted.map((n) => readFile(path.join(dir, n), 'utf8').catch(() => undefined)),
  );
  return wanted.every((n, i) => texts[i] === files[n]);
}

const suffix = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * Generates the demo for `today` into `outDir`. `written` is false when the folder
 * already held this date's generation.
 */
export async function prepareDemoWorkspace(
  opts: PrepareDemoOptions,
): Promise<{ dir: string; written: boolean }> {
  const dir = path.resolve(opts.outDir);
  const files = shiftDemoWorkspace(await readDemoTemplate(opts.templateDir), opts.today);
  files[DEMO_MARKER_FILE] = demoMarker(opts.today);

  const existing = await inspect(dir);
  // The user's own file in the demo: where the demo's briefing goes. Carried over.
  if (existing.kind === 'demo' && existing.names.includes(KEPT_FILE)) {
    const kept = await readFile(path.join(dir, KEPT_FILE), 'utf8').catch(() => undefined);
    if (kept !== undefined) files[KEPT_FILE] = kept;
  }
  if (existing.kind === 'demo' && (await holds(dir, existing.names, files)))
    return { dir, written: false };

  const parent = path.dirname(dir);
  const base = path.basename(dir);
  await mkdir(parent, { recursive: true });
  const tmp = path.join(parent, `.${base}.tmp-${suffix()}`);
  try {
    await mkdir(tmp);
    // The marker last: a folder with it is complete.
    const names = Object.keys(files).filter((n) => n !== DEMO_MARKER_FILE);
    await Promise.all(names.map((n) => writeFile(path.join(tmp, n), files[n]!)));
    await writeFile(path.join(tmp, DEMO_MARKER_FILE), files[DEMO_MARKER_FILE]!);
    await swapIn(tmp, dir, files);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return { dir, written: true };
}

/**
 * Puts the complete folder `tmp` at `dir`: a rename, after renaming a generated demo
 * (checked again just before, in case someone put files there meanwhile) out of the way.
 * When another process generated the same folder at the same time, its result stands.
 */
async function swapIn(tmp: string, dir: string, files: Record<string, string>): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await inspect(dir);
    if (existing.kind === 'demo' && (await holds(dir, existing.names, files))) return;
    if (existing.kind === 'demo') {
      const old = path.join(path.dirname(dir), `.${path.basename(dir)}.old-${suffix()}`);
      try {
        await rename(dir, old);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      try {
        await rename(tmp, dir);
      } catch (err) {
        // Someone else's folder got there first: theirs stands, the old one goes.
        await rm(old, { recursive: true, force: true });
        if (isTaken(err)) continue;
        throw err;
      }
      await rm(old, { recursive: true, force: true });
      return;
    }
    try {
      // An empty folder at `dir` is replaced by the rename itself.
      await rename(tmp, dir);
      return;
    } catch (err) {
      if (!isTaken(err)) throw err;
    }
  }
  const existing = await inspect(dir);
  if (existing.kind === 'demo' && (await holds(dir, existing.names, files))) return;
  throw new ConfigError(`${dir}: another process keeps rewriting the demo workspace; try again`, {
    dir,
  });
}

function isTaken(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EISDIR';
}
