/**
 * The portfolio briefing for people: Markdown (terminal, files, messages) and one
 * self-contained HTML page (the briefing's stylesheet inline, no scripts, no external
 * requests). Both say the same things in the same order: totals per currency, what went
 * wrong today, every company's line, and the risks by severity with their company.
 * Every string from data is escaped.
 */
import type {
  Portfolio,
  PortfolioCompany,
  PortfolioCurrencyTotals,
  PortfolioFigure,
  PortfolioRisk,
  PortfolioRiskCounts,
} from '../contract/portfolio.js';
import type { Severity } from '../contract/report.js';
import { formatMoney } from '../shared/money.js';
import { escapeMarkdown as md, markdownCode, stripControls } from './escape.js';
import { formatValue } from './key-metrics.js';
import { SEVERITY_ORDER } from './portfolio.js';
import { BRIEFING_CSS, escapeHtml } from './render-html.js';

const SEVERITY_TITLE: Record<Severity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

function money(cents: number | null | undefined, currency: string): string {
  return typeof cents === 'number' ? formatMoney(cents, currency) : 'n/a';
}

/** "+$1,200", "-€300", "no change"; "new" for a first MRR; "n/a" without one. */
export function mrrChangeText(
  c: Pick<PortfolioCompany, 'mrrCents' | 'mrrChangeCents' | 'currency'>,
): string {
  if (c.mrrCents === null) return 'n/a';
  if (c.mrrChangeCents === undefined) return 'new';
  return signedMoney(c.mrrChangeCents, c.currency);
}

function signedMoney(cents: number, currency: string): string {
  if (cents === 0) return 'no change';
  return `${cents > 0 ? '+' : '-'}${formatMoney(Math.abs(cents), currency)}`;
}

/** "9.7 months", "not burning" (runway not limited), or "n/a". */
export function runwayText(c: Pick<PortfolioCompany, 'runwayMonths' | 'notBurning'>): string {
  if (c.runwayMonths !== null) return formatValue(c.runwayMonths, 'months');
  return c.notBurning ? 'not burning' : 'n/a';
}

