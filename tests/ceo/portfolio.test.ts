/**
 * The portfolio briefing, composed and rendered from hand-made briefing heads: exact
 * cents, totals per currency, today's gaps and the risks across companies.
 */
import { describe, expect, it } from 'vitest';
import type { KeyMetric, RiskFinding } from '../../src/contract/briefing.js';
import { Portfolio } from '../../src/contract/portfolio.js';
import type { Severity } from '../../src/contract/report.js';
import { composePortfolio, type PortfolioInput } from '../../src/ceo/portfolio.js';
import {
  mrrChangeText,
  renderPortfolioHtml,
  renderPortfolioMarkdown,
  runwayText,
} from '../../src/ceo/render-portfolio.js';

const DATE = '2026-11-02';

function km(
  agent: KeyMetric['agent'],
  key: string,
  unit: KeyMetric['unit'],
  value: number | null,
  extra: Partial<KeyMetric> = {},
): KeyMetric {
  return { agent, key, label: key, unit, value, stale: false, series: [], ...extra };
}

function risk(id: string, severity: Severity, title: string, stale = false): RiskFinding {
  return {
    id,
    title,
    severity,
    message: `${title} message`,
    evidence: [],
    action: `Act on ${id}`,
    basedOnStaleData: stale,
  };
}

function input(
  o: Partial<Omit<PortfolioInput, 'head'>> & {
    head: Partial<PortfolioInput['head']> & { companyId: string };
  },
): PortfolioInput {
  return {
    id: o.id ?? 1,
    workflowId: o.workflowId ?? `wf-${o.head.companyId}`,
    outcome: o.outcome ?? 'complete',
    staleAgents: o.staleAgents ?? [],
    failedAgents: o.failedAgents ?? [],
    head: {
      companyName: o.head.companyId,
      currency: 'USD',
      briefingDate: DATE,
      health: 80,
      risks: [],
      keyMetrics: [],
      ...o.head,
    },
  };
}

/** Acme (USD, degraded today), Beta (USD, yesterday's briefing), Gamma (EUR, a zone ahead). */
const INPUTS: PortfolioInput[] = [
  input({
    id: 11,
    outcome: 'degraded',
    staleAgents: ['sales'],
    failedAgents: ['marketing'],
    head: {
      companyId: 'acme',
      companyName: 'Acme Corp',
      health: 72,
      risks: [
        risk('runway-short', 'critical', 'Runway short'),
        risk('pipeline', 'warning', 'Thin pipeline'),
      ],
      keyMetrics: [
        km('finance', 'mrr', 'money', 15000.5, {
          previous: 14500.25,
          previousDate: '2026-11-01',
          change: 500.25,
        }),
        km('finance', 'arr', 'money', 180006),
        km('finance', 'runwayMonths', 'months', 9.7),
        km('finance', 'netBurn', 'money', 5000),
        km('hr', 'headcount', 'count', 12),
      ],
      cash: { cents: 135000075, stale: false },
    },
  }),
  input({
    id: 7,
    head: {
      companyId: 'beta',
      companyName: 'Beta Ltd',
      health: 85,
      briefingDate: '2026-11-01',
      risks: [risk('churn', 'warning', 'Churn rising', true)],
      keyMetrics: [
        km('finance', 'mrr', 'money', 10000),
        km('finance', 'arr', 'money', 120000),
        km('finance', 'runwayMonths', 'months', null),
        km('finance', 'netBurn', 'money', -200),
        km('hr', 'headcount', 'count', 8),
      ],
      cash: { cents: 50000000, stale: true },
    },
  }),
  input({
    id: 23,
    outcome: 'degraded',
    failedAgents: ['hr'],
    head: {
      companyId: 'gamma',
      companyName: 'Gamma GmbH',
      currency: 'EUR',
      health: 60,
      briefingDate: '2026-11-03',
      risks: [risk('nps', 'info', 'NPS dipped')],
      keyMetrics: [
        km('finance', 'mrr', 'money', 8000, {
          previous: 8200,
          previousDate: '2026-11-02',
          change: -200,
          stale: true,
        }),
        km('finance', 'arr', 'money', 96000, { stale: true }),
        km('finance', 'runwayMonths', 'months', null, { stale: true }),
        km('finance', 'netBurn', 'money', null, { stale: true }),
      ],
    },
  }),
];

