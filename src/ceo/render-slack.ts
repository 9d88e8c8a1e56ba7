/**
 * The briefing as one Slack message (Block Kit): the 30-second head on top (health, top
 * 3 priorities, risks by severity, key numbers with their change), the details in
 * thread replies, and a link to the full briefing when there is one. Pure.
 *
 * Slack refuses a message that breaks its limits (`invalid_blocks`, `msg_too_long`), and
 * a refused briefing is a briefing nobody reads, so every piece of data is clipped to a
 * budget before it is laid out and every block is checked against SLACK_LIMITS: a
 * 10,000-character task name or 500 alerts make a shorter message, never a refused one.
 *
 * Every string from data goes through `mrkdwn` (escapeMrkdwn: `&`, `<`, `>`), so a name
 * cannot mention `<!channel>` or disguise a link; plain_text (the header) is shown as
 * written by Slack and only loses its control characters.
 */
import { AGENT_NAMES, AGENT_TITLES, type Severity } from '../contract/report.js';
import type { Briefing, RiskFinding, ScoredTask } from '../contract/briefing.js';
import type { SlackBlock, SlackMessage } from '../contract/delivery.js';
import { DeliveryRejectedError } from '../shared/errors.js';
import { alertKey, alertsUnderTasks, alertTopic, departmentWhy, unfoldedAlerts } from './dedup.js';
import { escapeMrkdwn, plainText } from './escape.js';
import { briefingHead, TREND_ARROW } from './head.js';
import {
  dataCounts,
  dataStatus,
  describeEvidence,
  explainedAlerts,
  factorNumbers,
  taskSources,
} from './render-markdown.js';

/** Slack's own limits (Block Kit reference, chat.postMessage). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  /** chat.postMessage truncates `text` beyond 40,000; a notification needs far less. */
  fallbackText: 1000,
  /**
   * Ours, not Slack's: a thread reply's text, for a reply one reads (Slack documents no
   * total for blocks; 50 full sections would be 150,000 characters).
   */
  replyText: 12_000,
} as const;

/** How much of each list the thread shows; the rest is counted and left to the full briefing. */
export const SLACK_THREAD_CAPS = { risks: 20, alerts: 60, tasks: 10, notes: 20, changes: 10 };

/** Budgets (escaped characters) for one item's pieces, so that a section always fits. */
const TITLE = 250;
const REASON = 300;
const SOURCES = 80;
const LINE = 600;
const RISK_TITLE_IN_HEAD = 200;
/** One severity's line in the head: its titles until this budget, then "and N more". */
const SEVERITY_LINE = 850;

export interface SlackRenderOptions {
  /** The web app's page of this briefing: linked from the message and from every "N more". */
  briefingUrl?: string;
}

const SEVERITY_ICON: Record<Severity, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':white_circle:',
};

/**
 * Untrusted text as mrkdwn, escaped and at most `max` characters long once escaped:
 * cut on a code point (never inside an entity or a surrogate pair), ending with "…".
 */
export function mrkdwn(text: string | number | null | undefined, max = Infinity): string {
  const plain = plainText(text);
  const full = escapeMrkdwn(plain);
  if (full.length <= max) return full;
  let out = '';
  for (const ch of plain) {
    const piece = escapeMrkdwn(ch);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** Plain text (a header, a fallback) of at most `max` UTF-16 units, cut on a code point. */
export function plainClip(text: string | number | null | undefined, max: number): string {
  const plain = plainText(text);
  if (plain.length <= max) return plain;
  let out = '';
  for (const ch of plain) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * Already-built mrkdwn cut to `max` characters: the last guard under the budgets above.
 * Never cuts an entity (`&amp;`) in two.
 */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  // A lone high surrogate would be an invalid character.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: fit(text, SLACK_LIMITS.sectionText) },
});
const context = (texts: string[]): SlackBlock => ({
  type: 'context',
  elements: texts
    .slice(0, SLACK_LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn', text: fit(text, SLACK_LIMITS.sectionText) })),
});
const divider: SlackBlock = { type: 'divider' };

/**
 * A link Slack cannot misread: only http(s), with the characters that end a link or
 * its label (`|`, `>`, `<`, spaces) percent-encoded and `&` as the entity Slack decodes.
 */
export function slackLink(url: string, label: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const href = parsed.href
    .replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/ /g, '%20')
    .replace(/&/g, '&amp;');
  return `<${href}|${mrkdwn(label)}>`;
}

/** "in the full briefing" or "in the <url|full briefing>". */
function fullBriefing(url: string | undefined): string {
  const link = url ? slackLink(url, 'full briefing') : undefined;
  return link ? `in the ${link}` : 'in the full briefing (`boardroom briefing latest`)';
}

/**
 * Lines packed into sections of at most 3,000 characters (a line never spans two),
 * the sections into replies of at most 50 blocks.
 */
export function packSections(lines: readonly string[], heading?: string): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let current = heading ?? '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > SLACK_LIMITS.sectionText && current) {
      blocks.push(section(current));
      current = line;
    } else current = next;
  }
  if (current) blocks.push(section(current));
  return blocks;
}

