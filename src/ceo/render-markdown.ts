/**
 * The briefing as Markdown: for the terminal, files, Slack and e-mail. It opens with the
 * 30-second head (head.ts: top 3 priorities, risks by severity, key numbers), then the
 * details. Each thing is said once (dedup.ts): alerts a risk explains sit under it,
 * merged tasks list their sources, a department's "why" names its alerts rather than
 * repeating them. The default is compact (the next few tasks); `full` lists every task
 * with each factor's derivation and every folded alert's text.
 */
import { AGENT_NAMES, AGENT_TITLES, type AgentReport } from '../contract/report.js';
import { type Briefing, type RiskFinding, type ScoredTask } from '../contract/briefing.js';
import { formatAge, dataAgeHours } from './data-age.js';
import { alertKey, alertsUnderTasks, alertTopic, departmentWhy, unfoldedAlerts } from './dedup.js';
import { escapeMarkdown as md, markdownCode, stripControls } from './escape.js';
import { briefingHead, headMetrics, TREND_ARROW } from './head.js';
import { formatChange, formatValue } from './key-metrics.js';
import { describeMetric } from './metric-catalog.js';

/** How many "What changed" lines the compact briefing shows. */
const CHANGES_SHOWN = 4;

export type BriefingBody = Omit<Briefing, 'markdown'>;

export interface RenderOptions {
  /**
   * Every task (with each factor's derivation) and the full text of every alert folded
   * under a risk. Default: compact, the next NEXT_TASKS tasks after the top 3.
   */
  full?: boolean;
}

/** Tasks listed after the top 3 in the compact briefing. */
export const NEXT_TASKS = 3;

/** A Markdown table cell: escaped text (pipes and line breaks would break the row). */
export const cell = md;

const FACTOR_LABELS: Record<string, string> = {
  revenueImpact: 'revenue',
  urgency: 'urgency',
  energyAlignment: 'energy',
  strategicAlignment: 'strategy',
};
const FACTORS = ['revenueImpact', 'urgency', 'energyAlignment', 'strategicAlignment'] as const;

/** "revenue 95 (stated) · urgency 80 (due in 4d (this week)) · ..." */
export function explainFactors(t: ScoredTask): string {
  return FACTORS.map((f) => `${FACTOR_LABELS[f]} ${t[f]} (${t.factorSources[f] ?? 'stated'})`).join(
    ' · ',
  );
}

/** "revenue 95 · urgency 80 · energy 70 · strategy 90" */
export function factorNumbers(t: ScoredTask): string {
  return FACTORS.map((f) => `${FACTOR_LABELS[f]} ${t[f]}`).join(' · ');
}

/** "founder, sales": every source of a merged task, its own first. */
export function taskSources(t: Pick<ScoredTask, 'source' | 'sources'>): string {
  return (t.sources ?? [t.source]).join(', ');
}

/**
 * A department's data, named apart from its health: "current", "stale (2d old)" or
 * "failed". "ok" beside health 20 read as a contradiction: the agent ran, the
 * department is not fine.
 */
export function dataStatus(r: AgentReport): string {
  if (r.status === 'ok') return 'current';
  if (r.status === 'failed') return 'failed';
  const age = dataAgeHours(r);
  return age === undefined ? 'stale' : `stale (${formatAge(age)} old)`;
}

/** Risk evidence in plain words: "Cash balance $1,350,000", "LTV $87,587.25 (30d ago)". */
export function describeEvidence(e: RiskFinding['evidence'][number], currency?: string): string {
  return (
    describeMetric(e.agent, e.metric, e.value, currency) +
    (e.asOf ? ` (${e.asOf})` : '') +
    (e.stale ? ' (stale)' : '')
  );
}

