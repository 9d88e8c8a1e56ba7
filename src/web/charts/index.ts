/** Server-rendered SVG charts for the web app: pure (props in, markup out), CSP-safe. */
export { LineChart, type ChartPoint } from './line-chart.js';
export { StackedBarChart, type StackPart, type StackGroup } from './stacked-bar-chart.js';
export { BarChart, type Bar } from './bar-chart.js';
export { CHART_CSS } from './chart-css.js';