/** The characters of text a block shows (its text and fields). */
function blockChars(b: SlackBlock): number {
  const text = (b.text as { text?: string } | undefined)?.text ?? '';
  const fields = (b.fields as { text: string }[] | undefined) ?? [];
  return text.length + fields.reduce((n, f) => n + f.text.length, 0);
}

/**
 * Parts into as few replies as fit (one notification, one place to read), a divider
 * between parts, each reply within 50 blocks and REPLY_CHARS of text.
 */
function packReplies(parts: readonly SlackBlock[][]): SlackBlock[][] {
  const replies: SlackBlock[][] = [];
  let current: SlackBlock[] = [];
  let chars = 0;
  for (const part of parts) {
    for (const [i, block] of part.entries()) {
      const lead = i === 0 && current.length > 0 ? [divider] : [];
      const size = blockChars(block);
      if (
        current.length > 0 &&
        (current.length + lead.length + 1 > SLACK_LIMITS.blocksPerMessage ||
          chars + size > SLACK_LIMITS.replyText)
      ) {
        replies.push(current);
        current = [block];
        chars = size;
      } else {
        current.push(...lead, block);
        chars += size;
      }
    }
  }
  if (current.length > 0) replies.push(current);
  return replies;
}

/**
 * Refuses what must never be sent: a briefing without its Markdown or without any
 * department report is an unrendered one (a bug upstream), not an empty day.
 */
function refuseBlank(b: Briefing): void {
  if (plainText(b.markdown).length === 0 || Object.keys(b.agents ?? {}).length === 0) {
    throw new DeliveryRejectedError(
      'the briefing is empty (no Markdown or no department reports): nothing was sent to Slack',
      { companyId: b.companyId, workflowId: b.workflowId },
    );
  }
}