/** "4 HR alerts", "1 Customer success and 1 Finance alert": the alerts a risk explains. */
export function explainedAlerts(alerts: readonly { agent: AgentReport['agent'] }[]): string {
  const parts = AGENT_NAMES.map((a) => [a, alerts.filter((x) => x.agent === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${AGENT_TITLES[a]}`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  return `${list} alert${alerts.length === 1 ? '' : 's'}`;
}

/** "4 current, 1 stale, 1 failed": the reports' data, counted. */
export function dataCounts(reports: readonly AgentReport[]): string {
  return (['current', 'stale', 'failed'] as const)
    .map((s) => [s, reports.filter((r) => dataStatus(r).startsWith(s)).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/**
 * Every string that comes from data (names, titles, messages, reasons, notes, goals)
 * goes through `md` (escape.ts): it renders as the text it is, on one line, with no link,
 * image, HTML or structure of its own. The template's own Markdown is the only syntax.
 */
export function renderMarkdown(b: BriefingBody, options: RenderOptions = {}): string {
  const full = options.full === true;
  const reports = AGENT_NAMES.map((a) => b.agents[a]);
  const head = briefingHead(b);
  const out: string[] = [];
  out.push(`# Morning briefing: ${md(b.companyName)}, ${md(b.briefingDate)}`, '');
  out.push(
    `Overall health **${b.health}/100** · department data: ${dataCounts(reports)} · run ${markdownCode(b.workflowId)}`,
    '',
  );

  // The head: what to do, what can go wrong, the numbers.
  // Alerts about a priority's subject sit under it (the task is what to do about them).
  const underTasks = alertsUnderTasks(b.priorities, b.alerts, b.risks);
  out.push('## Top priorities', '');
  if (b.priorities.length === 0) out.push('No candidate tasks today.');
  for (const t of b.priorities) {
    const about = underTasks.get(t.id) ?? [];
    const explains =
      !full && about.length > 0
        ? ` (explains the ${about.map((a) => `${AGENT_TITLES[a.agent]} alert on ${md(alertTopic(a.agent, a))}`).join(' and the ')})`
        : '';
    out.push(
      `${t.rank}. **${md(t.title)}**: score ${t.score} · from ${md(taskSources(t))}`,
      `   ${md(full ? explainFactors(t) : factorNumbers(t))}${!full && t.reason ? `. Why: ${md(t.reason)}` : ''}${explains}`,
      ...(full && t.reason ? [`   Why: ${md(t.reason)}`] : []),
      ...(full
        ? about.map((a) => `   ${a.severity} alert (${AGENT_TITLES[a.agent]}): ${md(a.message)}`)
        : []),
    );
  }
  out.push('');

  out.push('## Risks by severity', '');
  if (head.risks.length === 0) out.push('No cross-functional risk found.');
  for (const r of head.risks) {
    out.push(`- **${r.severity}** (${r.titles.length}): ${r.titles.map(md).join(' · ')}`);
  }
  if (head.notEvaluated > 0) {
    out.push(`- not evaluated (${head.notEvaluated}): see Data notes`);
  }
  out.push('');

  // One comparison date for all (the usual case) goes in the header, not in every row.
  const dates = [...new Set(head.numbers.flatMap((n) => (n.since ? [n.since] : [])))];
  const oneDate = dates.length === 1 ? dates[0] : undefined;
  out.push(
    '## Key numbers',
    '',
    `| Metric | Value | Change${oneDate ? ` since ${oneDate}` : ''} | Trend |`,
    '|---|---:|---:|---|',
  );
  for (const n of head.numbers) {
    const since = n.since && !oneDate ? ` since ${n.since}` : '';
    out.push(
      `| ${md(n.label)}${n.stale ? ' (stale)' : ''} | ${md(n.value)} | ${md(n.change + since)} | ${`${TREND_ARROW[n.trend]} ${n.spark}`.trim()} |`,
    );
  }
  const shown = new Set(headMetrics(b.keyMetrics));
  const others = b.keyMetrics.filter((m) => !shown.has(m));
  // Compact: the head's numbers only (the rest are in the risks' evidence, or the full briefing).
  if (full && others.length > 0) {
    out.push(
      '',
      `Also: ${others
        .map((m) => {
          const change = m.change === undefined ? '' : ` (${md(formatChange(m, b.currency))})`;
          return `${md(m.label)}${m.stale ? ' (stale)' : ''} ${md(formatValue(m.value, m.unit, b.currency))}${change}`;
        })
        .join(' · ')}.`,
    );
  }
  out.push('');

  // The details.
  const alertsByKey = new Map(b.alerts.map((a) => [alertKey(a), a]));
  if (b.risks.length > 0) {
    out.push('## Risks', '');
    for (const r of b.risks) {
      const folded = (r.alerts ?? []).flatMap((k) => alertsByKey.get(k) ?? []);
      const explains = !full && folded.length > 0 ? `, explains ${explainedAlerts(folded)}` : '';
      out.push(
        `- **${md(r.title)}** (${r.severity}${explains}): ${md(r.message)}${r.basedOnStaleData ? ' (partly on stale data)' : ''}`,
        `  - Evidence: ${r.evidence.map((e) => md(describeEvidence(e, b.currency))).join(' · ')}. Action: ${md(r.action)}`,
      );
      if (full) {
        for (const a of folded) {
          out.push(`  - ${a.severity} alert (${AGENT_TITLES[a.agent]}): ${md(a.message)}`);
        }
      }
    }
    out.push('');
  }

  out.push('## Departments', '', '| Department | Data | Health | Why |', '|---|---|---:|---|');
  for (const r of reports) {
    const health = r.status === 'failed' ? 'n/a' : String(Math.round(r.health));
    out.push(
      `| ${AGENT_TITLES[r.agent]} | ${dataStatus(r)} | ${health} | ${md(departmentWhy(r))} |`,
    );
  }
  out.push('');

  const folded = new Set([...underTasks.values()].flat());
  const alone = unfoldedAlerts(b.alerts, b.risks).filter((a) => !folded.has(a));
  out.push(alone.length === b.alerts.length ? '## Alerts' : '## Other alerts', '');
  if (alone.length === 0)
    out.push(b.alerts.length === 0 ? 'None.' : 'None beyond the risks above.');
  for (const a of alone) {
    out.push(`- **${a.severity}** (${AGENT_TITLES[a.agent]}) ${md(a.message)}`);
  }
  out.push('');

  if (b.dataNotes.length > 0) {
    out.push('## Data notes', '');
    for (const n of b.dataNotes) out.push(`- ${md(n)}`);
    out.push('');
  }

  out.push('## What changed', '');
  // Compact: the first few (health, alerts, risks come first); the rest with --full.
  const changes = full ? b.changes : b.changes.slice(0, CHANGES_SHOWN);
  for (const c of changes) out.push(`- ${md(c)}`);
  if (changes.length < b.changes.length) {
    const n = b.changes.length - changes.length;
    out.push(`- ${n} more change${n === 1 ? '' : 's'} in the full briefing (\`--full\`).`);
  }
  out.push('');

  const s = b.scoring;
  const listed = full
    ? b.tasks
    : b.tasks.slice(b.priorities.length, b.priorities.length + NEXT_TASKS);
  const unlisted = b.tasks.length - b.priorities.length - listed.length;
  out.push(full ? '## All tasks, ranked' : '## Next tasks', '');
  const scoring = s
    ? `Scored with energy **${s.energy}** (${md(s.energySource)}), goals ${s.goals.length ? s.goals.map(md).join(', ') : 'none set'}, ` +
      `weights revenue ${s.weights.revenueImpact} · urgency ${s.weights.urgency} · energy ${s.weights.energyAlignment} · strategy ${s.weights.strategicAlignment}.`
    : '';
  const more =
    !full && unlisted > 0
      ? `${unlisted} more task${unlisted === 1 ? '' : 's'} in the full briefing (\`--full\`) and the JSON.`
      : '';
  if (scoring || more) out.push([scoring, more].filter(Boolean).join(' '), '');
  if (listed.length === 0) out.push('No other tasks.');
  else if (!full) {
    for (const t of listed) {
      out.push(
        `${t.rank}. ${md(t.title)}: score ${t.score} (${factorNumbers(t)}) · from ${md(taskSources(t))}`,
      );
    }
  } else {
    out.push(
      '| # | Task | Score | Revenue | Urgency | Energy | Strategy | From |',
      '|---:|---|---:|---:|---:|---:|---:|---|',
    );
    for (const t of listed) {
      out.push(
        `| ${t.rank} | ${md(t.title)} | ${t.score} | ${t.revenueImpact} | ${t.urgency} | ` +
          `${t.energyAlignment} | ${t.strategicAlignment} | ${md(taskSources(t))} |`,
      );
    }
  }
  out.push('');
  // Defence in depth: whatever a field brought, no control character leaves the renderer.
  return stripControls(out.join('\n'));
}
