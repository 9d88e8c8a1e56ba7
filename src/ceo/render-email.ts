/**
 * The briefing as an e-mail (issue 13): a subject, a plain-text part and an HTML part
 * for the mail clients people read briefings in (Gmail, Apple Mail, Outlook). Outlook
 * renders HTML with Word's engine and Gmail drops <style> blocks in places, so the HTML
 * is tables with inline styles and fixed widths (600px), nothing else: no <style>, no
 * script, no external request. Charts are the HTML briefing's own sparkline SVGs, handed
 * to the channel to rasterise and attach inline (`cid:`): mail clients do not show SVG.
 *
 * It carries the 30-second head (health, top 3 priorities, risks by severity, key
 * numbers with change and trend), then the risks with their actions and a link to the
 * full briefing. Every string from data is escaped (HTML) or stripped of controls
 * (text, subject).
 */
import { AGENT_NAMES, type Severity } from '../contract/report.js';
import type { Briefing, KeyMetric } from '../contract/briefing.js';
import type { EmailMessage } from '../contract/delivery.js';
import { DeliveryRejectedError } from '../shared/errors.js';
import { plainText, stripControls } from './escape.js';
import { briefingHead, headMetrics, trendOf, TREND_ARROW, type Trend } from './head.js';
import { escapeHtml as e, sparkline } from './render-html.js';

export interface EmailOptions {
  /** A link to the full briefing (the web app); only http(s) links are used. */
  briefingUrl?: string;
}

/** Risks listed with their actions; the rest are counted and left to the full briefing. */
export const EMAIL_RISKS = 5;
/** A subject longer than this is cut (a task title can be long; inboxes show ~70 chars). */
export const SUBJECT_MAX = 200;

const WIDTH = 600;
const FONT =
  'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif';
const COLORS = {
  fg: '#1d2330',
  muted: '#5f6778',
  line: '#e3e6ec',
  page: '#f3f4f7',
  card: '#ffffff',
  good: '#187a41',
  fair: '#975a16',
  poor: '#c53030',
  info: '#2b6cb0',
};
const SEVERITY_COLOR: Record<Severity, string> = {
  critical: COLORS.poor,
  warning: COLORS.fair,
  info: COLORS.info,
};
const TREND_WORD: Record<Trend, string> = { up: 'up', down: 'down', flat: 'flat', none: '' };

function healthColor(h: number): string {
  return h >= 80 ? COLORS.good : h >= 60 ? COLORS.fair : COLORS.poor;
}

/**
 * Never blank: a briefing without its Markdown or its departments is a bug upstream,
 * refused here so that no channel sends an empty mail.
 */
function assertNotEmpty(b: Briefing): void {
  const agents = b.agents as Partial<Briefing['agents']> | undefined;
  const missing = AGENT_NAMES.filter((a) => agents?.[a] === undefined);
  if (!b.markdown || b.markdown.replace(/\s+/g, '') === '' || missing.length > 0) {
    throw new DeliveryRejectedError(
      `the briefing is empty${missing.length > 0 ? ` (no report for ${missing.join(', ')})` : ''}: nothing was sent`,
      { workflowId: b.workflowId },
    );
  }
}

/** True when every department failed: the mail says so first, plainly. */
function allFailed(b: Briefing): boolean {
  return AGENT_NAMES.every((a) => b.agents[a].status === 'failed');
}

const ALL_FAILED =
  'No department data today: all six agents failed, so there are no figures, risks or department priorities below. The data notes say why each failed.';

/** A link worth putting in a mail: http(s) only (no javascript:, data:, file:). */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Northwind Analytics, 2026-12-01: health 49, 1. Close Acme Corp deal ($50K ARR)".
 * A header, not markup: nothing is escaped, but line breaks and control characters are
 * removed (a break would start a new header).
 */
export function emailSubject(b: Briefing): string {
  const first = (b.priorities.length > 0 ? b.priorities : b.tasks)[0];
  const state = allFailed(b)
    ? 'no department data (all six agents failed)'
    : `health ${b.health}${first ? `, ${first.rank}. ${plainText(first.title)}` : ''}`;
  const subject = plainText(`${plainText(b.companyName)}, ${b.briefingDate}: ${state}`);
  return subject.length <= SUBJECT_MAX ? subject : `${subject.slice(0, SUBJECT_MAX - 1)}…`;
}

/** The content id of the n-th chart (1-based): unique within the message. */
export function chartCid(n: number): string {
  return `spark-${n}@boardroom`;
}