export function renderSlack(b: Briefing, opts: SlackRenderOptions = {}): SlackMessage {
  refuseBlank(b);
  const url = opts.briefingUrl;
  const head = briefingHead(b);
  const reports = AGENT_NAMES.flatMap((a) => (b.agents[a] ? [b.agents[a]] : []));
  const allFailed = reports.every((r) => r.status === 'failed');
  const blocks: SlackBlock[] = [];

  const prefix = 'Morning briefing: ';
  const suffix = `, ${plainText(b.briefingDate)}`;
  blocks.push({
    type: 'header',
    text: {
      type: 'plain_text',
      text: `${prefix}${plainClip(b.companyName, SLACK_LIMITS.headerText - prefix.length - suffix.length)}${suffix}`,
      emoji: false,
    },
  });

  if (allFailed) {
    blocks.push(
      section(
        `:warning: *No department data today: all ${reports.length === 6 ? 'six' : reports.length} agents failed.* ` +
          'There are no numbers below because none could be read, not because they are zero: ' +
          'check the sources (`boardroom status`) and the worker log. Each failure is in the thread.',
      ),
    );
  }

  blocks.push(
    section(`*Overall health ${b.health}/100* · department data: ${dataCounts(reports)}`),
  );

  const underTasks = alertsUnderTasks(b.priorities, b.alerts, b.risks);
  const priorityLines = head.priorities.map((p) => {
    const task = b.priorities.find((t) => t.rank === p.rank);
    const about = task ? (underTasks.get(task.id) ?? []) : [];
    const explains =
      about.length > 0
        ? ` (explains the ${about
            .slice(0, 2)
            .map((a) => `${AGENT_TITLES[a.agent]} alert on ${mrkdwn(alertTopic(a.agent, a), 60)}`)
            .join(' and the ')})`
        : '';
    const reason = p.reason ? `\n      ${mrkdwn(p.reason, REASON)}` : '';
    return `*${p.rank}. ${mrkdwn(p.title, TITLE)}* · score ${p.score} · from ${mrkdwn(p.sources.join(', '), SOURCES)}${explains}${reason}`;
  });
  blocks.push(
    section(
      [
        '*Top priorities*',
        ...(priorityLines.length ? priorityLines : ['No candidate tasks today.']),
      ].join('\n'),
    ),
  );

  const riskLines = head.risks.map((r) => {
    const start = `${SEVERITY_ICON[r.severity]} *${r.severity}* (${r.titles.length}): `;
    let line = start;
    let shown = 0;
    for (const title of r.titles) {
      const piece = (shown ? ' · ' : '') + mrkdwn(title, RISK_TITLE_IN_HEAD);
      if (shown > 0 && line.length + piece.length > SEVERITY_LINE) break;
      line += piece;
      shown++;
    }
    const more = r.titles.length - shown;
    return more > 0 ? `${line} · and ${more} more (in the thread)` : line;
  });
  if (head.notEvaluated > 0) {
    riskLines.push(`not evaluated (${head.notEvaluated}): their reasons are in the thread`);
  }
  blocks.push(
    section(
      [
        '*Risks by severity*',
        ...(riskLines.length ? riskLines : ['No cross-functional risk found.']),
      ].join('\n'),
    ),
  );

  const dates = [...new Set(head.numbers.flatMap((n) => (n.since ? [n.since] : [])))];
  const oneDate = dates.length === 1 ? dates[0] : undefined;
  if (head.numbers.length === 0) {
    blocks.push(section('*Key numbers*\nNo key numbers today.'));
  } else {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Key numbers*${oneDate ? ` (change since ${mrkdwn(oneDate, 20)})` : ''}`,
      },
      fields: head.numbers.slice(0, SLACK_LIMITS.fieldsPerSection).map((n) => {
        const since = n.since && !oneDate ? ` since ${mrkdwn(n.since, 20)}` : '';
        const trend = `${TREND_ARROW[n.trend]} ${n.spark === '–' ? '' : n.spark}`.trim();
        return {
          type: 'mrkdwn',
          text: fit(
            `*${mrkdwn(n.label, 100)}*${n.stale ? ' (stale)' : ''}\n${mrkdwn(n.value, 100)} · ${mrkdwn(n.change, 100)}${since}${trend ? ` ${trend}` : ''}`,
            SLACK_LIMITS.fieldText,
          ),
        };
      }),
    });
  }

  const thread = renderThread(b, url);
  const link = url ? slackLink(url, 'Open the full briefing') : undefined;
  blocks.push(divider);
  blocks.push(
    context([
      ...(link ? [link] : []),
      thread.length > 0
        ? `Risks, alerts, departments and the next tasks are in the thread.`
        : 'Nothing more today.',
      `run \`${mrkdwn(b.workflowId, 200).replace(/`/g, "'")}\``,
    ]),
  );

  const first = head.priorities[0];
  const critical = head.risks.find((r) => r.severity === 'critical')?.titles.length ?? 0;
  const text = mrkdwn(
    [
      `${b.companyName}, ${b.briefingDate}: health ${b.health}/100`,
      allFailed ? 'no department data today: all agents failed' : undefined,
      first ? `first priority: ${first.title}` : undefined,
      critical > 0 ? `${critical} critical risk${critical === 1 ? '' : 's'}` : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    SLACK_LIMITS.fallbackText,
  );

  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage), thread };
}

