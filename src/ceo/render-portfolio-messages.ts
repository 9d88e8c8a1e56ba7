/**
 * The portfolio briefing as the delivery channels send it: an e-mail (the Markdown as its
 * text part, the self-contained HTML page as its HTML part), one Slack message (Block
 * Kit, within Slack's limits: the totals and what went wrong today on top, every company
 * and every risk in thread replies) and the webhook's JSON. Pure; the words and figures
 * are render-portfolio's, so every channel says what `boardroom portfolio` prints.
 *
 * Nothing empty is ever sent: a portfolio without a company is refused here as well as
 * by the workflow that would send it.
 */
import type { EmailMessage, SlackBlock, SlackMessage } from '../contract/delivery.js';
import type { Portfolio, PortfolioCompany } from '../contract/portfolio.js';
import { DeliveryRejectedError } from '../shared/errors.js';
import { formatMoney } from '../shared/money.js';
import { SEVERITY_ORDER } from './portfolio.js';
import {
  degradedText,
  mrrChangeText,
  portfolioSummary,
  renderPortfolioHtml,
  renderPortfolioMarkdown,
  riskCountsText,
  runwayText,
} from './render-portfolio.js';
import { mrkdwn, packSections, plainClip, slackLink, SLACK_LIMITS } from './render-slack.js';

export interface PortfolioMessageOptions {
  /** A company's briefing of a day in the web app (BOARDROOM_WEB_URL); without it, no links. */
  briefingUrl?: (companyId: string, date: string) => string;
}

/** Subjects stay readable in a mail list; the summary holds the rest. */
export const PORTFOLIO_SUBJECT_MAX = 200;
/** The companies on the Slack message itself; the thread lists them all. */
export const SLACK_TOP_COMPANIES = 10;

const SEVERITY_ICON = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':white_circle:',
} as const;

function refuseEmpty(p: Portfolio, channel: string): void {
  if (p.companies.length === 0)
    throw new DeliveryRejectedError(
      `the portfolio of ${p.date} has no company with a briefing: nothing was sent by ${channel}`,
      { date: p.date },
    );
}

export function portfolioSubject(p: Portfolio): string {
  const subject = `Portfolio briefing ${p.date}: ${portfolioSummary(p)}`;
  return subject.length <= PORTFOLIO_SUBJECT_MAX
    ? subject
    : `${subject.slice(0, PORTFOLIO_SUBJECT_MAX - 1)}…`;
}

export function renderPortfolioEmail(
  p: Portfolio,
  opts: PortfolioMessageOptions = {},
): EmailMessage {
  refuseEmpty(p, 'e-mail');
  const link = opts.briefingUrl;
  return {
    subject: portfolioSubject(p),
    text: renderPortfolioMarkdown(p),
    html: renderPortfolioHtml(p, link ? { links: { briefing: link } } : {}),
    images: [],
  };
}

export function renderPortfolioWebhook(p: Portfolio): { body: string } {
  refuseEmpty(p, 'webhook');
  return { body: JSON.stringify(p) };
}

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: fitSection(text) },
});

