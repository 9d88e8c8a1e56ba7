/**
 * Each metric's definition, read from docs/metrics.md (the one place metrics are
 * defined), so the trend pages say what a number means in the same words as the docs:
 * the `| key | unit | period | formula and source fields |` tables under each agent's
 * `## <agent>` heading. Read once, when the app starts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { marked, type Tokens } from 'marked';
import { AGENT_NAMES, type AgentName } from '../contract/report.js';

export interface MetricDoc {
  unit: string;
  period: string;
  /** The definition as HTML (inline Markdown of our own docs: code spans, emphasis). */
  definitionHtml: string;
}

/** By `agent.key`; per-item keys as the docs write them (`dealsByStage.<stage>`). */
export type MetricDocs = ReadonlyMap<string, MetricDoc>;

export const METRICS_DOC_PATH = fileURLToPath(new URL('../../docs/metrics.md', import.meta.url));

/** The definitions in a metrics.md text. */
export function parseMetricDocs(markdown: string): MetricDocs {
  const docs = new Map<string, MetricDoc>();
  let agent: AgentName | undefined;
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading' && token.depth === 2) {
      const name = (token as Tokens.Heading).text.trim();
      agent = (AGENT_NAMES as readonly string[]).includes(name) ? (name as AgentName) : undefined;
      continue;
    }
    if (token.type !== 'table' || !agent) continue;
    const table = token as Tokens.Table;
    if (table.header[0]?.text.trim().toLowerCase() !== 'key') continue;
    for (const row of table.rows) {
      const key = /^`([^`]+)`$/.exec(row[0]?.text.trim() ?? '')?.[1];
      if (!key) continue;
      docs.set(`${agent}.${key}`, {
        unit: row[1]?.text.trim() ?? '',
        period: row[2]?.text.trim() ?? '',
        definitionHtml: marked.parseInline(row[3]?.text.trim() ?? '', { async: false }),
      });
    }
  }
  return docs;
}

export async function loadMetricDocs(file = METRICS_DOC_PATH): Promise<MetricDocs> {
  return parseMetricDocs(await readFile(file, 'utf8'));
}

/** The doc of `agent.key`; a per-item key (`valueByStage.won`) gets its family's. */
export function metricDoc(docs: MetricDocs, agent: AgentName, key: string): MetricDoc | undefined {
  const exact = docs.get(`${agent}.${key}`);
  if (exact) return exact;
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const family = `${agent}.${key.slice(0, dot)}.`;
  for (const [k, doc] of docs)
    if (k.startsWith(family) && k.slice(family.length).startsWith('<')) return doc;
  return undefined;
}
