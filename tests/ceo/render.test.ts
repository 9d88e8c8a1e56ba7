import { describe, expect, it } from 'vitest';
import { composeBriefing, type ComposeInput } from '../../src/ceo/briefing.js';
import { escapeHtml, renderHtml, sparkline } from '../../src/ceo/render-html.js';
import { reports, task } from '../helpers/reports.js';

function compose(over: Partial<ComposeInput> = {}) {
  return composeBriefing({
    companyId: 'acme',
    companyName: 'Acme <Test> & Co',
    workflowId: 'wf-1',
    briefingDate: '2026-11-26',
    generatedAt: '2026-11-26T12:00:00.000Z',
    reports: reports({ finance: { metrics: { mrr: 15000, arr: 180000 } } }),
    founderTasks: [],
    goals: ['revenue'],
    energy: 'medium',
    risks: { rules: [] },
    ...over,
  });
}

describe('renderHtml', () => {
  it('escapes every piece of user-provided text', () => {
    const b = compose({
      founderTasks: [
        task({
          id: 'x',
          title: '<script>alert(1)</script>',
          reason: 'a "quoted" <b>reason</b>',
          revenueImpact: 100,
        }),
      ],
    });
    const html = renderHtml(b);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;quoted&quot; &lt;b&gt;reason&lt;/b&gt;');
    expect(html).toContain('<h1>Morning briefing: Acme &lt;Test&gt; &amp; Co</h1>');
  });

  it('is self-contained: no scripts, no external requests, a CSP that forbids them', () => {
    const html = renderHtml(compose());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`,
    );
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('draws a sparkline per key metric with history, a dash without', () => {
    const b = compose({
      history: {
        finance: [
          { date: '2026-11-24', metrics: { mrr: 14000 } },
          { date: '2026-11-25', metrics: { mrr: 14500 } },
        ],
      },
    });
    const html = renderHtml(b);
    expect(html).toContain('points="2.0,26.0 60.0,14.0 118.0,2.0"'); // 14000 -> 14500 -> 15000
    expect(html).toContain('+$500 since 2026-11-25');
    expect(html).toContain('<span class="muted">–</span>'); // ARR has no history
  });
});

describe('sparkline', () => {
  it('scales the series into the box, oldest on the left', () => {
    expect(
      sparkline(
        [
          { date: '2026-11-01', value: 10 },
          { date: '2026-11-02', value: 20 },
          { date: '2026-11-03', value: null },
          { date: '2026-11-04', value: 15 },
        ],
        100,
        20,
      ),
    ).toContain('points="2.0,18.0 50.0,2.0 98.0,10.0"');
  });

  it('draws a flat line for a constant series', () => {
    expect(
      sparkline(
        [
          { date: '2026-11-01', value: 5 },
          { date: '2026-11-02', value: 5 },
        ],
        100,
        20,
      ),
    ).toContain('points="2.0,10.0 98.0,10.0"');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(escapeHtml(null)).toBe('');
  });
});