describe('composePortfolio', () => {
  const p = composePortfolio(INPUTS, { date: DATE });

  it('lists each company, lowest health first, with exact cents and the briefing they come from', () => {
    expect(Portfolio.parse(p)).toEqual(p);
    expect(p.companies.map((c) => c.companyId)).toEqual(['gamma', 'acme', 'beta']);
    expect(p.companies[1]).toEqual({
      companyId: 'acme',
      companyName: 'Acme Corp',
      currency: 'USD',
      briefingId: 11,
      workflowId: 'wf-acme',
      briefingDate: DATE,
      current: true,
      health: 72,
      outcome: 'degraded',
      staleAgents: ['sales'],
      failedAgents: ['marketing'],
      mrrCents: 1500050,
      previousMrrCents: 1450025,
      previousDate: '2026-11-01',
      mrrChangeCents: 50025,
      arrCents: 18000600,
      cashCents: 135000075,
      runwayMonths: 9.7,
      notBurning: false,
      headcount: 12,
      risks: { critical: 1, warning: 1, info: 0 },
      staleFigures: [],
    });
    const beta = p.companies[2]!;
    expect([beta.current, beta.mrrChangeCents, beta.previousMrrCents, beta.runwayMonths]).toEqual([
      false,
      undefined,
      undefined,
      null,
    ]);
    expect([beta.notBurning, beta.cashCents, beta.staleFigures]).toEqual([
      true,
      50000000,
      ['cash'],
    ]);
    const gamma = p.companies[0]!;
    // Dated the day after the portfolio's: a zone ahead of UTC, current all the same.
    expect([gamma.current, gamma.mrrChangeCents, gamma.cashCents, gamma.headcount]).toEqual([
      true,
      -20000,
      null,
      null,
    ]);
    expect([gamma.notBurning, gamma.staleFigures]).toEqual([false, ['mrr', 'arr', 'runway']]);
  });

  it('totals per currency, never across them, naming what each total leaves out', () => {
    expect(p.totals).toEqual({
      companies: 3,
      money: [
        {
          currency: 'EUR',
          companies: ['gamma'],
          olderBriefings: [],
          mrrCents: 800000,
          mrrChangeCents: -20000,
          arrCents: 9600000,
          cashCents: null,
          missing: { mrr: [], mrrChange: [], arr: [], cash: ['gamma'] },
        },
        {
          currency: 'USD',
          companies: ['acme', 'beta'],
          olderBriefings: ['beta'],
          mrrCents: 2500050,
          mrrChangeCents: 50025,
          arrCents: 30000600,
          cashCents: 185000075,
          missing: { mrr: [], mrrChange: ['beta'], arr: [], cash: [] },
        },
      ],
      headcount: { value: 20, missing: ['gamma'] },
    });
  });

  it("today: who has no briefing today, who was never briefed, and today's degraded runs", () => {
    const withExpected = composePortfolio(INPUTS, {
      date: DATE,
      expected: ['zeta', 'acme', 'zeta'],
    });
    expect(withExpected.today).toEqual({
      current: ['gamma', 'acme'],
      noBriefingToday: [{ companyId: 'beta', companyName: 'Beta Ltd', briefingDate: '2026-11-01' }],
      neverBriefed: ['zeta'],
      degraded: [
        { companyId: 'gamma', companyName: 'Gamma GmbH', staleAgents: [], failedAgents: ['hr'] },
        {
          companyId: 'acme',
          companyName: 'Acme Corp',
          staleAgents: ['sales'],
          failedAgents: ['marketing'],
        },
      ],
    });
    // A degraded briefing of an earlier day is "no briefing today", not "degraded today".
    const old = composePortfolio(INPUTS, { date: '2026-11-04' });
    expect(old.today.degraded).toEqual([]);
    expect(old.today.noBriefingToday.map((s) => s.companyId)).toEqual(['gamma', 'acme', 'beta']);
  });

  it('counts the risks by severity and lists each with its company, critical first', () => {
    expect(p.risks.counts).toEqual({ critical: 1, warning: 2, info: 1 });
    expect(p.risks.items.map((r) => [r.severity, r.companyId, r.riskId, r.briefingDate])).toEqual([
      ['critical', 'acme', 'runway-short', DATE],
      ['warning', 'acme', 'pipeline', DATE],
      ['warning', 'beta', 'churn', '2026-11-01'],
      ['info', 'gamma', 'nps', '2026-11-03'],
    ]);
    expect(p.risks.items[2]).toEqual({
      severity: 'warning',
      companyId: 'beta',
      companyName: 'Beta Ltd',
      briefingDate: '2026-11-01',
      riskId: 'churn',
      title: 'Churn rising',
      message: 'Churn rising message',
      action: 'Act on churn',
      basedOnStaleData: true,
    });
  });

  it('a figure nobody reported totals to null; two briefings of one company are refused', () => {
    const bare = composePortfolio([input({ head: { companyId: 'solo' } })], { date: DATE });
    expect(bare.totals.money[0]).toMatchObject({ mrrCents: null, arrCents: null, cashCents: null });
    expect(bare.totals.headcount).toEqual({ value: null, missing: ['solo'] });
    expect(bare.risks).toEqual({ counts: { critical: 0, warning: 0, info: 0 }, items: [] });
    expect(() =>
      composePortfolio(
        [input({ head: { companyId: 'x' } }), input({ id: 2, head: { companyId: 'x' } })],
        {
          date: DATE,
        },
      ),
    ).toThrow('composePortfolio: two briefings of company "x"');
  });
});