/**
 * The HTML briefing's sparkline as a standalone SVG document: the namespace a file
 * needs, and the colour the page's stylesheet gives `currentColor`. `undefined` when
 * the series has fewer than two points (the HTML shows a dash).
 */
export function chartSvg(series: KeyMetric['series']): string | undefined {
  const svg = sparkline(series);
  if (!svg.startsWith('<svg ')) return undefined;
  return svg.replace('<svg ', `<svg xmlns="http://www.w3.org/2000/svg" color="${COLORS.info}" `);
}

interface Chart {
  metric: KeyMetric;
  cid?: string;
  trend: Trend;
}

export function renderEmail(b: Briefing, opts: EmailOptions = {}): EmailMessage {
  assertNotEmpty(b);
  const head = briefingHead(b);
  const url = safeUrl(opts.briefingUrl);
  const failed = allFailed(b);

  // The charts: the whole series, as the HTML briefing draws it, and the arrow that reads
  // the same window (render-html.ts `metricCard`).
  const images: EmailMessage['images'] = [];
  const charts: Chart[] = headMetrics(b.keyMetrics).map((metric) => {
    const trend = trendOf(metric.series, Infinity);
    const svg = chartSvg(metric.series);
    if (svg === undefined) return { metric, trend };
    const cid = chartCid(images.length + 1);
    const word = TREND_WORD[trend];
    images.push({
      cid,
      svg,
      alt: plainText(`${metric.label} trend${word ? `: ${word}` : ''}`),
    });
    return { metric, cid, trend };
  });

  return {
    subject: emailSubject(b),
    text: renderText(b, head, failed, url),
    html: renderEmailHtml(b, head, charts, failed, url),
    images,
  };
}

type Head = ReturnType<typeof briefingHead>;

/** The one date every change compares with (the usual case), said once instead of per row. */
function oneSince(head: Head): string | undefined {
  const dates = [...new Set(head.numbers.flatMap((n) => (n.since ? [n.since] : [])))];
  return dates.length === 1 ? dates[0] : undefined;
}

function sourcesOf(p: Head['priorities'][number]): string {
  return p.sources.join(', ');
}

function renderText(b: Briefing, head: Head, failed: boolean, url?: string): string {
  const t = plainText;
  const out: string[] = [];
  out.push(`Morning briefing: ${t(b.companyName)}, ${b.briefingDate}`);
  out.push(failed ? 'Overall health: n/a' : `Overall health: ${b.health}/100`, '');
  if (failed) out.push(ALL_FAILED, '');

  out.push('TOP PRIORITIES');
  if (head.priorities.length === 0) out.push('No candidate tasks today.');
  for (const p of head.priorities) {
    out.push(`${p.rank}. ${t(p.title)} (score ${p.score}, from ${t(sourcesOf(p))})`);
    if (p.reason) out.push(`   Why: ${t(p.reason)}`);
  }
  out.push('');

  out.push('RISKS BY SEVERITY');
  if (head.risks.length === 0) out.push('No cross-functional risk found.');
  for (const r of head.risks) {
    out.push(`- ${r.severity} (${r.titles.length}): ${r.titles.map(t).join(' · ')}`);
  }
  if (head.notEvaluated > 0) out.push(`- not evaluated (${head.notEvaluated}): see the data notes`);
  out.push('');

  const common = oneSince(head);
  out.push(common ? `KEY NUMBERS (changes since ${common})` : 'KEY NUMBERS');
  if (head.numbers.length === 0) out.push('None today.');
  for (const n of head.numbers) {
    const since = n.since && !common ? ` since ${n.since}` : '';
    const trend = `${TREND_ARROW[n.trend]} ${n.spark}`.trim();
    out.push(
      `- ${t(n.label)}${n.stale ? ' (stale)' : ''}: ${t(n.value)} (${t(n.change)}${since})${trend ? `  ${trend}` : ''}`,
    );
  }
  out.push('');

  if (b.risks.length > 0) {
    out.push('RISKS AND WHAT TO DO');
    for (const r of b.risks.slice(0, EMAIL_RISKS)) {
      out.push(`- ${t(r.title)} (${r.severity}): ${t(r.message)}`, `  Action: ${t(r.action)}`);
    }
    const more = b.risks.length - EMAIL_RISKS;
    if (more > 0) out.push(`- ${more} more in the full briefing.`);
    out.push('');
  }

  if (failed && b.dataNotes.length > 0) {
    out.push('DATA NOTES');
    for (const n of b.dataNotes) out.push(`- ${t(n)}`);
    out.push('');
  }

  out.push(
    url
      ? `The full briefing (departments, alerts, every task): ${url}`
      : `The full briefing (departments, alerts, every task): npx boardroom briefing show ${t(b.workflowId)}`,
    '',
    `Run ${t(b.workflowId)}, generated ${b.generatedAt}.`,
    '',
  );
  return stripControls(out.join('\n'));
}

