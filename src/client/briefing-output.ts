/**
 * How the CLI shows briefings: one as Markdown, JSON or HTML (to stdout or a file),
 * many as an aligned table.
 */
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Table from 'cli-table3';
import { renderHtml } from '../ceo/render-html.js';
import { renderMarkdown } from '../ceo/render-markdown.js';
import { ConfigError } from '../shared/errors.js';
import type { BriefingSummary, StoredBriefing } from '../store/repository.js';
import { markdownForTerminal, type Output } from './output.js';

export const BRIEFING_FORMATS = ['md', 'json', 'html'] as const;
export type BriefingFormat = (typeof BRIEFING_FORMATS)[number];

export interface BriefingOutputOptions {
  /** Same as `format: 'json'`. */
  json?: boolean;
  /** @default 'md' (or 'json' with `json`) */
  format?: BriefingFormat;
  /** Write to this file instead of stdout. */
  out?: string;
  /**
   * Every task and every alert's text (`--full`); the default is the compact briefing
   * (its head, then the details and the next few tasks). JSON always holds everything.
   */
  full?: boolean;
}

/**
 * The briefing as text in `format`: Markdown (the stored compact one, or every task with
 * `full`), self-contained HTML, or the JSON with everything.
 */
/** A stored briefing, or one computed in-process (`preview`: no id). */
export type PrintableBriefing = Pick<StoredBriefing, 'briefing' | 'markdown'> & { id?: number };

export function briefingText(
  stored: PrintableBriefing,
  opts: Pick<BriefingOutputOptions, 'json' | 'format' | 'full'>,
): string {
  const format: BriefingFormat = opts.format ?? (opts.json ? 'json' : 'md');
  if (format === 'json') return `${JSON.stringify(stored.briefing, null, 2)}\n`;
  if (format === 'html') return renderHtml(stored.briefing, { full: opts.full === true });
  return opts.full ? renderMarkdown(stored.briefing, { full: true }) : stored.markdown;
}

/**
 * Prints (or writes, with `out`) a briefing as Markdown, JSON or self-contained HTML.
 * Markdown on a terminal is rendered for it (tables, emphasis); files and pipes get the
 * Markdown itself.
 */
export async function emitBriefing(
  stored: PrintableBriefing,
  opts: BriefingOutputOptions,
  output: Output,
): Promise<void> {
  const format: BriefingFormat = opts.format ?? (opts.json ? 'json' : 'md');
  const text = briefingText(stored, opts);
  if (!opts.out) {
    return output.out(
      format === 'md' && output.stdoutIsTTY ? markdownForTerminal(text, output.columns) : text,
    );
  }
  const target = await writeOutFile(opts.out, text);
  output.say(
    `Wrote ${stored.id !== undefined ? `briefing #${stored.id}` : `the preview of ${stored.briefing.briefingDate}`} ` +
      `(${format}, ${Buffer.byteLength(text)} bytes) to ${target}`,
  );
}

/**
 * Writes `text` to the file `--out` names (checked as checkOutOption does) and returns
 * its absolute path. Written beside the target and renamed: a reader never sees half a
 * file; a write that fails is a ConfigError naming the flag and the file.
 */
export async function writeOutFile(out: string, text: string): Promise<string> {
  const target = await checkOutPath(out);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw outPathError(out, target, err);
  }
  return target;
}

/**
 * `--out` checked before a command does any work (a run, a read): its folder exists and
 * it is no folder itself. Nothing to check without `--out`.
 */
export async function checkOutOption(opts: Pick<BriefingOutputOptions, 'out'>): Promise<void> {
  if (opts.out !== undefined) await checkOutPath(opts.out);
}

/**
 * The absolute path `--out` names, once its folder is known to exist and the path is no
 * folder itself: a ConfigError that names the flag and the missing folder otherwise.
 */
async function checkOutPath(out: string): Promise<string> {
  const target = path.resolve(out);
  const dir = path.dirname(target);
  const info = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    throw new ConfigError(
      info.code === 'ENOENT' || info.code === 'ENOTDIR'
        ? `--out ${out}: the folder ${dir} does not exist. Create it first, or write elsewhere.`
        : `--out ${out}: cannot use the folder ${dir} (${info.code ?? info.message}).`,
      { flag: '--out', dir },
    );
  }
  if (!info.isDirectory())
    throw new ConfigError(`--out ${out}: ${dir} is a file, not a folder.`, { flag: '--out', dir });
  if ((await stat(target).catch(() => undefined))?.isDirectory())
    throw new ConfigError(
      `--out ${out} is a folder: name a file in it, e.g. ${path.join(target, 'briefing.md')}.`,
      {
        flag: '--out',
      },
    );
  return target;
}

/** A write under `--out` that failed anyway (permissions, a full disk), naming the file. */
function outPathError(out: string, target: string, err: unknown): ConfigError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e.code === 'EACCES' || e.code === 'EPERM'
      ? `no permission to write in ${path.dirname(target)}`
      : e.code === 'ENOSPC'
        ? 'the disk is full'
        : (e.code ?? e.message);
  return new ConfigError(`--out ${out}: cannot write ${target} (${why}).`, { flag: '--out' });
}

/** "complete", or "degraded (sales stale, hr failed)". */
export function outcomeText(b: Pick<BriefingSummary, 'outcome' | 'staleAgents' | 'failedAgents'>) {
  return b.outcome === 'complete' ? 'complete' : `degraded (${degradedAgents(b).join(', ')})`;
}

/** ["sales stale", "hr failed"]: the agents that made a run degraded. */
export function degradedAgents(b: Pick<BriefingSummary, 'staleAgents' | 'failedAgents'>) {
  return [...b.staleAgents.map((a) => `${a} stale`), ...b.failedAgents.map((a) => `${a} failed`)];
}

/** `briefing list`: a header and a row per briefing, in aligned columns, each line ending in a newline. */
export function formatBriefingList(rows: readonly BriefingSummary[]): string {
  if (rows.length === 0) return 'No briefings yet.\n';
  const table = new Table({
    head: ['ID', 'DATE', 'COMPANY', 'HEALTH', 'OUTCOME', 'CREATED', 'WORKFLOW'],
    // No borders: columns two spaces apart, as `ls -l` or `docker ps` print them.
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const r of rows) {
    table.push([
      String(r.id),
      r.briefingDate,
      r.companyId,
      String(Math.round(r.health)),
      outcomeText(r),
      r.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      r.workflowId,
    ]);
  }
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}
