/**
 * The portfolio as the channels send it: Slack's Block Kit limits kept whatever the data
 * (300 companies with long, hostile names and risks), every company and risk still there
 * in the thread; the e-mail's subject, text and links; the webhook's JSON; and nothing
 * empty ever rendered or sent.
 */
import { describe, expect, it } from 'vitest';
import type { KeyMetric, RiskFinding } from '../../src/contract/briefing.js';
import type { SlackBlock } from '../../src/contract/delivery.js';
import { Portfolio } from '../../src/contract/portfolio.js';
import { composePortfolio, type PortfolioInput } from '../../src/ceo/portfolio.js';
import {
  PORTFOLIO_SUBJECT_MAX,
  renderPortfolioEmail,
  renderPortfolioSlack,
  renderPortfolioWebhook,
} from '../../src/ceo/render-portfolio-messages.js';
import { SLACK_LIMITS } from '../../src/ceo/render-slack.js';
import { webhookChannel } from '../../src/delivery/webhook.js';
import { DeliveryRejectedError } from '../../src/shared/errors.js';
import { blockKitError } from '../fakes/slack-server.js';
import { visibleText } from '../delivery/slack-fixture.js';

const DATE = '2026-11-02';

function km(agent: KeyMetric['agent'], key: string, value: number): KeyMetric {
  return { agent, key, label: key, unit: 'money', value, stale: false, series: [] };
}

function input(i: number, name: string, risks: RiskFinding[] = []): PortfolioInput {
  return {
    id: i,
    workflowId: `wf-${i}`,
    outcome: i % 7 === 0 ? 'degraded' : 'complete',
    staleAgents: i % 7 === 0 ? ['sales'] : [],
    failedAgents: [],
    head: {
      companyId: `co-${i}`,
      companyName: name,
      currency: i % 3 === 0 ? 'EUR' : 'USD',
      briefingDate: i % 11 === 0 ? '2026-11-01' : DATE,
      health: 40 + (i % 60),
      risks,
      keyMetrics: [km('finance', 'mrr', 1000 + i), km('finance', 'arr', (1000 + i) * 12)],
      cash: { cents: 100_000_00 + i, stale: false },
    },
  };
}

const long = (n: number) => 'x'.repeat(n);

function risk(i: number, severity: RiskFinding['severity']): RiskFinding {
  return {
    id: `r-${i}-${severity}`,
    title: `Risk <!channel> & ${long(2000)}`,
    severity,
    message: `Message ${long(5000)}`,
    evidence: [],
    action: 'Act',
    basedOnStaleData: false,
  };
}

const big = Portfolio.parse(
  composePortfolio(
    Array.from({ length: 300 }, (_, i) =>
      input(i + 1, `Company ${i + 1} <!channel> & ${long(300)}`, [
        risk(i, 'critical'),
        risk(i, 'warning'),
        risk(i, 'info'),
      ]),
    ),
    { date: DATE, expected: ['never-1'] },
  ),
);
const small = Portfolio.parse(
  composePortfolio([input(1, 'Acme Corp'), input(2, 'Beta & Co')], { date: DATE }),
);
const empty = Portfolio.parse(composePortfolio([], { date: DATE }));

function texts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((b) => {
    const t = (b.text as { text?: string } | undefined)?.text;
    return t === undefined ? [] : [t];
  });
}

describe('renderPortfolioSlack', () => {
  it("keeps Slack's limits with 300 companies and 900 long risks; everything is in the thread", () => {
    const m = renderPortfolioSlack(big, { briefingUrl: (id, d) => `https://b.example/${id}/${d}` });
    expect(blockKitError(m.blocks)).toBeUndefined();
    for (const reply of m.thread) expect(blockKitError(reply)).toBeUndefined();
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    for (const t of [...texts(m.blocks), ...m.thread.flatMap(texts)])
      expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    // No mention or link smuggled in by a name or a title.
    const all = [m.text, ...texts(m.blocks), ...m.thread.flatMap(texts)].join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).toContain('&lt;!channel&gt; &amp;');
    // The top message names at most ten companies; the thread every one of them, and every risk.
    const thread = m.thread.flatMap(texts).join('\n');
    for (const c of big.companies) expect(thread).toContain(`https://b.example/${c.companyId}/`);
    expect(thread.match(/:red_circle:/g)).toHaveLength(300);
    expect(thread.match(/:large_orange_circle:/g)).toHaveLength(300);
    expect(thread.match(/:white_circle:/g)).toHaveLength(300);
  });

  it('a small portfolio: header, summary, totals per currency, today, the companies', () => {
    const m = renderPortfolioSlack(small);
    expect(m.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: `Portfolio briefing · ${DATE}` },
    });
    const text = visibleText({ text: m.text, blocks: m.blocks });
    expect(text).toContain('USD (2): MRR $2,003 · ARR $24,036 · cash $200,000.03');
    expect(text).toContain('*Beta &amp; Co*');
    expect(text).toContain('Every company has a complete briefing today.');
    expect(m.thread).toEqual([]);
  });
});

describe('renderPortfolioEmail and renderPortfolioWebhook', () => {
  it('the subject fits, the text is the Markdown, the HTML links each company', () => {
    const m = renderPortfolioEmail(big, { briefingUrl: (id, d) => `https://b.example/${id}/${d}` });
    expect(m.subject.length).toBeLessThanOrEqual(PORTFOLIO_SUBJECT_MAX);
    expect(m.subject).toMatch(/^Portfolio briefing 2026-11-02: 300 companies · /);
    expect(m.text.startsWith(`# Portfolio briefing: ${DATE}\n`)).toBe(true);
    expect(m.html).toContain('<a href="https://b.example/co-1/2026-11-02">');
    expect(m.html).not.toContain('<script');
    expect(m.images).toEqual([]);
    expect(Portfolio.parse(JSON.parse(renderPortfolioWebhook(small).body))).toEqual(small);
  });

  it('nothing empty: every renderer refuses a portfolio without a company, and so does the webhook', async () => {
    expect(() => renderPortfolioEmail(empty)).toThrow(DeliveryRejectedError);
    expect(() => renderPortfolioSlack(empty)).toThrow(
      `the portfolio of ${DATE} has no company with a briefing: nothing was sent by Slack`,
    );
    expect(() => renderPortfolioWebhook(empty)).toThrow(DeliveryRejectedError);
    // The channel's own guard, before any request (no URL or secret is even read).
    await expect(
      webhookChannel.send(
        { body: JSON.stringify(empty) },
        { url_env: 'NOWHERE_URL', secret_env: 'NOWHERE_SECRET' },
        { deliveryId: 'portfolio:2026-11-02:webhook', env: {} },
      ),
    ).rejects.toThrow('the portfolio is empty: it has no company');
  });
});