/** A `<td>`'s style: the font on every cell, as Outlook does not inherit it from tables. */
function td(style = ''): string {
  return `${FONT};font-size:14px;line-height:20px;color:${COLORS.fg};${style}`;
}

function heading(text: string): string {
  return (
    `<tr><td style="${td(`padding:20px 24px 6px 24px;font-size:16px;line-height:22px;font-weight:bold;border-bottom:1px solid ${COLORS.line}`)}">` +
    `${text}</td></tr>`
  );
}

function badge(severity: Severity): string {
  return (
    `<span style="${FONT};display:inline-block;font-size:12px;line-height:16px;font-weight:bold;color:#ffffff;` +
    `background-color:${SEVERITY_COLOR[severity]};padding:1px 8px;border-radius:9px">${severity}</span>`
  );
}

function paragraph(html: string, style = ''): string {
  return `<tr><td style="${td(`padding:8px 24px 0 24px;${style}`)}">${html}</td></tr>`;
}

function renderEmailHtml(
  b: Briefing,
  head: Head,
  charts: Chart[],
  failed: boolean,
  url?: string,
): string {
  const rows: string[] = [];
  const muted = `color:${COLORS.muted}`;
  const health = failed
    ? `<span style="font-size:32px;line-height:36px;font-weight:bold;${muted}">n/a</span>`
    : `<span style="font-size:32px;line-height:36px;font-weight:bold;color:${healthColor(b.health)}">${e(b.health)}</span><span style="font-size:14px;${muted}">/100</span>`;

  // Title and health, side by side.
  rows.push(
    `<tr><td style="padding:20px 24px 12px 24px;border-bottom:1px solid ${COLORS.line}">` +
      '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>' +
      `<td valign="bottom" style="${td()}"><div style="font-size:20px;line-height:26px;font-weight:bold">Morning briefing: ${e(b.companyName)}</div>` +
      `<div style="font-size:13px;${muted}">${e(b.briefingDate)}</div></td>` +
      `<td valign="bottom" align="right" width="140" style="${td('text-align:right')}"><div style="font-size:12px;${muted}">Overall health</div>${health}</td>` +
      '</tr></table></td></tr>',
  );
  if (failed) {
    rows.push(
      `<tr><td style="${td(`padding:12px 24px;background-color:#fdecec;color:${COLORS.poor};font-weight:bold`)}">${e(ALL_FAILED)}</td></tr>`,
    );
  }

  rows.push(heading('Top priorities'));
  if (head.priorities.length === 0) rows.push(paragraph('No candidate tasks today.', muted));
  for (const p of head.priorities) {
    rows.push(
      paragraph(
        `<strong>${p.rank}. ${e(p.title)}</strong> <span style="${muted}">score ${e(p.score)} · from ${e(sourcesOf(p))}</span>` +
          (p.reason ? `<br><span style="font-size:13px;${muted}">${e(p.reason)}</span>` : ''),
      ),
    );
  }

  rows.push(heading('Risks by severity'));
  if (head.risks.length === 0) rows.push(paragraph('No cross-functional risk found.', muted));
  for (const r of head.risks) {
    rows.push(paragraph(`${badge(r.severity)} ${r.titles.map((x) => e(x)).join(' · ')}`));
  }
  if (head.notEvaluated > 0) {
    rows.push(paragraph(`${head.notEvaluated} not evaluated: see the data notes.`, muted));
  }

  const common = oneSince(head);
  rows.push(heading('Key numbers'));
  if (common) rows.push(paragraph(`Changes since ${e(common)}`, `font-size:12px;${muted}`));
  if (charts.length === 0) rows.push(paragraph('None today.', muted));
  else rows.push(`<tr><td style="padding:4px 24px 0 24px">${numbersTable(head, charts)}</td></tr>`);

  if (b.risks.length > 0) {
    rows.push(heading('Risks and what to do'));
    for (const r of b.risks.slice(0, EMAIL_RISKS)) {
      rows.push(
        paragraph(
          `${badge(r.severity)} <strong>${e(r.title)}</strong><br>` +
            `<span style="font-size:13px">${e(r.message)}</span><br>` +
            `<span style="font-size:13px"><strong>Action:</strong> ${e(r.action)}</span>`,
          'padding-top:10px',
        ),
      );
    }
    const more = b.risks.length - EMAIL_RISKS;
    if (more > 0) rows.push(paragraph(`${more} more in the full briefing.`, muted));
  }

  if (failed && b.dataNotes.length > 0) {
    rows.push(heading('Data notes'));
    for (const n of b.dataNotes) rows.push(paragraph(e(n), 'font-size:13px'));
  }

  rows.push(
    url
      ? `<tr><td style="${td('padding:22px 24px 4px 24px')}"><a href="${e(url)}" style="${FONT};font-size:14px;font-weight:bold;color:#ffffff;background-color:${COLORS.info};text-decoration:none;padding:10px 18px;border-radius:6px;display:inline-block">Open the full briefing</a></td></tr>`
      : paragraph(
          `The full briefing (departments, alerts, every task): <code>npx boardroom briefing show ${e(b.workflowId)}</code>`,
          `padding-top:22px;${muted}`,
        ),
    paragraph(
      `Run ${e(b.workflowId)}, generated ${e(b.generatedAt)}.`,
      `font-size:12px;${muted};padding-bottom:20px`,
    ),
  );

  // The preview line inboxes show after the subject: the first priority, else the health.
  const first = head.priorities[0];
  const preview = failed
    ? 'No department data today: all six agents failed.'
    : first
      ? `Health ${b.health}. First: ${plainText(first.title)}`
      : `Health ${b.health}.`;

  return stripControls(
    [
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
      '<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${e(`Morning briefing: ${b.companyName}, ${b.briefingDate}`)}</title></head>`,
      `<body style="margin:0;padding:0;background-color:${COLORS.page}">`,
      `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${e(preview)}</div>`,
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${COLORS.page}" style="background-color:${COLORS.page}"><tr><td align="center" style="padding:24px 8px">`,
      `<table role="presentation" width="${WIDTH}" cellpadding="0" cellspacing="0" border="0" bgcolor="${COLORS.card}" style="width:${WIDTH}px;max-width:100%;background-color:${COLORS.card};border:1px solid ${COLORS.line}">`,
      ...rows,
      '</table>',
      '</td></tr></table>',
      '</body></html>',
      '',
    ].join('\n'),
  );
}

