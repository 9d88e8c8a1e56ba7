import { describe, expect, it } from 'vitest';
import type { Briefing, RiskFinding } from '../../src/contract/briefing.js';
import type { SlackBlock } from '../../src/contract/delivery.js';
import { composeBriefing, type ComposeInput } from '../../src/ceo/briefing.js';
import {
  mrkdwn,
  plainClip,
  renderSlack,
  SLACK_THREAD_CAPS,
  slackLink,
} from '../../src/ceo/render-slack.js';
import { DeliveryRejectedError } from '../../src/shared/errors.js';
import { blockKitError } from '../fakes/slack-server.js';
import { report, reports, task } from '../helpers/reports.js';

function compose(over: Partial<ComposeInput> = {}): Briefing {
  return composeBriefing({
    companyId: 'acme',
    companyName: 'Acme <Test> & Co',
    workflowId: 'wf-1',
    briefingDate: '2026-11-26',
    generatedAt: '2026-11-26T12:00:00.000Z',
    reports: reports({
      finance: {
        metrics: { mrr: 15000, arr: 180000 },
        alerts: [
          {
            id: 'runway',
            severity: 'critical',
            message: 'Runway <3 months',
            metric: 'runwayMonths',
            value: 2,
            threshold: 3,
          },
        ],
      },
    }),
    founderTasks: [
      task({ id: 'a', title: 'Close Acme deal', revenueImpact: 95, urgency: 80 }),
      task({ id: 'b', title: 'B' }),
      task({ id: 'c', title: 'C' }),
      task({ id: 'd', title: 'D' }),
    ],
    goals: ['revenue'],
    energy: 'medium',
    risks: { rules: [] },
    history: { finance: [{ date: '2026-11-25', metrics: { mrr: 14500 } }] },
    ...over,
  });
}

const texts = (blocks: SlackBlock[]) =>
  blocks.map((b) => (b.text as { text: string } | undefined)?.text);

