/**
 * The briefing as Markdown: for the terminal, files, Slack and e-mail.
 */
import { AGENT_NAMES, AGENT_TITLES } from '../contract/report.js';
import { type Briefing, type ScoredTask } from '../contract/briefing.js';
import { escapeMarkdown as md, markdownCode, stripControls } from './escape.js';
import { formatChange, formatValue } from './key-metrics.js';

export type BriefingBody = Omit<Briefing, 'markdown'>;

/** A Markdown table cell: escaped text (pipes and line breaks would break the row). */
export const cell = md;

const FACTOR_LABELS: Record<string, string> = {
  revenueImpact: 'revenue',
  urgency: 'urgency',
  energyAlignment: 'energy',
  strategicAlignment: 'strategy',
};

/** "revenue 95 (stated) · urgency 80 (due in 4d (this week)) · ..." */
export function explainFactors(t: ScoredTask): string {
  return (['revenueImpact', 'urgency', 'energyAlignment', 'strategicAlignment'] as const)
    .map((f) => `${FACTOR_LABELS[f]} ${t[f]} (${t.factorSources[f] ?? 'stated'})`)
    .join(' · ');
}

/**
 * Every string that comes from data (names, titles, messages, reasons, notes, goals)
 * goes through `md` (escape.ts): it renders as the text it is, on one line, with no link,
 * image, HTML or structure of its own. The template's own Markdown is the only syntax.
 */
export function renderMarkdown(b: BriefingBody): string {
  const reports = AGENT_NAMES.map((a) => b.agents[a]);
  const counts = (['ok', 'stale', 'failed'] as const)
    .map((s) => [s, reports.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const out: string[] = [];
  out.push(`# Morning briefing: ${md(b.companyName)}, ${md(b.briefingDate)}`, '');
  out.push(
    `Overall health **${b.health}/100** · agents: ${counts} · run ${markdownCode(b.workflowId)}`,
    '',
  );

  out.push('## Top priorities', '');
  if (b.priorities.length === 0) out.push('No candidate tasks today.');
  for (const t of b.priorities) {
    out.push(
      `${t.rank}. **${md(t.title)}**: score ${t.score} · from ${md(t.source)}`,
      `   ${md(explainFactors(t))}`,
      ...(t.reason ? [`   Why: ${md(t.reason)}`] : []),
    );
  }
  out.push('');

  out.push('## Risks', '');
  if (b.risks.length === 0) out.push('No cross-functional risk found.');
  for (const r of b.risks) {
    const evidence = r.evidence
      .map(
        (e) =>
          `${md(`${e.agent}.${e.metric}`)} = ${e.value ?? 'n/a'}${e.asOf ? ` (${md(e.asOf)})` : ''}${e.stale ? ' (stale)' : ''}`,
      )
      .join(', ');
    out.push(
      `- **${r.severity}** ${md(r.title)}: ${md(r.message)}${r.basedOnStaleData ? ' (partly on stale data)' : ''}`,
      `  - Evidence: ${evidence}`,
      `  - Action: ${md(r.action)}`,
    );
  }
  if (b.unevaluatedRisks.length > 0) {
    out.push(
      '',
      `Not evaluated (${b.unevaluatedRisks.length}): ${b.unevaluatedRisks.map((u) => `${md(u.title)} (${md(u.reason)})`).join('; ')}.`,
    );
  }
  out.push('');

  out.push(
    '## Department health',
    '',
    '| Department | Status | Health | Why |',
    '|---|---|---:|---|',
  );
  for (const r of reports) {
    const health = r.status === 'failed' ? 'n/a' : String(Math.round(r.health));
    out.push(`| ${AGENT_TITLES[r.agent]} | ${r.status} | ${health} | ${md(r.healthReason)} |`);
  }
  out.push('');

  out.push('## Key metrics', '', '| Metric | Value | Change | Department |', '|---|---:|---:|---|');
  for (const m of b.keyMetrics) {
    const stale = m.stale ? ' (stale)' : '';
    const change =
      m.change === undefined ? '' : md(`${formatChange(m, b.currency)} since ${m.previousDate}`);
    out.push(
      `| ${md(m.label)} | ${md(formatValue(m.value, m.unit, b.currency))} | ${change} | ${AGENT_TITLES[m.agent]}${stale} |`,
    );
  }
  out.push('');

  out.push('## Alerts', '');
  if (b.alerts.length === 0) out.push('None.');
  for (const a of b.alerts) {
    out.push(`- **${a.severity}** (${AGENT_TITLES[a.agent]}) ${md(a.message)}`);
  }
  out.push('');

  if (b.dataNotes.length > 0) {
    out.push('## Data notes', '');
    for (const n of b.dataNotes) out.push(`- ${md(n)}`);
    out.push('');
  }

  out.push('## What changed', '');
  for (const c of b.changes) out.push(`- ${md(c)}`);
  out.push('');

  const s = b.scoring;
  out.push('## All tasks, ranked', '');
  if (s) {
    out.push(
      `Scored with energy **${s.energy}** (${md(s.energySource)}), goals ${s.goals.length ? s.goals.map(md).join(', ') : 'none set'}, ` +
        `weights revenue ${s.weights.revenueImpact} · urgency ${s.weights.urgency} · energy ${s.weights.energyAlignment} · strategy ${s.weights.strategicAlignment}.`,
      '',
    );
  }
  out.push(
    '| # | Task | Score | Revenue | Urgency | Energy | Strategy | From |',
    '|---:|---|---:|---:|---:|---:|---:|---|',
  );
  for (const t of b.tasks) {
    out.push(
      `| ${t.rank} | ${md(t.title)} | ${t.score} | ${t.revenueImpact} | ${t.urgency} | ` +
        `${t.energyAlignment} | ${t.strategicAlignment} | ${md(t.source)} |`,
    );
  }
  out.push('');
  // Defence in depth: whatever a field brought, no control character leaves the renderer.
  return stripControls(out.join('\n'));
}