/** The details, as thread replies: risks and other alerts; departments and notes; next tasks. */
function renderThread(b: Briefing, url: string | undefined): SlackBlock[][] {
  const more = (n: number, what: string) =>
    `_… ${n} more ${what}${n === 1 ? '' : 's'} ${fullBriefing(url)}._`;
  const parts: SlackBlock[][] = [];

  // 1. Risks in detail, then the alerts no risk or priority explains.
  const details: SlackBlock[] = [];
  const alertsByKey = new Map(b.alerts.map((a) => [alertKey(a), a]));
  const risks = b.risks.slice(0, SLACK_THREAD_CAPS.risks);
  if (risks.length > 0) {
    details.push(section('*Risks*'));
    for (const r of risks) details.push(section(riskText(r, alertsByKey, b.currency)));
    if (b.risks.length > risks.length)
      details.push(section(more(b.risks.length - risks.length, 'risk')));
  }
  const underTasks = alertsUnderTasks(b.priorities, b.alerts, b.risks);
  const folded = new Set([...underTasks.values()].flat());
  const alone = unfoldedAlerts(b.alerts, b.risks).filter((a) => !folded.has(a));
  if (alone.length > 0) {
    const shown = alone.slice(0, SLACK_THREAD_CAPS.alerts);
    const lines = shown.map(
      (a) =>
        `• ${SEVERITY_ICON[a.severity]} *${a.severity}* (${AGENT_TITLES[a.agent]}) ${mrkdwn(a.message, LINE)}`,
    );
    if (alone.length > shown.length) lines.push(more(alone.length - shown.length, 'alert'));
    details.push(
      ...packSections(lines, alone.length === b.alerts.length ? '*Alerts*' : '*Other alerts*'),
    );
  }
  if (details.length > 0) parts.push(details);

  // 2. Departments, data notes, what changed.
  const departments = AGENT_NAMES.flatMap((a) => (b.agents[a] ? [b.agents[a]] : [])).map((r) => {
    const health = r.status === 'failed' ? 'n/a' : String(Math.round(r.health));
    return `• *${AGENT_TITLES[r.agent]}*: ${dataStatus(r)} · health ${health} · ${mrkdwn(departmentWhy(r), LINE)}`;
  });
  const state = packSections(departments, '*Departments*');
  const notes = [
    ...b.dataNotes,
    ...b.unevaluatedRisks.map((u) => `Not evaluated: ${u.title}: ${u.reason}`),
  ];
  if (notes.length > 0) {
    const shown = notes.slice(0, SLACK_THREAD_CAPS.notes);
    const lines = shown.map((n) => `• ${mrkdwn(n, LINE)}`);
    if (notes.length > shown.length) lines.push(more(notes.length - shown.length, 'data note'));
    state.push(...packSections(lines, '*Data notes*'));
  }
  if (b.changes.length > 0) {
    const shown = b.changes.slice(0, SLACK_THREAD_CAPS.changes);
    const lines = shown.map((c) => `• ${mrkdwn(c, LINE)}`);
    if (b.changes.length > shown.length)
      lines.push(more(b.changes.length - shown.length, 'change'));
    state.push(...packSections(lines, '*What changed*'));
  }
  parts.push(state);

  // 3. The next tasks after the top 3.
  const rest = b.tasks.slice(b.priorities.length);
  if (rest.length > 0) {
    const shown = rest.slice(0, SLACK_THREAD_CAPS.tasks);
    const lines = shown.map((t: ScoredTask) => taskLine(t));
    if (rest.length > shown.length) lines.push(more(rest.length - shown.length, 'task'));
    parts.push(packSections(lines, '*Next tasks*'));
  }
  return packReplies(parts);
}

function riskText(
  r: RiskFinding,
  alertsByKey: Map<string, Briefing['alerts'][number]>,
  currency: string,
): string {
  const folded = (r.alerts ?? []).flatMap((k) => alertsByKey.get(k) ?? []);
  const explains = folded.length > 0 ? `, explains ${explainedAlerts(folded)}` : '';
  const evidence = r.evidence
    .slice(0, 6)
    .map((e) => mrkdwn(describeEvidence(e, currency), 120))
    .join(' · ');
  return [
    `${SEVERITY_ICON[r.severity]} *${mrkdwn(r.title, TITLE)}* (${r.severity}${explains})${r.basedOnStaleData ? ' (partly on stale data)' : ''}`,
    mrkdwn(r.message, 1000),
    `Evidence: ${evidence}`,
    `Action: ${mrkdwn(r.action, REASON)}`,
  ].join('\n');
}

function taskLine(t: ScoredTask): string {
  return `${t.rank}. ${mrkdwn(t.title, TITLE)}: score ${t.score} (${factorNumbers(t)}) · from ${mrkdwn(taskSources(t), SOURCES)}`;
}