describe('renderSlack', () => {
  it('puts the 30-second head in one message, escaped, with the link and the fallback text', () => {
    const m = renderSlack(compose(), { briefingUrl: 'https://app.example/b/1?x=1&y=2' });
    expect(m.text).toBe(
      'Acme &lt;Test&gt; &amp; Co, 2026-11-26: health 80/100 · first priority: Close Acme deal',
    );
    expect(m.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'Morning briefing: Acme <Test> & Co, 2026-11-26',
        emoji: false,
      },
    });
    expect(texts(m.blocks).slice(1, 5)).toEqual([
      '*Overall health 80/100* · department data: 6 current',
      '*Top priorities*\n*1. Close Acme deal* · score 69.5 · from founder\n*2. B* · score 14 · from founder\n*3. C* · score 14 · from founder',
      '*Risks by severity*\nNo cross-functional risk found.',
      '*Key numbers* (change since 2026-11-25)',
    ]);
    expect(m.blocks[4]!.fields).toEqual([
      { type: 'mrkdwn', text: '*MRR*\n$15,000 · +$500 ↑ ▁█' },
      { type: 'mrkdwn', text: '*ARR*\n$180,000 · new' },
    ]);
    expect(m.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: '<https://app.example/b/1?x=1&amp;y=2|Open the full briefing>' },
        {
          type: 'mrkdwn',
          text: 'Risks, alerts, departments and the next tasks are in the thread.',
        },
        { type: 'mrkdwn', text: 'run `wf-1`' },
      ],
    });
  });

  it('puts the details in one thread reply: alerts, departments, what changed, next tasks', () => {
    const m = renderSlack(compose());
    expect(m.thread).toHaveLength(1);
    expect(m.thread[0]!.map((b) => b.type)).toEqual([
      'section',
      'divider',
      'section',
      'section',
      'divider',
      'section',
    ]);
    const [alerts, , departments, changes, , next] = texts(m.thread[0]!);
    expect(alerts).toBe('*Alerts*\n• :red_circle: *critical* (Finance) Runway &lt;3 months');
    expect(departments!.split('\n').slice(0, 2)).toEqual([
      '*Departments*',
      '• *Finance*: current · health 80 · 1 critical: runway',
    ]);
    expect(changes).toBe(
      '*What changed*\n• First briefing for this company: nothing to compare with yet.',
    );
    expect(next).toBe(
      '*Next tasks*\n4. D: score 14 (revenue 0 · urgency 10 · energy 50 · strategy 20) · from founder',
    );
  });

  it('escapes mentions and links that data tries to bring', () => {
    const m = renderSlack(
      compose({
        companyName: '<!channel> Evil',
        founderTasks: [task({ id: 'a', title: '<http://evil.example|Pay invoice> & <@U123>' })],
      }),
    );
    expect(texts(m.blocks)[2]).toContain(
      '*1. &lt;http://evil.example|Pay invoice&gt; &amp; &lt;@U123&gt;*',
    );
    expect(m.text).toContain('&lt;!channel&gt; Evil');
    // The header is plain_text, which Slack shows as written (no mentions, no links).
    expect((m.blocks[0]!.text as { type: string }).type).toBe('plain_text');
    const mrkdwnParts = JSON.stringify({ ...m, blocks: m.blocks.slice(1) });
    expect(mrkdwnParts).not.toMatch(/<!channel>|<http:\/\/evil|<@U123>/);
  });

  it('says plainly at the top when every agent failed, and still renders', () => {
    const failed = Object.fromEntries(
      Object.entries(reports()).map(([a]) => [
        a,
        report(a as never, {
          status: 'failed',
          health: 0,
          healthReason: `${a} source unreachable`,
          error: 'ECONNREFUSED',
        }),
      ]),
    ) as ReturnType<typeof reports>;
    const m = renderSlack(compose({ reports: failed, founderTasks: [] }));
    expect(texts(m.blocks)[1]).toBe(
      ':warning: *No department data today: all six agents failed.* There are no numbers below ' +
        'because none could be read, not because they are zero: check the sources (`boardroom ' +
        'status`) and the worker log. Each failure is in the thread.',
    );
    expect(m.text).toContain('no department data today: all agents failed');
    expect(texts(m.thread[0]!)[0]).toContain(
      '• *Finance*: failed · health n/a · finance source unreachable',
    );
  });

  it('refuses an empty or unrendered briefing', () => {
    expect(() => renderSlack({ ...compose(), markdown: '  \n' })).toThrow(DeliveryRejectedError);
    expect(() => renderSlack({ ...compose(), agents: {} as Briefing['agents'] })).toThrow(
      'the briefing is empty',
    );
  });

  it('stays within every Slack limit for a huge briefing (hundreds of tasks and alerts, 10k-character names)', () => {
    const huge = 'N&<'.repeat(3334); // 10,002 characters, each & and < 4-5 once escaped
    const alerts = Array.from({ length: 500 }, (_, i) => ({
      id: `a${i}`,
      severity: (['critical', 'warning', 'info'] as const)[i % 3]!,
      message: `${i} ${huge}`,
      metric: `m${i}`,
      value: i,
      threshold: 0,
    }));
    const b = compose({
      companyName: huge,
      reports: reports({
        finance: { metrics: { mrr: 15000 }, alerts },
        sales: { healthReason: huge },
      }),
      founderTasks: Array.from({ length: 400 }, (_, i) =>
        task({ id: `t${i}`, title: `${i} ${huge}`, reason: huge, revenueImpact: 100 - (i % 100) }),
      ),
    });
    const risks: RiskFinding[] = Array.from({ length: 60 }, (_, i) => ({
      id: `r${i}`,
      title: `${i} ${huge}`,
      severity: i % 2 ? 'warning' : 'critical',
      message: huge,
      evidence: Array.from({ length: 12 }, () => ({
        agent: 'finance' as const,
        metric: huge,
        value: 1,
        stale: false,
      })),
      action: huge,
      basedOnStaleData: false,
    }));
    const big: Briefing = {
      ...b,
      risks,
      dataNotes: Array.from({ length: 50 }, () => huge),
      changes: Array.from({ length: 50 }, () => huge),
    };
    const m = renderSlack(big, { briefingUrl: 'https://app.example/b/1' });

    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitError(m.blocks)).toBeUndefined();
    for (const reply of m.thread) expect(blockKitError(reply)).toBeUndefined();
    expect((m.blocks[0]!.text as { text: string }).text).toHaveLength(150);
    expect(m.text.length).toBeLessThanOrEqual(1000);
    // Everything but the plain_text header is mrkdwn.
    const all = JSON.stringify({ ...m, blocks: m.blocks.slice(1) });
    // The only `<` left are the template's own links, all to the briefing.
    const links = all.match(/<[^<>]*>/g) ?? [];
    expect(all.split('<').length - 1).toBe(links.length);
    expect(new Set(links.map((l) => l.split('|')[0]))).toEqual(
      new Set(['<https://app.example/b/1']),
    );
    expect(all).toContain(
      `… ${risks.length - SLACK_THREAD_CAPS.risks} more risks in the <https://app.example/b/1|full briefing>`,
    );
    expect(all).toContain(`… ${400 - 3 - SLACK_THREAD_CAPS.tasks} more tasks`);
    expect(all).toContain(`… ${500 - SLACK_THREAD_CAPS.alerts} more alerts`);
    expect(texts(m.blocks)[3]).toMatch(
      /^\*Risks by severity\*\n:red_circle: \*critical\* \(30\): .* · and 2\d more \(in the thread\)\n/,
    );
    // The caps bound the thread too: a few readable replies, not hundreds.
    expect(m.thread.length).toBeLessThanOrEqual(10);
    // Figures for the report: how big the message and its thread get.
    console.log(
      `huge briefing: ${m.blocks.length} blocks, ${m.thread.length} replies of ${m.thread.map((r) => r.length).join('/')} blocks, ` +
        `${JSON.stringify(m.blocks).length} + ${m.thread.map((r) => JSON.stringify(r).length).join(' + ')} JSON characters`,
    );
  });
});

describe('mrkdwn and plainClip', () => {
  it('escape, then cut on a code point within the budget, never inside an entity', () => {
    expect(mrkdwn('a & b <c>')).toBe('a &amp; b &lt;c&gt;');
    expect(mrkdwn('a&b', 5)).toBe('a…');
    expect(mrkdwn('a&b', 7)).toBe('a&amp;b');
    expect(mrkdwn('😀😀😀', 4)).toBe('😀…');
    expect(mrkdwn('line\none\x1b[31m')).toBe('line one');
    expect(plainClip('abcdef', 4)).toBe('abc…');
    expect(plainClip('a<b', 10)).toBe('a<b');
  });
});

describe('slackLink', () => {
  it('encodes what would end the link, refuses other schemes', () => {
    expect(slackLink('https://x.example/a|b>c d?q=1&r=2', 'Open <it>')).toBe(
      '<https://x.example/a%7Cb%3Ec%20d?q=1&amp;r=2|Open &lt;it&gt;>',
    );
    expect(slackLink('javascript:alert(1)', 'x')).toBeUndefined();
    expect(slackLink('not a url', 'x')).toBeUndefined();
  });
});