/** Label, value, change, chart and arrow per key number: 552px inside the 24px margins. */
function numbersTable(head: Head, charts: Chart[]): string {
  const muted = `color:${COLORS.muted}`;
  const cell = (style: string) =>
    td(`padding:7px 4px;border-bottom:1px solid ${COLORS.line};vertical-align:middle;${style}`);
  const rows = head.numbers.map((n, i) => {
    const chart = charts[i]!;
    // On its own line: "since 2026-11-24" beside the change would wrap mid-date.
    const since =
      n.since && n.since !== oneSince(head)
        ? `<br><span style="font-size:12px">since ${e(n.since)}</span>`
        : '';
    const img = chart.cid
      ? `<img src="cid:${chart.cid}" width="120" height="28" alt="${e(`${n.label} trend${TREND_WORD[chart.trend] ? `: ${TREND_WORD[chart.trend]}` : ''}`)}" style="display:block;border:0;outline:none;width:120px;height:28px">`
      : `<span style="${muted}">–</span>`;
    return (
      '<tr>' +
      `<td width="150" style="${cell('')}">${e(n.label)}${n.stale ? ` <span style="${muted}">(stale)</span>` : ''}</td>` +
      `<td width="110" align="right" style="${cell('text-align:right;font-weight:bold;white-space:nowrap')}">${e(n.value)}</td>` +
      `<td width="140" align="right" style="${cell(`text-align:right;font-size:13px;white-space:nowrap;${muted}`)}">${e(n.change)}${since}</td>` +
      `<td width="128" align="right" style="${cell('text-align:right;padding-left:8px')}">${img}</td>` +
      `<td width="24" align="center" style="${cell(`text-align:center;${muted}`)}">${e(TREND_ARROW[chart.trend])}</td>` +
      '</tr>'
    );
  });
  return (
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse">' +
    rows.join('') +
    '</table>'
  );
}
