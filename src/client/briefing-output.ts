/**
 * How the CLI shows briefings: one as Markdown, JSON or HTML (to stdout or a file),
 * many as a tab-separated table.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderHtml } from '../ceo/render-html.js';
import type { BriefingSummary, StoredBriefing } from '../store/repository.js';
import type { Output } from './output.js';

export const BRIEFING_FORMATS = ['md', 'json', 'html'] as const;
export type BriefingFormat = (typeof BRIEFING_FORMATS)[number];

export interface BriefingOutputOptions {
  /** Same as `format: 'json'`. */
  json?: boolean;
  /** @default 'md' (or 'json' with `json`) */
  format?: BriefingFormat;
  /** Write to this file instead of stdout. */
  out?: string;
}

/** Prints (or writes, with `out`) a briefing as Markdown, JSON or self-contained HTML. */
export async function emitBriefing(
  stored: StoredBriefing,
  opts: BriefingOutputOptions,
  output: Output,
): Promise<void> {
  const format: BriefingFormat = opts.format ?? (opts.json ? 'json' : 'md');
  const text =
    format === 'json'
      ? `${JSON.stringify(stored.briefing, null, 2)}\n`
      : format === 'html'
        ? renderHtml(stored.briefing)
        : stored.markdown;
  if (!opts.out) return output.out(text);
  // Write beside the target and rename: a reader never sees half a file.
  const target = path.resolve(opts.out);
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, target);
  output.say(
    `Wrote briefing #${stored.id} (${format}, ${Buffer.byteLength(text)} bytes) to ${target}`,
  );
}

/** "complete", or "degraded (sales stale, hr failed)". */
export function outcomeText(b: Pick<BriefingSummary, 'outcome' | 'staleAgents' | 'failedAgents'>) {
  return b.outcome === 'complete' ? 'complete' : `degraded (${degradedAgents(b).join(', ')})`;
}

/** ["sales stale", "hr failed"]: the agents that made a run degraded. */
export function degradedAgents(b: Pick<BriefingSummary, 'staleAgents' | 'failedAgents'>) {
  return [...b.staleAgents.map((a) => `${a} stale`), ...b.failedAgents.map((a) => `${a} failed`)];
}

/** `briefing list`: a header and a tab-separated row per briefing, each line ending in a newline. */
export function formatBriefingList(rows: readonly BriefingSummary[]): string {
  if (rows.length === 0) return 'No briefings yet.\n';
  const lines = [
    ['ID', 'DATE', 'COMPANY', 'HEALTH', 'OUTCOME', 'CREATED', 'WORKFLOW'],
    ...rows.map((r) => [
      r.id,
      r.briefingDate,
      r.companyId,
      Math.round(r.health),
      outcomeText(r),
      r.createdAt.toISOString(),
      r.workflowId,
    ]),
  ];
  return lines.map((cells) => `${cells.join('\t')}\n`).join('');
}