/** "1 critical, 2 warning"; "none" without risks. */
export function riskCountsText(counts: PortfolioRiskCounts, zeros = false): string {
  const parts = SEVERITY_ORDER.filter((s) => zeros || counts[s] > 0).map(
    (s) => `${counts[s]} ${s}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** "sales stale, hr failed": the agents that made a briefing degraded. */
export function degradedText(d: {
  staleAgents: readonly string[];
  failedAgents: readonly string[];
}) {
  return [
    ...d.staleAgents.map((a) => `${a} stale`),
    ...d.failedAgents.map((a) => `${a} failed`),
  ].join(', ');
}

function staleMark(c: PortfolioCompany, figure: PortfolioFigure): string {
  return c.staleFigures.includes(figure) ? ' (stale)' : '';
}

/** The figures of one company's line, as text (escaping is the renderer's). */
function companyCells(c: PortfolioCompany) {
  return {
    health: String(Math.round(c.health)),
    mrr: `${money(c.mrrCents, c.currency)}${staleMark(c, 'mrr')}`,
    change: mrrChangeText(c),
    runway: `${runwayText(c)}${staleMark(c, 'runway')}`,
    cash: `${money(c.cashCents, c.currency)}${staleMark(c, 'cash')}`,
    headcount:
      c.headcount === null
        ? 'n/a'
        : `${formatValue(c.headcount, 'count')}${staleMark(c, 'headcount')}`,
    risks: riskCountsText(c.risks),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "3 companies · 2 briefed today · 1 degraded · risks: 1 critical, 2 warning, 0 info" */
export function portfolioSummary(p: Portfolio): string {
  return [
    plural(p.totals.companies, 'company', 'companies'),
    `${p.today.current.length} briefed today`,
    `${p.today.degraded.length} degraded`,
    `risks: ${riskCountsText(p.risks.counts, true)}`,
  ].join(' · ');
}

/**
 * What a currency's totals leave out or take from older days, one line each: "USD cash
 * leaves out Beta Ltd (not reported)". Empty when every company counted fully.
 */
function totalsNotes(p: Portfolio, t: PortfolioCurrencyTotals): string[] {
  const name = (id: string) => p.companies.find((c) => c.companyId === id)?.companyName ?? id;
  const names = (ids: readonly string[]) => ids.map(name).join(', ');
  const notes: string[] = [];
  const left = [
    ['MRR', t.missing.mrr, 'not reported'],
    [
      'MRR change',
      t.missing.mrrChange.filter((id) => !t.missing.mrr.includes(id)),
      'no earlier MRR',
    ],
    ['ARR', t.missing.arr, 'not reported'],
    ['cash', t.missing.cash, 'not reported'],
  ] as const;
  for (const [figure, ids, why] of left)
    if (ids.length > 0) notes.push(`${t.currency} ${figure} leaves out ${names(ids)} (${why}).`);
  if (t.olderBriefings.length > 0)
    notes.push(
      `${t.currency} counts ${names(t.olderBriefings)} as of an older briefing (none today).`,
    );
  return notes;
}

function headcountLine(p: Portfolio): string {
  const h = p.totals.headcount;
  if (h.value === null) return 'Headcount: n/a (no company reported it).';
  const counted = p.totals.companies - h.missing.length;
  const missing =
    h.missing.length > 0
      ? `; leaves out ${h.missing.map((id) => p.companies.find((c) => c.companyId === id)?.companyName ?? id).join(', ')} (not reported)`
      : '';
  return `Headcount: ${formatValue(h.value, 'count')} across ${plural(counted, 'company', 'companies')}${missing}.`;
}

function riskSuffix(r: PortfolioRisk, date: string): string {
  const parts: string[] = [];
  if (r.briefingDate < date) parts.push(`from the briefing of ${r.briefingDate}`);
  if (r.basedOnStaleData) parts.push('on stale data');
  // The leading space stays outside the escapers, which trim.
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

const suffixed = (text: string) => (text ? ` ${text}` : '');

function briefingRef(c: PortfolioCompany): string {
  return `#${c.briefingId}, ${c.briefingDate}${c.current ? '' : ' (no briefing today)'}`;
}

export function renderPortfolioMarkdown(p: Portfolio): string {
  const lines: string[] = [`# Portfolio briefing: ${p.date}`, '', portfolioSummary(p), ''];

  lines.push('## Totals', '');
  if (p.totals.money.length > 0) {
    lines.push(
      '| Currency | Companies | MRR | MRR change | ARR | Cash |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const t of p.totals.money)
      lines.push(
        `| ${t.currency} | ${t.companies.length} | ${money(t.mrrCents, t.currency)} | ` +
          `${t.mrrChangeCents === null ? 'n/a' : signedMoney(t.mrrChangeCents, t.currency)} | ` +
          `${money(t.arrCents, t.currency)} | ${money(t.cashCents, t.currency)} |`,
      );
    lines.push('');
  }
  lines.push(md(headcountLine(p)));
  const notes = p.totals.money.flatMap((t) => totalsNotes(p, t));
  if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${md(n)}`));
  lines.push('');

  lines.push('## Today', '');
  const today: string[] = [];
  if (p.today.noBriefingToday.length > 0)
    today.push(
      `- **No briefing today:** ${p.today.noBriefingToday
        .map((s) => `${md(s.companyName)} (newest ${s.briefingDate})`)
        .join(', ')}`,
    );
  if (p.today.neverBriefed.length > 0)
    today.push(`- **Never briefed:** ${p.today.neverBriefed.map((id) => md(id)).join(', ')}`);
  for (const d of p.today.degraded)
    today.push(`- **Degraded:** ${md(d.companyName)}: ${md(degradedText(d))}`);
  lines.push(...(today.length > 0 ? today : ['- Every company has a complete briefing today.']));
  lines.push('');

  lines.push(
    '## Companies',
    '',
    '| Company | Health | MRR | MRR change | Runway | Cash | Headcount | Risks | Briefing |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  );
  for (const c of p.companies) {
    const cells = companyCells(c);
    lines.push(
      `| ${md(c.companyName)} | ${cells.health} | ${cells.mrr} | ${cells.change} | ${cells.runway} | ` +
        `${cells.cash} | ${cells.headcount} | ${cells.risks} | ${briefingRef(c)} ${markdownCode(c.workflowId)} |`,
    );
  }
  lines.push('');

  lines.push('## Risks across the portfolio', '');
  if (p.risks.items.length === 0) lines.push('No risks across the portfolio.');
  else {
    lines.push(`${riskCountsText(p.risks.counts, true)}.`);
    for (const severity of SEVERITY_ORDER) {
      const risks = p.risks.items.filter((r) => r.severity === severity);
      if (risks.length === 0) continue;
      lines.push('', `### ${SEVERITY_TITLE[severity]}`, '');
      for (const r of risks)
        lines.push(
          `- **${md(r.companyName)}**: ${md(r.title)}. ${md(r.message)}${suffixed(md(riskSuffix(r, p.date)))}`,
        );
    }
  }
  return `${stripControls(lines.join('\n'))}\n`;
}

