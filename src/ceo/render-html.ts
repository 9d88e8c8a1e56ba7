/**
 * The briefing as one self-contained HTML page: inline CSS, sparklines as inline SVG,
 * no scripts and no external requests. Every piece of text that comes from data is
 * escaped.
 */
import { AGENT_NAMES, AGENT_TITLES, type AgentName, type Severity } from '../contract/report.js';
import { type Briefing, type KeyMetric } from '../contract/briefing.js';
import { alertKey, alertsUnderTasks, departmentWhy, unfoldedAlerts } from './dedup.js';
import { plainText } from './escape.js';
import { briefingHead, headMetrics, trendOf, TREND_ARROW } from './head.js';
import { formatChange, formatValue } from './key-metrics.js';
import {
  dataStatus,
  describeEvidence,
  explainFactors,
  NEXT_TASKS,
  taskSources,
  type RenderOptions,
} from './render-markdown.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for an HTML text node or a quoted attribute: one line without control characters
 * or terminal escapes (the page may be printed to a terminal: `--format html`), then the
 * five characters that matter as entities.
 */
export function escapeHtml(text: string | number | null | undefined): string {
  return plainText(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A small line chart of the series; a dash when there are fewer than two points. */
export function sparkline(series: KeyMetric['series'], width = 120, height = 28): string {
  const points = series.filter((p): p is { date: string; value: number } => p.value !== null);
  if (points.length < 2) return '<span class="muted">–</span>';
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pad = 2;
  const xy = points.map((p, i) => {
    const x = pad + (i * (width - 2 * pad)) / (points.length - 1);
    const y = max === min ? height / 2 : pad + ((max - p.value) * (height - 2 * pad)) / span;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const last = xy.at(-1)!.split(',');
  const title = `${points[0]!.date}: ${points[0]!.value} → ${points.at(-1)!.date}: ${points.at(-1)!.value}`;
  return (
    `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">` +
    `<title>${escapeHtml(title)}</title>` +
    `<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${xy.join(' ')}"/>` +
    `<circle cx="${last[0]}" cy="${last[1]}" r="2" fill="currentColor"/></svg>`
  );
}

const SEVERITY_CLASS: Record<Severity, string> = {
  critical: 'crit',
  warning: 'warn',
  info: 'info',
};

function badge(severity: Severity): string {
  return `<span class="badge ${SEVERITY_CLASS[severity]}">${severity}</span>`;
}

function healthClass(h: number): string {
  return h >= 80 ? 'good' : h >= 60 ? 'fair' : 'poor';
}

/** The briefing's stylesheet: inline in the standalone page, served by the web app. */
export const BRIEFING_CSS = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5f6778;--bg:#fff;--card:#f6f7fa;--line:#e3e6ec;--good:#187a41;--fair:#975a16;--poor:#c53030;--info:#2b6cb0}
@media (prefers-color-scheme:dark){:root{--fg:#e7e9ee;--muted:#9aa3b5;--bg:#12151b;--card:#1b1f27;--line:#2a303b;--good:#48bb78;--fair:#d69e2e;--poor:#fc8181;--info:#63b3ed}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1040px;margin:0 auto;padding:28px 20px 60px}h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:30px 0 10px;border-bottom:1px solid var(--line);padding-bottom:6px}
.sub{color:var(--muted);margin:0 0 18px}.muted{color:var(--muted)}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}.metric .label{color:var(--muted);font-size:13px}.metric .value{font-size:22px;font-weight:600}
.metric .change{font-size:13px;color:var(--muted)}.spark{color:var(--info);display:block;margin-top:6px}
ol.priorities{padding-left:22px}ol.priorities li{margin-bottom:12px}.score{font-weight:700}.factors{color:var(--muted);font-size:13px}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 8px;margin-right:6px;color:#fff}.badge.crit{background:#c53030}.badge.warn{background:#975a16}.badge.info{background:#2b6cb0}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}td.num,th.num{text-align:right}
.health{font-weight:700}.health.good{color:var(--good)}.health.fair{color:var(--fair)}.health.poor{color:var(--poor)}
ul.evidence{margin:4px 0 0;padding-left:18px;color:var(--muted);font-size:13px}.risk{margin-bottom:12px}
.overall{font-size:40px;font-weight:700;line-height:1}.lead{border:1px solid var(--line);border-radius:12px;padding:4px 18px 16px;margin-top:18px}.lead h2{border:0;margin-top:16px}ul.sev{padding-left:18px}details summary{cursor:pointer;color:var(--info);margin:10px 0}.overall .of{font-size:16px}.head{display:flex;justify-content:space-between;align-items:flex-end;gap:20px;flex-wrap:wrap}
`;

/**
 * The page opens with the same 30-second head as the Markdown (top priorities, risks by
 * severity, key numbers with sparklines), then the details. Every task is on the page,
 * the ones after the next few inside a <details> (open with `full`): no script needed.
 */
export interface HtmlOptions extends RenderOptions {
  /**
   * Where metrics and risks link to (the web app's trend and evidence pages); without
   * them the page links nowhere, as a mailed or saved page should.
   */
  links?: BriefingLinks;
  /** Only the content of <main>, for a page that brings its own head, styles and frame. */
  fragment?: boolean;
}

export interface BriefingLinks {
  metric(agent: AgentName, key: string): string;
  risk(riskId: string): string;
}

export function renderHtml(b: Briefing, options: HtmlOptions = {}): string {
  const full = options.full === true;
  const links = options.links;
  const reports = AGENT_NAMES.map((a) => b.agents[a]);
  const head = briefingHead(b);
  const e = escapeHtml;
  const html: string[] = [];
  if (!options.fragment)
    html.push(
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      // No scripts, no external requests: the page is safe to mail and to open offline.
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
      `<title>${e(`Morning briefing: ${b.companyName}, ${b.briefingDate}`)}</title>`,
      `<style>${BRIEFING_CSS}</style></head><body><main>`,
    );
  html.push(
    '<div class="head"><div>',
    `<h1>Morning briefing: ${e(b.companyName)}</h1>`,
    `<p class="sub">${e(b.briefingDate)} · run <code>${e(b.workflowId)}</code> · generated ${e(b.generatedAt)}</p>`,
    '</div>',
    `<div><div class="muted">Overall health</div><div class="overall health ${healthClass(b.health)}">${e(b.health)}<span class="muted of">/100</span></div></div>`,
    '</div>',
  );

  // The head.
  const underTasks = alertsUnderTasks(b.priorities, b.alerts, b.risks);
  html.push('<section class="lead">', '<h2>Top priorities</h2>');
  if (b.priorities.length === 0) html.push('<p class="muted">No candidate tasks today.</p>');
  else {
    html.push('<ol class="priorities">');
    for (const t of b.priorities) {
      const about = underTasks.get(t.id) ?? [];
      html.push(
        `<li><strong>${e(t.title)}</strong> <span class="score">${e(t.score)}</span> <span class="muted">from ${e(taskSources(t))}</span>` +
          `<div class="factors">${e(explainFactors(t))}</div>` +
          (t.reason ? `<div>${e(t.reason)}</div>` : '') +
          (about.length > 0
            ? `<ul class="evidence">${about.map((a) => `<li>${badge(a.severity)}${e(AGENT_TITLES[a.agent])}: ${e(a.message)}</li>`).join('')}</ul>`
            : '') +
          '</li>',
      );
    }
    html.push('</ol>');
  }

  html.push('<h2>Risks by severity</h2>');
  if (head.risks.length === 0) html.push('<p class="muted">No cross-functional risk found.</p>');
  else {
    html.push('<ul class="sev">');
    for (const r of head.risks) {
      const titles = links
        ? b.risks
            .filter((risk) => risk.severity === r.severity)
            .map((risk) => `<a href="${e(links.risk(risk.id))}">${e(risk.title)}</a>`)
        : r.titles.map((t) => e(t));
      html.push(`<li>${badge(r.severity)}${titles.join(' · ')}</li>`);
    }
    if (head.notEvaluated > 0) {
      html.push(`<li class="muted">${head.notEvaluated} not evaluated: see Data notes</li>`);
    }
    html.push('</ul>');
  }

  html.push('<h2>Key numbers</h2><div class="grid">');
  const lead = headMetrics(b.keyMetrics);
  for (const m of lead) html.push(metricCard(m, b.currency, true, links));
  html.push('</div></section>');

  // The details.
  const alertsByKey = new Map(b.alerts.map((a) => [alertKey(a), a]));
  if (b.risks.length > 0) html.push('<h2>Risks</h2>');
  for (const r of b.risks) {
    const folded = (r.alerts ?? []).flatMap((k) => alertsByKey.get(k) ?? []);
    html.push(
      `<div class="risk card" id="risk-${e(r.id)}">${badge(r.severity)}<strong>${links ? `<a href="${e(links.risk(r.id))}">${e(r.title)}</a>` : e(r.title)}</strong>: ${e(r.message)}` +
        (r.basedOnStaleData ? ' <span class="muted">(partly on stale data)</span>' : '') +
        `<div class="factors">Evidence: ${r.evidence
          .map((ev) =>
            links
              ? `<a href="${e(links.metric(ev.agent, ev.metric))}">${e(describeEvidence(ev, b.currency))}</a>`
              : e(describeEvidence(ev, b.currency)),
          )
          .join(' · ')}</div>` +
        `<div><strong>Action:</strong> ${e(r.action)}</div>` +
        (folded.length > 0
          ? `<ul class="evidence">${folded.map((a) => `<li>${badge(a.severity)}${e(AGENT_TITLES[a.agent])}: ${e(a.message)}</li>`).join('')}</ul>`
          : '') +
        '</div>',
    );
  }

  html.push(
    '<h2>Departments</h2><table><thead><tr><th>Department</th><th>Data</th><th class="num">Health</th><th>Why</th></tr></thead><tbody>',
  );
  for (const r of reports) {
    const h = r.status === 'failed' ? 'n/a' : String(Math.round(r.health));
    html.push(
      `<tr><td>${e(AGENT_TITLES[r.agent])}</td><td>${e(dataStatus(r))}</td>` +
        `<td class="num health ${r.status === 'failed' ? 'poor' : healthClass(r.health)}">${e(h)}</td><td>${e(departmentWhy(r))}</td></tr>`,
    );
  }
  html.push('</tbody></table>');

  const underPriorities = new Set([...underTasks.values()].flat());
  const alone = unfoldedAlerts(b.alerts, b.risks).filter((a) => !underPriorities.has(a));
  html.push(alone.length === b.alerts.length ? '<h2>Alerts</h2>' : '<h2>Other alerts</h2>');
  if (alone.length === 0) {
    html.push(
      `<p class="muted">${b.alerts.length === 0 ? 'None.' : 'None beyond the risks and priorities above.'}</p>`,
    );
  } else {
    html.push('<ul>');
    for (const a of alone)
      html.push(
        `<li>${badge(a.severity)}<span class="muted">${e(AGENT_TITLES[a.agent])}</span> ${e(a.message)}</li>`,
      );
    html.push('</ul>');
  }

  if (b.dataNotes.length > 0) {
    html.push('<h2>Data notes</h2><ul>');
    for (const n of b.dataNotes) html.push(`<li>${e(n)}</li>`);
    html.push('</ul>');
  }

  html.push('<h2>What changed</h2><ul>');
  for (const c of b.changes) html.push(`<li>${e(c)}</li>`);
  html.push('</ul>');

  const others = b.keyMetrics.filter((m) => !lead.includes(m));
  if (others.length > 0) {
    html.push('<h2>Other metrics</h2><div class="grid">');
    for (const m of others) html.push(metricCard(m, b.currency, false, links));
    html.push('</div>');
  }

  const after = b.tasks.slice(b.priorities.length);
  const next = after.slice(0, NEXT_TASKS);
  const rest = after.slice(NEXT_TASKS);
  html.push('<h2>Next tasks</h2>');
  if (b.scoring) {
    const s = b.scoring;
    html.push(
      `<p class="muted">Scored with energy ${e(s.energy)} (${e(s.energySource)}), goals ${e(s.goals.join(', ') || 'none set')}, ` +
        `weights revenue ${s.weights.revenueImpact} · urgency ${s.weights.urgency} · energy ${s.weights.energyAlignment} · strategy ${s.weights.strategicAlignment}.</p>`,
    );
  }
  html.push(taskTable(next));
  if (rest.length > 0) {
    html.push(
      `<details${full ? ' open' : ''}><summary>${rest.length} more task${rest.length === 1 ? '' : 's'}</summary>${taskTable(rest)}</details>`,
    );
  }
  if (!options.fragment) html.push('</main></body></html>', '');
  return html.join('\n');
}

function metricCard(
  m: KeyMetric,
  currency: string,
  withTrend: boolean,
  links: BriefingLinks | undefined,
): string {
  const e = escapeHtml;
  const change =
    m.change === undefined
      ? m.value !== null && m.previous === undefined
        ? 'new'
        : ''
      : `${formatChange(m, currency)} since ${m.previousDate}`;
  // The arrow reads the whole series, as the sparkline under it draws it.
  const trend = withTrend ? TREND_ARROW[trendOf(m.series, Infinity)] : '';
  return (
    `<div class="card metric"><div class="label">${links ? `<a href="${e(links.metric(m.agent, m.key))}">${e(m.label)}</a>` : e(m.label)} · ${e(AGENT_TITLES[m.agent])}${m.stale ? ' (stale)' : ''}</div>` +
    `<div class="value">${e(formatValue(m.value, m.unit, currency))} <span class="muted">${e(trend)}</span></div>` +
    `<div class="change">${e(change) || '&nbsp;'}</div>${sparkline(m.series)}</div>`
  );
}

function taskTable(tasks: Briefing['tasks']): string {
  const e = escapeHtml;
  if (tasks.length === 0) return '<p class="muted">No other tasks.</p>';
  return (
    '<table><thead><tr><th class="num">#</th><th>Task</th><th class="num">Score</th>' +
    '<th class="num">Revenue</th><th class="num">Urgency</th><th class="num">Energy</th><th class="num">Strategy</th><th>From</th></tr></thead><tbody>' +
    tasks
      .map(
        (t) =>
          `<tr><td class="num">${t.rank}</td><td>${e(t.title)}</td><td class="num"><strong>${e(t.score)}</strong></td>` +
          `<td class="num">${t.revenueImpact}</td><td class="num">${t.urgency}</td><td class="num">${t.energyAlignment}</td>` +
          `<td class="num">${t.strategicAlignment}</td><td>${e(taskSources(t))}</td></tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}