describe('renderPortfolioMarkdown', () => {
  it('says totals, today, every company and the risks, in that order', () => {
    expect(renderPortfolioMarkdown(composePortfolio(INPUTS, { date: DATE }))).toBe(
      [
        '# Portfolio briefing: 2026-11-02',
        '',
        '3 companies · 2 briefed today · 2 degraded · risks: 1 critical, 2 warning, 1 info',
        '',
        '## Totals',
        '',
        '| Currency | Companies | MRR | MRR change | ARR | Cash |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        '| EUR | 1 | €8,000 | -€200 | €96,000 | n/a |',
        '| USD | 2 | $25,000.50 | +$500.25 | $300,006 | $1,850,000.75 |',
        '',
        'Headcount: 20 across 2 companies; leaves out Gamma GmbH (not reported).',
        '',
        '- EUR cash leaves out Gamma GmbH (not reported).',
        '- USD MRR change leaves out Beta Ltd (no earlier MRR).',
        '- USD counts Beta Ltd as of an older briefing (none today).',
        '',
        '## Today',
        '',
        '- **No briefing today:** Beta Ltd (newest 2026-11-01)',
        '- **Degraded:** Gamma GmbH: hr failed',
        '- **Degraded:** Acme Corp: sales stale, marketing failed',
        '',
        '## Companies',
        '',
        '| Company | Health | MRR | MRR change | Runway | Cash | Headcount | Risks | Briefing |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
        '| Gamma GmbH | 60 | €8,000 (stale) | -€200 | n/a (stale) | n/a | n/a | 1 info | #23, 2026-11-03 `wf-gamma` |',
        '| Acme Corp | 72 | $15,000.50 | +$500.25 | 9.7 months | $1,350,000.75 | 12 | 1 critical, 1 warning | #11, 2026-11-02 `wf-acme` |',
        '| Beta Ltd | 85 | $10,000 | new | not burning | $500,000 (stale) | 8 | 1 warning | #7, 2026-11-01 (no briefing today) `wf-beta` |',
        '',
        '## Risks across the portfolio',
        '',
        '1 critical, 2 warning, 1 info.',
        '',
        '### Critical',
        '',
        '- **Acme Corp**: Runway short. Runway short message',
        '',
        '### Warning',
        '',
        '- **Acme Corp**: Thin pipeline. Thin pipeline message',
        '- **Beta Ltd**: Churn rising. Churn rising message (from the briefing of 2026-11-01, on stale data)',
        '',
        '### Info',
        '',
        '- **Gamma GmbH**: NPS dipped. NPS dipped message',
        '',
      ].join('\n'),
    );
  });

  it('escapes what comes from data and says when nothing went wrong', () => {
    const md = renderPortfolioMarkdown(
      composePortfolio(
        [input({ head: { companyId: 'evil', companyName: 'Evil | *Co* <b>\x1b[2J' } })],
        {
          date: DATE,
        },
      ),
    );
    expect(md).toContain('| Evil \\| \\*Co\\* \\<b\\> | 80 | n/a | n/a | n/a | n/a | n/a | none |');
    expect(md).toContain('- Every company has a complete briefing today.');
    expect(md).toContain('No risks across the portfolio.');
    expect(md).not.toContain('\x1b');
  });

  it('formats changes and runway as people read them', () => {
    expect(mrrChangeText({ mrrCents: 100, mrrChangeCents: 0, currency: 'USD' })).toBe('no change');
    expect(mrrChangeText({ mrrCents: null, currency: 'USD' })).toBe('n/a');
    expect(mrrChangeText({ mrrCents: 100, mrrChangeCents: -123456, currency: 'EUR' })).toBe(
      '-€1,234.56',
    );
    expect(runwayText({ runwayMonths: 12, notBurning: false })).toBe('12 months');
    expect(runwayText({ runwayMonths: null, notBurning: false })).toBe('n/a');
  });
});

