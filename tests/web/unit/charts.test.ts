import { describe, it, expect } from 'vitest';
import {
  BarChart,
  CHART_CSS,
  LineChart,
  StackedBarChart,
  type ChartPoint,
} from '../../../src/web/charts/index.js';

/** `count` consecutive days from `first`, with values from `value(index)`. */
function days(first: string, count: number, value: (index: number) => number | null) {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, index): ChartPoint => ({
    date: new Date(start + index * 86_400_000).toISOString().slice(0, 10),
    value: value(index),
  }));
}

function line(points: ChartPoint[], over: { title?: string; unit?: 'money' | 'count' } = {}) {
  return String(
    LineChart({
      id: 'mrr',
      title: over.title ?? 'MRR',
      unit: over.unit ?? 'money',
      currency: 'USD',
      points,
    }),
  );
}

/** The `d` of every <path>. */
const pathData = (html: string) => [...html.matchAll(/<path [^>]*\bd="([^"]*)"/g)].map((m) => m[1]);

const commands = (d: string, letter: 'M' | 'L') => d.split('').filter((c) => c === letter).length;

/** The markup of the first <g> whose class starts with `classPrefix`, nested groups and all. */
function group(html: string, classPrefix: string): string {
  const start = html.indexOf(`<g class="${classPrefix}`);
  if (start === -1) return '';
  let depth = 0;
  for (const tag of html.slice(start).matchAll(/<g[\s>]|<\/g>/g)) {
    depth += tag[0] === '</g>' ? -1 : 1;
    if (depth === 0) return html.slice(start, start + tag.index + tag[0].length);
  }
  return '';
}

