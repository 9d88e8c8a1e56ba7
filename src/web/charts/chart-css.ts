/**
 * The charts' stylesheet, for the app to add to its own (the page's CSP allows
 * stylesheets from 'self' only, so the charts carry classes, never style attributes).
 * Colours are variables with fallbacks: a page may theme them, and the dark scheme gets
 * lighter ones. Text uses the page's --fg and --muted, which the app keeps at AA contrast.
 */

/** Fills of the stacked parts (.part-0 .. .part-5), light scheme; also the svg's own fills. */
export const PART_FILLS = [
  '#2b6cb0',
  '#1f8a4c',
  '#6b46c1',
  '#dd6b20',
  '#c53030',
  '#718096',
] as const;
const PART_FILLS_DARK = ['#63b3ed', '#48bb78', '#b794f4', '#f6ad55', '#fc8181', '#a0aec0'] as const;

export const LINE_STROKE = '#2b6cb0';
const LINE_STROKE_DARK = '#63b3ed';

const parts = (fills: readonly string[]) =>
  fills
    .map(
      (fill, index) =>
        `.part-${index}{fill:var(--chart-part-${index},${fill});background-color:var(--chart-part-${index},${fill})}`,
    )
    .join('\n');

export const CHART_CSS = `
.chart{display:block;width:100%;height:auto;max-width:100%;overflow:visible}
.chart text{fill:var(--muted,#5f6778)}
.chart .value-label,.chart .bar-label{fill:var(--fg,#1d2330)}
.chart .chart-grid{stroke:var(--chart-grid,var(--line,#e3e6ec))}
.chart .zero-line{stroke:var(--muted,#5f6778)}
.chart .line{fill:none;stroke:var(--chart-line,${LINE_STROKE});stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.chart .dot{fill:var(--chart-line,${LINE_STROKE})}
.chart .bar{fill:var(--chart-bar,${LINE_STROKE})}
.chart .series .bar{fill:inherit}
${parts(PART_FILLS)}
.chart-block{margin:0 0 16px}
.chart-empty{margin:8px 0 16px}
.chart-legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:4px 0;padding:0;font-size:13px;color:var(--fg,#1d2330)}
.chart-legend li{display:flex;align-items:center;gap:6px}
.chart-legend .swatch{display:inline-block;width:12px;height:12px;border-radius:2px}
.chart-data summary{cursor:pointer}
.chart-data table{border-collapse:collapse;margin:8px 0;font-size:13px;font-variant-numeric:tabular-nums}
.chart-data caption{text-align:left;font-weight:600;padding:0 0 4px}
.chart-data th,.chart-data td{padding:2px 12px 2px 0;text-align:right;border-bottom:1px solid var(--line,#e3e6ec)}
.chart-data th[scope=row],.chart-data thead th:first-child{text-align:left}
@media (prefers-color-scheme:dark){
.chart{--chart-line:var(--chart-line-dark,${LINE_STROKE_DARK});--chart-bar:var(--chart-bar-dark,${LINE_STROKE_DARK})}
${PART_FILLS_DARK.map((fill, index) => `.part-${index}{fill:var(--chart-part-${index}-dark,${fill});background-color:var(--chart-part-${index}-dark,${fill})}`).join('\n')}
}
`.trim();