/** The last guard: built lines are short, but a section never exceeds Slack's 3,000. */
function fitSection(text: string): string {
  if (text.length <= SLACK_LIMITS.sectionText) return text;
  let cut = text.slice(0, SLACK_LIMITS.sectionText - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Blocks into replies of at most 50 blocks each. */
function replies(blocks: readonly SlackBlock[]): SlackBlock[][] {
  const out: SlackBlock[][] = [];
  for (let i = 0; i < blocks.length; i += SLACK_LIMITS.blocksPerMessage)
    out.push(blocks.slice(i, i + SLACK_LIMITS.blocksPerMessage));
  return out;
}

function companyName(
  c: Pick<PortfolioCompany, 'companyId' | 'companyName'>,
  date: string | undefined,
  opts: PortfolioMessageOptions,
): string {
  const url = date ? opts.briefingUrl?.(c.companyId, date) : undefined;
  return (url && slackLink(url, c.companyName)) || `*${mrkdwn(c.companyName, 200)}*`;
}

function companyLine(c: PortfolioCompany, opts: PortfolioMessageOptions): string {
  const money = (cents: number | null) =>
    cents === null ? 'n/a' : mrkdwn(formatMoney(cents, c.currency));
  return (
    `• ${companyName(c, c.briefingDate, opts)}: health ${Math.round(c.health)} · ` +
    `MRR ${money(c.mrrCents)} (${mrkdwn(mrrChangeText(c))}) · runway ${mrkdwn(runwayText(c))} · ` +
    `cash ${money(c.cashCents)} · risks ${riskCountsText(c.risks)}` +
    (c.current ? '' : ` · _newest briefing ${c.briefingDate}_`)
  );
}

export function renderPortfolioSlack(
  p: Portfolio,
  opts: PortfolioMessageOptions = {},
): SlackMessage {
  refuseEmpty(p, 'Slack');
  const summary = portfolioSummary(p);
  const totals = p.totals.money.map((t) => {
    const m = (cents: number | null) => (cents === null ? 'n/a' : formatMoney(cents, t.currency));
    return mrkdwn(
      `${t.currency} (${t.companies.length}): MRR ${m(t.mrrCents)} · ARR ${m(t.arrCents)} · cash ${m(t.cashCents)}`,
      600,
    );
  });
  const headcount = p.totals.headcount.value === null ? 'n/a' : String(p.totals.headcount.value);
  const newest = (id: string) => p.companies.find((c) => c.companyId === id)?.briefingDate;
  const today: string[] = [
    ...p.today.degraded.map(
      (d) =>
        `• Degraded: ${companyName(d, newest(d.companyId), opts)}: ${mrkdwn(degradedText(d), 300)}`,
    ),
    ...p.today.noBriefingToday.map(
      (s) =>
        `• No briefing today: ${companyName(s, s.briefingDate, opts)} (newest ${s.briefingDate})`,
    ),
    ...p.today.neverBriefed.map((id) => `• Never briefed: ${mrkdwn(id, 100)}`),
  ];
  const critical = p.risks.items.filter((r) => r.severity === 'critical');
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: plainClip(`Portfolio briefing · ${p.date}`, SLACK_LIMITS.headerText),
      },
    },
    section(mrkdwn(summary, 500)),
    ...packSections([...totals, `Headcount: ${headcount}`], '*Totals*'),
    ...packSections(
      today.length > 0 ? today : ['Every company has a complete briefing today.'],
      '*Today*',
    ),
    ...packSections(
      p.companies.slice(0, SLACK_TOP_COMPANIES).map((c) => companyLine(c, opts)),
      p.companies.length > SLACK_TOP_COMPANIES
        ? `*Companies* (lowest health first; all ${p.companies.length} in the thread)`
        : '*Companies* (lowest health first)',
    ),
    ...(critical.length > 0
      ? packSections(
          critical
            .slice(0, 10)
            .map(
              (r) =>
                `${SEVERITY_ICON.critical} ${companyName(r, r.briefingDate, opts)}: ${mrkdwn(r.title, 250)}`,
            ),
          `*Critical risks* (${critical.length}${critical.length > 10 ? ', all in the thread' : ''})`,
        )
      : []),
  ];
  // The top message keeps to 50 blocks whatever the data: what does not fit is in the thread.
  const top = blocks.slice(0, SLACK_LIMITS.blocksPerMessage);
  const thread: SlackBlock[] = [
    ...(p.companies.length > SLACK_TOP_COMPANIES
      ? packSections(
          p.companies.map((c) => companyLine(c, opts)),
          '*Every company*',
        )
      : []),
    ...SEVERITY_ORDER.flatMap((severity) => {
      const risks = p.risks.items.filter((r) => r.severity === severity);
      return risks.length === 0
        ? []
        : packSections(
            risks.map(
              (r) =>
                `${SEVERITY_ICON[severity]} ${companyName(r, r.briefingDate, opts)}: ${mrkdwn(r.title, 250)}. ${mrkdwn(r.message, 600)}`,
            ),
            `*${severity} risks* (${risks.length})`,
          );
    }),
  ];
  return {
    text: plainClip(`Portfolio briefing ${p.date}: ${summary}`, SLACK_LIMITS.fallbackText),
    blocks: top,
    thread: replies(thread),
  };
}