/** The text of each tick label on the axis with this class. */
const axisLabels = (html: string, axisClass: string): string[] =>
  [...group(html, `chart-axis ${axisClass}`).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(
    (m) => m[1] ?? '',
  );

function attrsOf(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** The attributes of every element `<name ...>` with the class. */
const elements = (html: string, name: string, className: string) =>
  [...html.matchAll(new RegExp(`<${name} class="${className}"[^>]*>`, 'g'))].map((m) =>
    attrsOf(m[0]),
  );

describe('LineChart', () => {
  it('draws one path with a point per value: one M, then L commands', () => {
    const html = line(days('2026-11-01', 30, (i) => 10_000 + i * 100));
    const paths = pathData(html);
    expect(paths).toHaveLength(1);
    expect(commands(paths[0]!, 'M')).toBe(1);
    expect(commands(paths[0]!, 'L')).toBe(29);
    expect(html).toContain('<path class="line" d="M');
    expect(html).toContain('data-points="30"');
  });

  it('breaks the line at a null: two sub-paths, the missing day not drawn', () => {
    const html = line(days('2026-11-01', 10, (i) => (i === 4 ? null : 1000 + i)));
    const d = pathData(html)[0]!;
    expect(commands(d, 'M')).toBe(2);
    expect(commands(d, 'L')).toBe(7);
    // The day without a value is still counted and listed.
    expect(html).toContain('data-points="10"');
    expect(html).toContain('<td>no data</td>');
  });

  it('marks a value between two gaps with a dot, since a one-point sub-path draws nothing', () => {
    const values = [100, 200, null, 300, null, 400, 500];
    const html = line(days('2026-11-01', values.length, (i) => values[i] ?? null));
    expect(elements(html, 'circle', 'dot')).toHaveLength(1);
    expect(commands(pathData(html)[0]!, 'M')).toBe(3);
  });

  it('labels the y axis with nice compact money ticks from $0, and draws a gridline for each', () => {
    const html = line(days('2026-11-01', 30, (i) => 1_000 + i * 600));
    expect(axisLabels(html, 'chart-y-axis')).toEqual(['$0', '$5K', '$10K', '$15K', '$20K']);
    expect(elements(html, 'line', 'chart-grid')).toHaveLength(5);
  });

  it('keeps count ticks whole', () => {
    const html = line(
      days('2026-11-01', 5, (i) => i % 3),
      { unit: 'count' },
    );
    expect(axisLabels(html, 'chart-y-axis')).toEqual(['0', '1', '2']);
  });

  it('labels a 30-day span by day', () => {
    const html = line(days('2026-11-01', 30, () => 5));
    expect(axisLabels(html, 'chart-x-axis')).toEqual([
      'Nov 1',
      'Nov 8',
      'Nov 15',
      'Nov 22',
      'Nov 29',
    ]);
  });

  it('labels a 400-day span by month and year', () => {
    const html = line(days('2026-01-01', 401, () => 5));
    expect(axisLabels(html, 'chart-x-axis')).toEqual([
      'Jan 2026',
      'Apr 2026',
      'Jul 2026',
      'Oct 2026',
      'Jan 2027',
    ]);
  });

  it('labels a 3-day span once per day, not once per few hours', () => {
    const html = line(days('2026-11-01', 4, () => 5));
    expect(axisLabels(html, 'chart-x-axis')).toEqual(['Nov 1', 'Nov 2', 'Nov 3', 'Nov 4']);
  });

  it('is an accessible image: title and one-line desc, first, last, low and high', () => {
    const values = [12_000, 9_500, 15_250, 14_000];
    const html = line(days('2026-11-01', values.length, (i) => values[i] ?? null));
    expect(html).toContain('role="img" aria-labelledby="mrr-title mrr-desc"');
    expect(html).toContain('<title id="mrr-title">MRR</title>');
    expect(html).toContain(
      '<desc id="mrr-desc">MRR: $12,000 on Nov 1, 2026 to $14,000 on Nov 4, 2026; ' +
        'low $9,500 on Nov 2, 2026, high $15,250 on Nov 3, 2026.</desc>',
    );
    expect(html).toContain('viewBox="0 0 640 220" width="100%"');
    expect(html).toContain('class="chart chart-line"');
  });

  it('follows the chart with the numbers in a table', () => {
    const html = line(days('2026-11-01', 2, (i) => [1500, 2500.5][i] ?? null));
    expect(html).toContain(
      '</svg><details class="chart-data"><summary>Data</summary><table><caption>MRR</caption>' +
        '<thead><tr><th scope="col">Date</th><th scope="col">MRR</th></tr></thead><tbody>' +
        '<tr><th scope="row"><time datetime="2026-11-01">Nov 1, 2026</time></th><td>$1,500</td></tr>' +
        '<tr><th scope="row"><time datetime="2026-11-02">Nov 2, 2026</time></th><td>$2,500.50</td></tr>' +
        '</tbody></table></details>',
    );
  });

  it('escapes a title from data everywhere it appears', () => {
    const html = line(
      days('2026-11-01', 3, () => 1),
      { title: '<script>alert(1)</script>' },
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('<title id="mrr-title">&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('<caption>&lt;script&gt;alert(1)&lt;/script&gt;</caption>');
  });

  it('makes an id safe for aria-labelledby', () => {
    const html = String(
      LineChart({
        id: 'net new "mrr"',
        title: 'T',
        unit: 'money',
        currency: 'USD',
        points: days('2026-11-01', 2, () => 1),
      }),
    );
    expect(html).toContain('aria-labelledby="net-new--mrr--title net-new--mrr--desc"');
  });

  it('sorts points by date so the line does not zigzag', () => {
    const sorted = line(days('2026-11-01', 5, (i) => i * 10));
    const shuffled = line([...days('2026-11-01', 5, (i) => i * 10)].reverse());
    expect(pathData(shuffled)).toEqual(pathData(sorted));
  });

  it('shows an empty state and no svg for no points, or only missing values', () => {
    const expected = '<p class="muted chart-empty">No data yet for MRR.</p>';
    expect(line([])).toBe(expected);
    expect(line(days('2026-11-01', 3, () => null))).toBe(expected);
  });

  it('draws one point as a labelled dot, no path, with its table row', () => {
    const html = line([{ date: '2026-11-03', value: 5000 }]);
    expect(html).toContain('<svg');
    expect(pathData(html)).toEqual([]);
    expect(elements(html, 'circle', 'dot')).toHaveLength(1);
    expect(html).toMatch(/<text class="value-label"[^>]*>\$5,000<\/text>/);
    expect(axisLabels(html, 'chart-x-axis')).toEqual(['Nov 3']);
    expect(html).toContain('<desc id="mrr-desc">MRR: $5,000 on Nov 3, 2026.</desc>');
    expect(html).toContain('data-points="1"');
    expect(html.match(/<tr><th scope="row">/g)).toHaveLength(1);
  });

  it('uses no inline style attributes (the CSP forbids them)', () => {
    const html = line(days('2026-11-01', 10, (i) => (i === 3 ? null : i)));
    expect(html).not.toMatch(/\sstyle=/);
  });
});

describe('StackedBarChart', () => {
  const parts = [
    { key: 'new', label: 'New' },
    { key: 'expansion', label: 'Expansion' },
    { key: 'contraction', label: 'Contraction' },
    { key: 'churn', label: 'Churn' },
  ];
  const groups = [
    { label: 'Oct 2026', values: { new: 5000, expansion: 1000, contraction: -500, churn: -2000 } },
    { label: 'Nov 2026', values: { new: 3000, expansion: 0, contraction: -1000, churn: -3000 } },
  ];
  const html = String(
    StackedBarChart({
      id: 'moves',
      title: 'MRR movements',
      unit: 'money',
      currency: 'USD',
      parts,
      groups,
    }),
  );
  const zeroY = Number(elements(html, 'line', 'zero-line')[0]?.y1);
  /** Each bar's rect, with the part its series is and its tooltip. */
  const bars = [
    ...html.matchAll(/<g class="series part-\d" data-part="(\w+)"[^>]*>(.*?)<\/g>/g),
  ].flatMap((series) =>
    [...(series[2] ?? '').matchAll(/<rect class="bar"[^>]*><title>([^<]*)<\/title>/g)].map((m) => {
      const attrs = attrsOf(m[0]);
      return { part: series[1], title: m[1], y: Number(attrs.y), height: Number(attrs.height) };
    }),
  );

  it('stacks gains above the zero line and losses below it', () => {
    // Nov's expansion is 0: no rect for it.
    expect(bars.map((bar) => `${bar.part}: ${bar.title}`)).toEqual([
      'new: Oct 2026, New: +$5,000',
      'new: Nov 2026, New: +$3,000',
      'expansion: Oct 2026, Expansion: +$1,000',
      'contraction: Oct 2026, Contraction: -$500',
      'contraction: Nov 2026, Contraction: -$1,000',
      'churn: Oct 2026, Churn: -$2,000',
      'churn: Nov 2026, Churn: -$3,000',
    ]);
    for (const bar of bars) {
      const top = bar.y;
      const bottom = top + bar.height;
      // The first part of each sign starts at zero; the next starts where it ends.
      if (bar.part === 'new') expect(bottom).toBeCloseTo(zeroY, 1);
      if (bar.part === 'new') expect(top).toBeLessThan(zeroY);
      if (bar.part === 'expansion') expect(bottom).toBeLessThan(zeroY);
      if (bar.part === 'contraction') expect(top).toBeCloseTo(zeroY, 1);
      if (bar.part === 'churn') expect(top).toBeGreaterThan(zeroY);
      if (bar.part === 'contraction' || bar.part === 'churn')
        expect(top).toBeGreaterThanOrEqual(zeroY);
    }
  });

  it('starts a part where the one before it in the stack ends', () => {
    const octNew = bars.find((bar) => bar.title === 'Oct 2026, New: +$5,000')!;
    const octExpansion = bars.find((bar) => bar.title === 'Oct 2026, Expansion: +$1,000')!;
    expect(octExpansion.y + octExpansion.height).toBeCloseTo(octNew.y, 1);
    const octContraction = bars.find((bar) => bar.title === 'Oct 2026, Contraction: -$500')!;
    const octChurn = bars.find((bar) => bar.title === 'Oct 2026, Churn: -$2,000')!;
    expect(octChurn.y).toBeCloseTo(octContraction.y + octContraction.height, 1);
  });

  it('sizes each part to its value on one scale', () => {
    const heights = Object.fromEntries(bars.map((bar) => [bar.title, bar.height]));
    const perThousand = heights['Oct 2026, Expansion: +$1,000']!;
    expect(heights['Oct 2026, New: +$5,000']).toBeCloseTo(5 * perThousand, 0);
    expect(heights['Nov 2026, Churn: -$3,000']).toBeCloseTo(3 * perThousand, 0);
  });

  it('labels the groups, the value axis and the legend', () => {
    expect(axisLabels(html, 'chart-x-axis')).toEqual(['Oct 2026', 'Nov 2026']);
    expect(axisLabels(html, 'chart-y-axis')).toEqual(['-$4K', '-$2K', '$0', '$2K', '$4K', '$6K']);
    expect(html).toContain(
      '<ul class="chart-legend"><li><span class="swatch part-0" aria-hidden="true"></span>New</li>' +
        '<li><span class="swatch part-1" aria-hidden="true"></span>Expansion</li>' +
        '<li><span class="swatch part-2" aria-hidden="true"></span>Contraction</li>' +
        '<li><span class="swatch part-3" aria-hidden="true"></span>Churn</li></ul>',
    );
    expect(html).toContain('data-points="2"');
  });

  it('describes the nets and tables every part', () => {
    expect(html).toContain(
      '<desc id="moves-desc">MRR movements: net +$3,500 in Oct 2026 to -$1,000 in Nov 2026; ' +
        'lowest -$1,000 in Nov 2026, highest +$3,500 in Oct 2026.</desc>',
    );
    expect(html).toContain(
      '<thead><tr><th scope="col">Period</th><th scope="col">New</th><th scope="col">Expansion</th>' +
        '<th scope="col">Contraction</th><th scope="col">Churn</th><th scope="col">Net</th></tr></thead>',
    );
    expect(html).toContain(
      '<tr><th scope="row">Nov 2026</th><td>$3,000</td><td>$0</td><td>-$1,000</td><td>-$3,000</td><td>-$1,000</td></tr>',
    );
  });

  it('shows at most 7 group labels', () => {
    const year = Array.from({ length: 12 }, (_, i) => ({ label: `M${i + 1}`, values: { new: i } }));
    const chart = String(
      StackedBarChart({
        id: 'y',
        title: 'Year',
        unit: 'money',
        currency: 'USD',
        parts,
        groups: year,
      }),
    );
    expect(axisLabels(chart, 'chart-x-axis')).toEqual(['M1', 'M3', 'M5', 'M7', 'M9', 'M11']);
  });

  it('escapes part and group labels', () => {
    const chart = String(
      StackedBarChart({
        id: 'x',
        title: 'T',
        unit: 'money',
        currency: 'USD',
        parts: [{ key: 'a', label: '<script>a</script>' }],
        groups: [{ label: '<img src=x onerror=alert(1)>', values: { a: 1 } }],
      }),
    );
    expect(chart).not.toContain('<script');
    expect(chart).not.toContain('<img');
    expect(chart).toContain('&lt;script&gt;a&lt;/script&gt;');
  });

  it('shows the empty state without groups', () => {
    expect(
      String(
        StackedBarChart({
          id: 'x',
          title: 'MRR movements',
          unit: 'money',
          currency: 'USD',
          parts,
          groups: [],
        }),
      ),
    ).toBe('<p class="muted chart-empty">No data yet for MRR movements.</p>');
  });
});

describe('BarChart', () => {
  const stages = [
    { label: 'Lead', value: 40_000 },
    { label: 'Qualified', value: 20_000 },
    { label: 'Proposal', value: 10_000 },
    { label: 'Won', value: 0 },
  ];
  const html = String(
    BarChart({ id: 'pipe', title: 'Pipeline', unit: 'money', currency: 'USD', bars: stages }),
  );

  it('draws bars whose widths are proportional to the values, from one left edge', () => {
    const bars = elements(html, 'rect', 'bar');
    expect(bars.map((bar) => Number(bar.width))).toEqual([374, 187, 93.5, 0]);
    expect(new Set(bars.map((bar) => bar.x))).toEqual(new Set(['170']));
    expect(html).toContain('data-points="4"');
  });

  it('puts the label at the left and the formatted value at the right', () => {
    expect(
      [...html.matchAll(/<text class="bar-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]),
    ).toEqual(['Lead', 'Qualified', 'Proposal', 'Won']);
    expect(
      [...html.matchAll(/<text class="value-label"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]),
    ).toEqual(['$40,000', '$20,000', '$10,000', '$0']);
    expect(html).toContain(
      '<desc id="pipe-desc">Pipeline: 4 bars, from Lead $40,000 to Won $0; largest Lead $40,000, smallest Won $0.</desc>',
    );
    expect(html).toContain('<tr><th scope="row">Qualified</th><td>$20,000</td></tr>');
  });

  it('shortens a long label in the picture and keeps it whole in a tooltip and the table', () => {
    const label = 'Negotiation with procurement and legal';
    const chart = String(
      BarChart({
        id: 'b',
        title: 'P',
        unit: 'count',
        currency: 'USD',
        bars: [{ label, value: 3 }],
      }),
    );
    expect(chart).toContain(`<title>${label}</title>Negotiation with procur…</text>`);
    expect(chart).toContain(`<th scope="row">${label}</th><td>3</td>`);
  });

  it('escapes labels', () => {
    const chart = String(
      BarChart({
        id: 'b',
        title: 'P',
        unit: 'count',
        currency: 'USD',
        bars: [{ label: '<script>x', value: 1 }],
      }),
    );
    expect(chart).not.toContain('<script');
    expect(chart).toContain('&lt;script&gt;x');
  });

  it('shows the empty state without bars', () => {
    expect(
      String(BarChart({ id: 'b', title: 'Pipeline', unit: 'money', currency: 'USD', bars: [] })),
    ).toBe('<p class="muted chart-empty">No data yet for Pipeline.</p>');
  });
});

describe('CHART_CSS', () => {
  it('styles six parts, and again for the dark scheme, through overridable variables', () => {
    for (let part = 0; part < 6; part++) {
      expect(CHART_CSS).toContain(`.part-${part}{fill:var(--chart-part-${part},`);
      expect(CHART_CSS).toContain(`.part-${part}{fill:var(--chart-part-${part}-dark,`);
    }
    expect(CHART_CSS).toContain('@media (prefers-color-scheme:dark)');
    expect(CHART_CSS).toContain('.chart text{fill:var(--muted,#5f6778)}');
  });
});
