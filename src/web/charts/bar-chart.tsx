/** @jsxImportSource hono/jsx */
/** Horizontal bars (the pipeline by stage): the name at left, the bar, the value at right. */
import { max, min } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { type MetricUnit } from '../../contract/briefing.js';
import { MUTED_FILL } from './axes.js';
import { LINE_STROKE } from './chart-css.js';
import { formatValue } from '../../ceo/key-metrics.js';
import { CHART_WIDTH, ChartData, ChartFrame, EmptyChart, px } from './frame.js';

export interface Bar {
  label: string;
  value: number;
}

const ROW_HEIGHT = 28;
const PAD = { top: 6, bottom: 6 } as const;
const LABEL_WIDTH = 170;
const VALUE_WIDTH = 96;
// Past this the name would run into its bar; the full name stays in a <title> and the table.
const MAX_LABEL_CHARS = 24;

const shorten = (label: string) =>
  label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1).trimEnd()}…` : label;

function describe(title: string, bars: Bar[], unit: MetricUnit, currency: string) {
  const say = (bar: Bar) => `${bar.label} ${formatValue(bar.value, unit, currency)}`;
  const first = bars[0];
  const last = bars.at(-1);
  if (!first || !last) return `${title}: no data.`;
  if (bars.length === 1) return `${title}: ${say(first)}.`;
  const low = bars.reduce((best, bar) => (bar.value < best.value ? bar : best));
  const high = bars.reduce((best, bar) => (bar.value > best.value ? bar : best));
  return `${title}: ${bars.length} bars, from ${say(first)} to ${say(last)}; largest ${say(high)}, smallest ${say(low)}.`;
}

export function BarChart(props: {
  id: string;
  title: string;
  unit: MetricUnit;
  currency: string;
  bars: Bar[];
  /** The data table's heading over the labels. @default 'Name' */
  labelHeading?: string;
}) {
  const { id, title, unit, currency, bars } = props;
  if (bars.length === 0) return <EmptyChart title={title} />;

  const height = PAD.top + bars.length * ROW_HEIGHT + PAD.bottom;
  const left = LABEL_WIDTH;
  const right = CHART_WIDTH - VALUE_WIDTH;
  // Not nice()d: a bar's length is then its value times one factor, so lengths compare.
  const low = Math.min(0, min(bars, (bar) => bar.value) ?? 0);
  const high = Math.max(0, max(bars, (bar) => bar.value) ?? 0);
  const x = scaleLinear()
    .domain(low === high ? [0, 1] : [low, high])
    .range([left, right]);
  const y = scaleBand<string>()
    .domain(bars.map((_, index) => String(index)))
    .range([PAD.top, height - PAD.bottom])
    .padding(0.2);
  const zeroX = px(x(0));

  return (
    <div class="chart-block">
      <ChartFrame
        id={id}
        kind="bar"
        title={title}
        desc={describe(title, bars, unit, currency)}
        points={bars.length}
        height={height}
      >
        {bars.map((bar, index) => {
          const top = y(String(index)) ?? 0;
          const middle = px(top + y.bandwidth() / 2);
          const start = px(x(Math.min(0, bar.value)));
          const end = px(x(Math.max(0, bar.value)));
          return (
            <g class="bar-row">
              <text
                class="bar-label"
                x={left - 8}
                y={middle}
                dy="0.32em"
                text-anchor="end"
                fill={MUTED_FILL}
              >
                {bar.label.length > MAX_LABEL_CHARS ? <title>{bar.label}</title> : null}
                {shorten(bar.label)}
              </text>
              <rect
                class="bar"
                x={start}
                y={px(top)}
                width={px(end - start)}
                height={px(y.bandwidth())}
                fill={LINE_STROKE}
              />
              <text
                class="value-label"
                x={CHART_WIDTH - 4}
                y={middle}
                dy="0.32em"
                text-anchor="end"
                fill={MUTED_FILL}
              >
                {formatValue(bar.value, unit, currency)}
              </text>
            </g>
          );
        })}
        {low < 0 ? (
          <line
            class="zero-line"
            x1={zeroX}
            x2={zeroX}
            y1={PAD.top}
            y2={height - PAD.bottom}
            stroke={MUTED_FILL}
          />
        ) : null}
      </ChartFrame>
      <ChartData
        caption={title}
        columns={[props.labelHeading ?? 'Name', title]}
        rows={bars.map((bar) => ({
          header: bar.label,
          cells: [formatValue(bar.value, unit, currency)],
        }))}
      />
    </div>
  );
}
