import { describe, expect, it } from 'vitest';
import { composeBriefing, type ComposeInput } from '../../src/ceo/briefing.js';
import {
  chartSvg,
  EMAIL_RISKS,
  emailSubject,
  renderEmail,
  SUBJECT_MAX,
} from '../../src/ceo/render-email.js';
import { sparkline } from '../../src/ceo/render-html.js';
import type { Briefing, RiskFinding } from '../../src/contract/briefing.js';
import { AGENT_NAMES } from '../../src/contract/report.js';
import { DeliveryRejectedError } from '../../src/shared/errors.js';
import { reports, task } from '../helpers/reports.js';

function compose(over: Partial<ComposeInput> = {}): Briefing {
  return composeBriefing({
    companyId: 'northwind',
    companyName: 'Northwind Analytics',
    workflowId: 'briefing-northwind-2026-12-01',
    briefingDate: '2026-12-01',
    generatedAt: '2026-12-01T07:00:00.000Z',
    reports: reports({ finance: { metrics: { mrr: 15000, arr: 180000, runwayMonths: 9.7 } } }),
    founderTasks: [
      task({
        id: 'acme',
        title: 'Close Acme Corp deal ($50K ARR)',
        revenueImpact: 95,
        reason: 'on your task list',
      }),
    ],
    goals: ['revenue'],
    energy: 'medium',
    risks: { rules: [] },
    history: {
      finance: [
        { date: '2026-11-17', metrics: { mrr: 14000, runwayMonths: 10.5 } },
        { date: '2026-11-24', metrics: { mrr: 14500, runwayMonths: 10.2 } },
      ],
    },
    ...over,
  });
}

function risk(over: Partial<RiskFinding> & { id: string }): RiskFinding {
  return {
    title: `Risk ${over.id}`,
    severity: 'warning',
    message: `Something about ${over.id}`,
    evidence: [],
    action: `Act on ${over.id}`,
    basedOnStaleData: false,
    ...over,
  };
}

const allFailed = () =>
  compose({
    reports: reports(
      Object.fromEntries(
        AGENT_NAMES.map((a) => [a, { status: 'failed' as const, health: 0, healthReason: 'down' }]),
      ),
    ),
    founderTasks: [],
  });

describe('renderEmail: subject', () => {
  it('is company, date, health and the first priority', () => {
    expect(renderEmail(compose()).subject).toBe(
      'Northwind Analytics, 2026-12-01: health 80, 1. Close Acme Corp deal ($50K ARR)',
    );
  });

  it('escapes nothing but loses line breaks and control characters', () => {
    const b = compose({
      companyName: 'Evil & <Co>\r\nBcc: victim@x.example',
      founderTasks: [task({ id: 't', title: 'Pay "now"\n\x1b[31mX-Header: y', revenueImpact: 90 })],
    });
    expect(emailSubject(b)).toBe(
      'Evil & <Co> Bcc: victim@x.example, 2026-12-01: health 80, 1. Pay "now" X-Header: y',
    );
  });

  it('says so when all agents failed, and has no priority to name without one', () => {
    expect(emailSubject(allFailed())).toBe(
      'Northwind Analytics, 2026-12-01: no department data (all six agents failed)',
    );
    expect(emailSubject(compose({ founderTasks: [] }))).toBe(
      'Northwind Analytics, 2026-12-01: health 80',
    );
  });

  it(`is cut at ${SUBJECT_MAX} characters`, () => {
    const b = compose({ founderTasks: [task({ id: 'long', title: 'x'.repeat(5000) })] });
    const subject = emailSubject(b);
    expect(subject).toHaveLength(SUBJECT_MAX);
    expect(subject.endsWith('x…')).toBe(true);
  });
});

describe('renderEmail: text part', () => {
  it('is the 30-second head, then how to read the rest', () => {
    expect(renderEmail(compose()).text).toBe(
      [
        'Morning briefing: Northwind Analytics, 2026-12-01',
        'Overall health: 80/100',
        '',
        'TOP PRIORITIES',
        '1. Close Acme Corp deal ($50K ARR) (score 52, from founder)',
        '   Why: on your task list',
        '',
        'RISKS BY SEVERITY',
        'No cross-functional risk found.',
        '',
        'KEY NUMBERS (changes since 2026-11-24)',
        '- MRR: $15,000 (+$500)  ↑ ▁▅█',
        '- Runway: 9.7 months (-0.5 months)  ↓ █▅▁',
        '- ARR: $180,000 (new)  –',
        '',
        'The full briefing (departments, alerts, every task): npx boardroom briefing show briefing-northwind-2026-12-01',
        '',
        'Run briefing-northwind-2026-12-01, generated 2026-12-01T07:00:00.000Z.',
        '',
      ].join('\n'),
    );
  });

  it("names each change's date when they differ", () => {
    const b = compose();
    const keyMetrics = b.keyMetrics.map((m) =>
      m.key === 'runwayMonths' ? { ...m, previousDate: '2026-11-17' } : m,
    );
    const text = renderEmail({ ...b, keyMetrics }).text;
    expect(text).toContain(
      '\nKEY NUMBERS\n- MRR: $15,000 (+$500 since 2026-11-24)  ↑ ▁▅█\n- Runway: 9.7 months (-0.5 months since 2026-11-17)  ↓ █▅▁\n',
    );
  });

  it('lists risks by severity and the first few with their actions, and links the briefing', () => {
    const risks = [
      risk({ id: 'a', severity: 'critical', title: 'Burnout risk' }),
      ...Array.from({ length: EMAIL_RISKS + 1 }, (_, i) => risk({ id: `w${i}` })),
    ];
    const text = renderEmail(
      { ...compose(), risks },
      { briefingUrl: 'https://app.example/briefings/42' },
    ).text;
    expect(text).toContain(
      '\nRISKS BY SEVERITY\n- critical (1): Burnout risk\n- warning (6): Risk w0 · Risk w1 · Risk w2 · Risk w3 · Risk w4 · Risk w5\n',
    );
    expect(text).toContain(
      '\nRISKS AND WHAT TO DO\n' +
        '- Burnout risk (critical): Something about a\n  Action: Act on a\n' +
        '- Risk w0 (warning): Something about w0\n  Action: Act on w0\n',
    );
    expect(text).not.toContain('Risk w4 (warning)');
    expect(text).toContain('- 2 more in the full briefing.\n');
    expect(text).toContain(
      'The full briefing (departments, alerts, every task): https://app.example/briefings/42\n',
    );
  });

  it('says plainly, first, that all agents failed, with the reasons', () => {
    const text = renderEmail(allFailed()).text;
    expect(text.split('\n').slice(0, 4)).toEqual([
      'Morning briefing: Northwind Analytics, 2026-12-01',
      'Overall health: n/a',
      '',
      'No department data today: all six agents failed, so there are no figures, risks or department priorities below. The data notes say why each failed.',
    ]);
    expect(text).toContain(
      '\nDATA NOTES\n- Finance failed and has no earlier report to fall back on',
    );
    expect(renderEmail(allFailed()).html).toContain(
      'No department data today: all six agents failed',
    );
  });
});