describe('renderPortfolioHtml', () => {
  const p = composePortfolio(INPUTS, { date: DATE });

  it('is one self-contained page: inline styles, no script, no external request', () => {
    const html = renderPortfolioHtml(p);
    expect(html.startsWith('<!doctype html>\n')).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
    expect(html).toContain('<title>Portfolio briefing, 2026-11-02</title>');
    expect(html.endsWith('</main></body></html>\n')).toBe(true);
    expect(html).not.toMatch(/<script|src=|href=/i);
    expect(html).toContain(
      '<tr><td>USD</td><td class="num">2</td><td class="num">$25,000.50</td><td class="num">+$500.25</td>' +
        '<td class="num">$300,006</td><td class="num">$1,850,000.75</td></tr>',
    );
    expect(html).toContain(
      '<tr><td>Acme Corp</td><td class="num health fair">72</td><td class="num">$15,000.50</td>' +
        '<td class="num">+$500.25</td><td class="num">9.7 months</td><td class="num">$1,350,000.75</td>' +
        '<td class="num">12</td><td><span class="badge crit">1 critical</span><span class="badge warn">1 warning</span></td>' +
        '<td>#11, 2026-11-02 <code>wf-acme</code></td></tr>',
    );
    expect(html).toContain(
      '<li><strong>No briefing today:</strong> Beta Ltd (newest 2026-11-01)</li>',
    );
    expect(html).toContain(
      '<li class="risk"><span class="badge warn">warning</span><strong>Beta Ltd</strong>: Churn rising. ' +
        'Churn rising message (from the briefing of 2026-11-01, on stale data)</li>',
    );
  });

  it('escapes data, and as a fragment brings no document of its own', () => {
    const evil = composePortfolio(
      [input({ head: { companyId: 'e', companyName: '<script>alert("x")</script>' } })],
      { date: DATE },
    );
    const html = renderPortfolioHtml(evil, { fragment: true });
    expect(html.startsWith('<h1>Portfolio briefing</h1>\n')).toBe(true);
    expect(html).not.toMatch(/<script|<html|<\/main>/);
    expect(html).toContain('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>');
  });
});
