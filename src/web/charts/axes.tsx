/** @jsxImportSource hono/jsx */
/**
 * The axes: a value axis with ~5 nice ticks and their gridlines, a date axis whose tick
 * format fits the span, and a band axis for named groups. Scales and ticks are d3's.
 */
import { type ScaleBand, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { type MetricUnit } from '../../contract/briefing.js';
import { DAY_MS, dateTickFormat, formatAxisValue } from './format.js';
import { px } from './frame.js';

export const VALUE_TICKS = 5;

/** The margins around a plot: the left one holds the value labels, the bottom the dates. */
export const MARGIN = { top: 14, right: 28, bottom: 30, left: 60 } as const;

// Text colours for renderers that do not read CHART_CSS (an exported SVG file); the
// stylesheet overrides these with the page's --fg/--muted.
export const MUTED_FILL = '#5f6778';
export const GRID_STROKE = '#e3e6ec';

/**
 * The value ticks of a nice linear scale. Counts are whole: a count axis from 0 to 2 gets
 * 0, 1, 2, not 0, 0.5, 1, ...
 */
export function valueTicks(scale: ScaleLinear<number, number>, unit: MetricUnit): number[] {
  const ticks = scale.ticks(VALUE_TICKS);
  return unit === 'count' ? ticks.filter((tick) => Number.isInteger(tick)) : ticks;
}

/**
 * ~5 date ticks at UTC midnights. A span of a few days asks for fewer ticks, so d3 picks
 * days rather than hours (which would repeat a day's label).
 */
export function dateTicks(scale: ScaleTime<number, number>, spanDays: number): Date[] {
  const count = Math.max(1, Math.min(VALUE_TICKS, spanDays));
  return scale.ticks(count).filter((tick) => tick.getTime() % DAY_MS === 0);
}

export function ValueAxis(props: {
  scale: ScaleLinear<number, number>;
  unit: MetricUnit;
  currency: string;
  left: number;
  right: number;
}) {
  return (
    <g class="chart-axis chart-y-axis" fill={MUTED_FILL}>
      {valueTicks(props.scale, props.unit).map((tick) => {
        const y = px(props.scale(tick));
        return (
          <g class="chart-tick">
            <line
              class="chart-grid"
              x1={props.left}
              x2={props.right}
              y1={y}
              y2={y}
              stroke={GRID_STROKE}
              stroke-width="1"
            />
            <text x={props.left - 8} y={y} dy="0.32em" text-anchor="end">
              {formatAxisValue(tick, props.unit, props.currency)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

export function DateAxis(props: {
  scale: ScaleTime<number, number>;
  ticks: Date[];
  spanDays: number;
  y: number;
}) {
  const format = dateTickFormat(props.spanDays);
  return (
    <g class="chart-axis chart-x-axis" fill={MUTED_FILL} text-anchor="middle">
      {props.ticks.map((tick) => (
        <text x={px(props.scale(tick))} y={props.y} dy="0.71em">
          {format(tick)}
        </text>
      ))}
    </g>
  );
}

/** At most this many group labels, so months do not run into one another. */
export const MAX_BAND_LABELS = 7;

export function BandAxis(props: { scale: ScaleBand<string>; labels: string[]; y: number }) {
  const every = Math.ceil(props.labels.length / MAX_BAND_LABELS);
  return (
    <g class="chart-axis chart-x-axis" fill={MUTED_FILL} text-anchor="middle">
      {props.labels.map((label, index) =>
        index % every === 0 ? (
          <text
            x={px((props.scale(String(index)) ?? 0) + props.scale.bandwidth() / 2)}
            y={props.y}
            dy="0.71em"
          >
            {label}
          </text>
        ) : null,
      )}
    </g>
  );
}