describe('renderEmail: HTML part', () => {
  const hostile = '<script>alert(1)</script><img src="http://track.example/p.png"> & "Co" \'x\'';

  function hostileBriefing(): Briefing {
    const b = compose({
      companyName: hostile,
      founderTasks: [task({ id: 'h', title: hostile, reason: hostile, revenueImpact: 90 })],
    });
    return {
      ...b,
      risks: [risk({ id: 'h', title: hostile, message: hostile, action: hostile })],
      dataNotes: [hostile],
    };
  }

  it('escapes every data string', () => {
    const { html, text } = renderEmail(hostileBriefing());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('track.example/p.png">');
    const escaped =
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;http://track.example/p.png&quot;&gt; &amp; &quot;Co&quot; &#39;x&#39;';
    // <title>, heading, preview line, priority, reason, the risk in the head, its title,
    // message and action.
    expect(html.split(escaped).length - 1).toBe(9);
    // The text part is text: the name as it is (no markup is ever interpreted there).
    expect(text).toContain(`Morning briefing: ${hostile}, 2026-12-01`);
  });

  it('makes no external request and runs nothing: the only link is the briefing', () => {
    const url = 'https://app.example/briefings/42?x=1&y=2';
    const { html } = renderEmail(hostileBriefing(), { briefingUrl: url });
    expect(html).not.toMatch(/<script|<style|<link|<iframe|<svg|@import|url\(|javascript:/i);
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs).toEqual([
      'cid:spark-1@boardroom',
      'cid:spark-2@boardroom',
      'https://app.example/briefings/42?x=1&amp;y=2',
    ]);
  });

  it('leaves out a link that is not http(s)', () => {
    const { html, text } = renderEmail(compose(), { briefingUrl: 'javascript:alert(1)' });
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
    expect(html).toContain(
      '<code>npx boardroom briefing show briefing-northwind-2026-12-01</code>',
    );
  });

  it('is a 600px table layout with inline styles', () => {
    const { html } = renderEmail(compose());
    expect(html).toContain(
      '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:600px;',
    );
    expect(html).not.toMatch(/class=/);
    expect(html).not.toMatch(/<(div|p|span|td)(?![^>]*style=)[ >]/);
  });
});

describe('renderEmail: charts', () => {
  it("attaches each key number's sparkline, the HTML briefing's own SVG made standalone", () => {
    const b = compose();
    const { images, html } = renderEmail(b);
    expect(images.map((i) => [i.cid, i.alt])).toEqual([
      ['spark-1@boardroom', 'MRR trend: up'],
      ['spark-2@boardroom', 'Runway trend: down'],
    ]);
    const mrr = b.keyMetrics.find((m) => m.key === 'mrr')!;
    expect(images[0]!.svg).toBe(
      sparkline(mrr.series).replace(
        '<svg ',
        '<svg xmlns="http://www.w3.org/2000/svg" color="#2b6cb0" ',
      ),
    );
    expect(html).toContain(
      '<img src="cid:spark-1@boardroom" width="120" height="28" alt="MRR trend: up"',
    );
    // ARR has one point: a dash, no image.
    expect(chartSvg(b.keyMetrics.find((m) => m.key === 'arr')!.series)).toBeUndefined();
  });
});

describe('renderEmail: never blank', () => {
  it('refuses a briefing without Markdown or without its agents', () => {
    expect(() => renderEmail({ ...compose(), markdown: '  \n' })).toThrow(DeliveryRejectedError);
    expect(() => renderEmail({ ...compose(), markdown: '' })).toThrow(
      'the briefing is empty: nothing was sent',
    );
    const { finance: _finance, ...rest } = compose().agents;
    expect(() => renderEmail({ ...compose(), agents: rest as Briefing['agents'] })).toThrow(
      'the briefing is empty (no report for finance): nothing was sent',
    );
  });
});