export interface PortfolioHtmlOptions {
  /** Only the content of <main>, for a page that brings its own head, styles and frame. */
  fragment?: boolean;
  /**
   * The level of the portfolio's own heading; its sections are one level below. A page
   * that has its own <h1> (the web app's Today) embeds the portfolio at 2. @default 1
   */
  headingLevel?: 1 | 2;
  /** Where a company's briefing of a day lives; without it, names are plain text. */
  links?: { briefing(companyId: string, date: string): string };
  /** Names of companies the portfolio knows by id only (those never briefed). @default their ids */
  names?: Readonly<Record<string, string>>;
}

function healthClass(h: number): string {
  return h >= 80 ? 'good' : h >= 60 ? 'fair' : 'poor';
}

const BADGE_CLASS: Record<Severity, string> = { critical: 'crit', warning: 'warn', info: 'info' };

function badge(severity: Severity, text: string = severity): string {
  return `<span class="badge ${BADGE_CLASS[severity]}">${escapeHtml(text)}</span>`;
}

export function renderPortfolioHtml(p: Portfolio, options: PortfolioHtmlOptions = {}): string {
  const e = escapeHtml;
  const html: string[] = [];
  const top = options.headingLevel ?? 1;
  const h1 = `h${top}`;
  const h2 = `h${top + 1}`;
  const h3 = `h${top + 2}`;
  const links = options.links;
  /** The company's name, linked to its briefing of `date` when the page has links. */
  const named = (id: string, name: string, date: string | undefined) =>
    links && date ? `<a href="${e(links.briefing(id, date))}">${e(name)}</a>` : e(name);
  const newest = (id: string) => p.companies.find((c) => c.companyId === id)?.briefingDate;
  if (!options.fragment)
    html.push(
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      // No scripts, no external requests: safe to mail and to open offline.
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
      `<title>${e(`Portfolio briefing, ${p.date}`)}</title>`,
      `<style>${BRIEFING_CSS}</style></head><body><main>`,
    );
  html.push(
    `<${h1}>Portfolio briefing</${h1}>`,
    `<p class="sub">${e(p.date)} · ${e(portfolioSummary(p))}</p>`,
  );

  html.push(`<${h2}>Totals</${h2}>`);
  if (p.totals.money.length > 0) {
    html.push(
      '<table><thead><tr><th>Currency</th><th class="num">Companies</th><th class="num">MRR</th>' +
        '<th class="num">MRR change</th><th class="num">ARR</th><th class="num">Cash</th></tr></thead><tbody>',
    );
    for (const t of p.totals.money)
      html.push(
        `<tr><td>${e(t.currency)}</td><td class="num">${t.companies.length}</td>` +
          `<td class="num">${e(money(t.mrrCents, t.currency))}</td>` +
          `<td class="num">${e(t.mrrChangeCents === null ? 'n/a' : signedMoney(t.mrrChangeCents, t.currency))}</td>` +
          `<td class="num">${e(money(t.arrCents, t.currency))}</td>` +
          `<td class="num">${e(money(t.cashCents, t.currency))}</td></tr>`,
      );
    html.push('</tbody></table>');
  }
  html.push(`<p>${e(headcountLine(p))}</p>`);
  const notes = p.totals.money.flatMap((t) => totalsNotes(p, t));
  if (notes.length > 0)
    html.push(`<ul class="muted">${notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`);

  html.push(`<${h2}>Today</${h2}><ul>`);
  const today: string[] = [];
  if (p.today.noBriefingToday.length > 0)
    today.push(
      `<li><strong>No briefing today:</strong> ${p.today.noBriefingToday
        .map(
          (s) =>
            `${named(s.companyId, s.companyName, s.briefingDate)} (newest ${e(s.briefingDate)})`,
        )
        .join(', ')}</li>`,
    );
  if (p.today.neverBriefed.length > 0)
    today.push(
      `<li><strong>Never briefed:</strong> ${p.today.neverBriefed.map((id) => e(options.names?.[id] ?? id)).join(', ')}</li>`,
    );
  for (const d of p.today.degraded)
    today.push(
      `<li><strong>Degraded:</strong> ${named(d.companyId, d.companyName, newest(d.companyId))}: ${e(degradedText(d))}</li>`,
    );
  html.push(
    ...(today.length > 0 ? today : ['<li>Every company has a complete briefing today.</li>']),
    '</ul>',
  );

  html.push(
    `<${h2}>Companies</${h2}><table><thead><tr><th>Company</th><th class="num">Health</th><th class="num">MRR</th>` +
      '<th class="num">MRR change</th><th class="num">Runway</th><th class="num">Cash</th>' +
      '<th class="num">Headcount</th><th>Risks</th><th>Briefing</th></tr></thead><tbody>',
  );
  for (const c of p.companies) {
    const cells = companyCells(c);
    const risks = SEVERITY_ORDER.filter((s) => c.risks[s] > 0)
      .map((s) => badge(s, `${c.risks[s]} ${s}`))
      .join('');
    html.push(
      `<tr><td>${named(c.companyId, c.companyName, c.briefingDate)}</td><td class="num health ${healthClass(c.health)}">${e(cells.health)}</td>` +
        `<td class="num">${e(cells.mrr)}</td><td class="num">${e(cells.change)}</td>` +
        `<td class="num">${e(cells.runway)}</td><td class="num">${e(cells.cash)}</td>` +
        `<td class="num">${e(cells.headcount)}</td><td>${risks || '<span class="muted">none</span>'}</td>` +
        `<td>${e(briefingRef(c))} <code>${e(c.workflowId)}</code></td></tr>`,
    );
  }
  html.push('</tbody></table>');

  html.push(`<${h2}>Risks across the portfolio</${h2}>`);
  if (p.risks.items.length === 0) html.push('<p>No risks across the portfolio.</p>');
  else {
    html.push(`<p>${e(riskCountsText(p.risks.counts, true))}.</p>`);
    for (const severity of SEVERITY_ORDER) {
      const risks = p.risks.items.filter((r) => r.severity === severity);
      if (risks.length === 0) continue;
      html.push(`<${h3}>${SEVERITY_TITLE[severity]}</${h3}><ul class="sev">`);
      for (const r of risks)
        html.push(
          `<li class="risk">${badge(severity)}<strong>${named(r.companyId, r.companyName, r.briefingDate)}</strong>: ${e(r.title)}. ` +
            `${e(r.message)}${suffixed(e(riskSuffix(r, p.date)))}</li>`,
        );
      html.push('</ul>');
    }
  }
  if (!options.fragment) html.push('</main></body></html>');
  return `${html.join('\n')}\n`;
}
