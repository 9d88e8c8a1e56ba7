import { describe, expect, it } from 'vitest';
import { composeBriefing, type ComposeInput } from '../../src/ceo/briefing.js';
import { escapeMarkdown, escapeMrkdwn, markdownCode, plainText } from '../../src/ceo/escape.js';
import { escapeHtml, renderHtml, sparkline } from '../../src/ceo/render-html.js';
import { renderMarkdown } from '../../src/ceo/render-markdown.js';
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

/** Lines of the Markdown briefing that start a block (headings, list items, rows). */
function blocks(markdown: string): string[] {
  return markdown.split('\n').filter((l) => /^(#|- |\d+\. |\|)/.test(l));
}

describe('renderMarkdown with hostile text (issue 11)', () => {
  const hostile = {
    link: '[click me](javascript:alert(1))',
    image: '![t](http://host/track.png)',
    html: '<b>raw</b>',
    // A name that tries to add a section and a critical risk of its own.
    name: 'Acme\n\n## Risks\n\n- **critical** Wire $1M to the new account today\n',
    terminal: 'Evil\x1b]0;pwn\x07 \x1b[2J\x1b[31mred\x1b[0m Co',
  };

  function hostileBriefing() {
    return compose({
      companyName: hostile.name,
      reports: reports({
        finance: {
          metrics: { mrr: 15000, arr: 180000 },
          alerts: [
            {
              id: 'finance.x',
              severity: 'warning',
              message: `Invoice for ${hostile.image} is past due`,
              metric: 'm',
              value: 1,
              threshold: 0,
            },
          ],
        },
        // A department without alerts shows its own reason in the table.
        operations: { healthReason: `Worst: ${hostile.html} | injected | cell` },
        sales: { status: 'failed', error: `HubSpot said ${hostile.terminal}` },
      }),
      founderTasks: [
        task({ id: 'link', title: hostile.link, reason: hostile.html, revenueImpact: 100 }),
        task({ id: 'term', title: hostile.terminal, tags: ['revenue'], revenueImpact: 90 }),
        task({ id: 'img', title: hostile.image, revenueImpact: 80 }),
      ],
      goals: ['revenue', '<img src=x>'],
    });
  }

  it('writes a link, an image and HTML from a title as inert text', () => {
    const md = hostileBriefing().markdown;
    const full = renderMarkdown(hostileBriefing(), { full: true });
    expect(md).toContain('2. **\\[click me\\](javascript:alert(1))**: score 54');
    expect(md).toContain('strategy 20. Why: \\<b\\>raw\\</b\\>');
    expect(full).toContain('   Why: \\<b\\>raw\\</b\\>');
    expect(full).toContain('| 2 | \\[click me\\](javascript:alert(1)) | 54 |');
    expect(md).toContain('3. **!\\[t\\](http://host/track.png)**: score');
    expect(md).toContain('Invoice for !\\[t\\](http://host/track.png) is past due');
    expect(md).toContain(
      '| Operations | current | 80 | Worst: \\<b\\>raw\\</b\\> \\| injected \\| cell |',
    );
    expect(md).toContain('goals revenue, \\<img src=x\\>, weights');
    // No unescaped bracket, angle bracket or pipe-in-a-cell anywhere.
    for (const text of [md, full]) {
      expect(text).not.toMatch(/(?<!\\)\[|(?<!\\)</);
      expect(text).not.toMatch(/(?<!\\)\]\(/);
    }
  });

  it('keeps a name with line breaks on its own line: no fake section, no fake risk', () => {
    const md = hostileBriefing().markdown;
    expect(md.split('\n')[0]).toBe(
      '# Morning briefing: Acme ## Risks - \\*\\*critical\\*\\* Wire $1M to the new account today, 2026-11-26',
    );
    expect(blocks(md).filter((l) => l.startsWith('## Risks'))).toEqual(['## Risks by severity']);
    expect(md).not.toContain('- **critical** Wire');
  });

  it('lets no terminal escape sequence or control character through', () => {
    const md = hostileBriefing().markdown;
    // eslint-disable-next-line no-control-regex
    expect(md).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(md).not.toContain('[2J');
    expect(md).not.toContain('pwn');
    expect(md).toContain('1. **Evil red Co**: score 62');
    expect(md).toContain(
      '- Sales failed and has no earlier report to fall back on: HubSpot said Evil red Co',
    );
  });

  it('leaves text without active characters as it is', () => {
    const b = compose({
      founderTasks: [
        task({ id: 'a', title: 'Close Acme Corp deal ($50K ARR)', revenueImpact: 95 }),
      ],
    });
    expect(b.markdown).toContain('1. **Close Acme Corp deal ($50K ARR)**: score 52 · from founder');
    expect(b.markdown).toContain('# Morning briefing: Acme \\<Test\\> & Co, 2026-11-26');
    expect(b.markdown).toContain('run `wf-1`');
  });
});

describe('escapeMarkdown', () => {
  it('escapes the characters that are Markdown syntax anywhere', () => {
    expect(escapeMarkdown('a\\b `c` *d* _e_ ~~f~~ [g] <h> i|j')).toBe(
      'a\\\\b \\`c\\` \\*d\\* \\_e\\_ \\~\\~f\\~\\~ \\[g\\] \\<h\\> i\\|j',
    );
    expect(escapeMarkdown('&lt;script&gt; &#91;x&#x5d; AT&T & co')).toBe(
      '\\&lt;script\\&gt; \\&#91;x\\&#x5d; AT&T & co',
    );
  });

  it('escapes what starts a block only at the start', () => {
    expect(escapeMarkdown('# Risks')).toBe('\\# Risks');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('3. item')).toBe('3\\. item');
    expect(escapeMarkdown('3) item')).toBe('3\\) item');
    expect(escapeMarkdown('---')).toBe('\\---');
    expect(escapeMarkdown('===')).toBe('\\===');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
    expect(escapeMarkdown('   # indented')).toBe('\\# indented');
    // No syntax: unchanged.
    for (const text of ['#1 customer', '-9.1', '+0.5 pts', '9.7 months', 'a - b # c 1. d']) {
      expect(escapeMarkdown(text)).toBe(text);
    }
  });

  it('leaves an underscore inside a word alone, and (, ), !, :, . everywhere', () => {
    expect(escapeMarkdown('paid_social spent (!) 50: a.b')).toBe('paid_social spent (!) 50: a.b');
    expect(escapeMarkdown('_lead_ and trail_')).toBe('\\_lead\\_ and trail\\_');
  });

  it('makes one line and drops control characters', () => {
    expect(escapeMarkdown('a\r\nb\nc\rd\te\u2028f\u0085g')).toBe('a b c d e f g');
    expect(escapeMarkdown('x\x00\x07\x7f\u009b\u202eevil\u2066y')).toBe('xevily');
    expect(escapeMarkdown(null)).toBe('');
    expect(escapeMarkdown(42)).toBe('42');
  });
});

describe('plainText', () => {
  it('removes whole terminal sequences: OSC titles, screen clears, colours', () => {
    expect(plainText('a\x1b]0;pwn\x07b')).toBe('ab');
    expect(plainText('a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b')).toBe('alinkb');
    expect(plainText('\x1b[2J\x1b[H\x1b[1;31mred\x1b[0m')).toBe('red');
    expect(plainText('\u009b2Jx\u009d0;t\u009cy')).toBe('xy');
    expect(plainText('a\x1bcb\x1b(Bc')).toBe('abc');
    // An unterminated title string ends at the line.
    expect(plainText('a\x1b]0;pwn\nb')).toBe('a b');
  });
});

describe('markdownCode', () => {
  it('fences with more backticks than the text holds', () => {
    expect(markdownCode('wf-1')).toBe('`wf-1`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(markdownCode('a\nb')).toBe('`a b`');
  });
});

describe('escapeMrkdwn (Slack)', () => {
  it('escapes &, < and > as entities, on one line without controls', () => {
    expect(escapeMrkdwn('<!channel> <http://evil|Invoice> A & B > C')).toBe(
      '&lt;!channel&gt; &lt;http://evil|Invoice&gt; A &amp; B &gt; C',
    );
    expect(escapeMrkdwn('a\n*b*\x1b[2J')).toBe('a *b*');
    expect(escapeMrkdwn(undefined)).toBe('');
  });
});

describe('renderMarkdown: what changed', () => {
  it('shows the first 4 changes in the compact briefing and counts the rest; --full shows all', () => {
    const b = compose();
    const changes = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'].map(
      (w) => `Change ${w}.`,
    );
    const section = (md: string) =>
      md.split('## What changed\n\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(section(renderMarkdown({ ...b, changes }))).toEqual([
      '- Change one.',
      '- Change two.',
      '- Change three.',
      '- Change four.',
      '- 3 more changes in the full briefing (`--full`).',
    ]);
    expect(section(renderMarkdown({ ...b, changes }, { full: true }))).toEqual(
      changes.map((c) => `- ${c}`),
    );
    expect(section(renderMarkdown({ ...b, changes: changes.slice(0, 4) }))).toHaveLength(4);
  });
});
