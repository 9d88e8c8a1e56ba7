/** @jsxImportSource hono/jsx */
/** A metric over time: a line with gaps where a day has no value. */
import { extent } from 'd3-array';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import { type MetricUnit } from '../../contract/briefing.js';
import { DateAxis, MARGIN, ValueAxis, dateTicks } from './axes.js';
import { LINE_STROKE } from './chart-css.js';
import { DAY_MS, daysBetween, formatDayLong, formatFull, parseDay } from './format.js';
import { CHART_HEIGHT, CHART_WIDTH, ChartData, ChartFrame, Day, EmptyChart, px } from './frame.js';

export interface ChartPoint {
  /** 'YYYY-MM-DD' */
  date: string;
  value: number | null;
}

interface DefinedPoint {
  date: string;
  value: number;
}

const isDefined = (point: ChartPoint): point is DefinedPoint => point.value !== null;

/**
 * The y domain: from zero (so a small move is not drawn as a cliff) to the data, nice.
 * A flat series at zero still gets a height.
 */
function valueDomain(values: number[]): [number, number] {
  const [low = 0, high = 0] = extent(values);
  const domain: [number, number] = [Math.min(0, low), Math.max(0, high)];
  return domain[0] === domain[1] ? [0, 1] : domain;
}

/** "MRR: $10,000 on Nov 3, 2026 to $12,000 on Dec 2, 2026; low ..., high ...". */
function describe(title: string, defined: DefinedPoint[], unit: MetricUnit, currency: string) {
  const say = (point: DefinedPoint) =>
    `${formatFull(point.value, unit, currency)} on ${formatDayLong(point.date)}`;
  const first = defined[0];
  const last = defined.at(-1);
  if (!first || !last) return `${title}: no data.`;
  if (defined.length === 1) return `${title}: ${say(first)}.`;
  // The first of equal values: "the low was first reached on".
  const low = defined.reduce((best, point) => (point.value < best.value ? point : best));
  const high = defined.reduce((best, point) => (point.value > best.value ? point : best));
  return `${title}: ${say(first)} to ${say(last)}; low ${say(low)}, high ${say(high)}.`;
}

export function LineChart(props: {
  id: string;
  title: string;
  unit: MetricUnit;
  currency: string;
  points: ChartPoint[];
}) {
  const { id, title, unit, currency } = props;
  // ISO days sort as strings; a line drawn out of order would zigzag.
  const points = [...props.points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const defined = points.filter(isDefined);
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || defined.length === 0) return <EmptyChart title={title} />;

  const height = CHART_HEIGHT;
  const plotBottom = height - MARGIN.bottom;
  const plotRight = CHART_WIDTH - MARGIN.right;
  const spanDays = daysBetween(first.date, last.date);
  const firstDay = parseDay(first.date);
  // One day alone sits mid-plot: widen the domain a day each way, tick only that day.
  const x = scaleUtc()
    .domain(
      spanDays === 0
        ? [new Date(firstDay.getTime() - DAY_MS), new Date(firstDay.getTime() + DAY_MS)]
        : [firstDay, parseDay(last.date)],
    )
    .range([MARGIN.left, plotRight]);
  const xTicks = spanDays === 0 ? [firstDay] : dateTicks(x, spanDays);
  const y = scaleLinear()
    .domain(valueDomain(defined.map((point) => point.value)))
    .range([plotBottom, MARGIN.top])
    .nice(5);

  const path = line<ChartPoint>()
    .defined(isDefined)
    .x((point) => x(parseDay(point.date)))
    .y((point) => y(point.value ?? 0))
    .digits(1)(points);
  // A value between two gaps makes a path of one point, which draws nothing: show a dot.
  const lone = points.filter(
    (point, index) =>
      isDefined(point) &&
      (points[index - 1]?.value ?? null) === null &&
      (points[index + 1]?.value ?? null) === null,
  ) as DefinedPoint[];

  return (
    <div class="chart-block">
      <ChartFrame
        id={id}
        kind="line"
        title={title}
        desc={describe(title, defined, unit, currency)}
        points={points.length}
        height={height}
      >
        <ValueAxis scale={y} unit={unit} currency={currency} left={MARGIN.left} right={plotRight} />
        <DateAxis scale={x} ticks={xTicks} spanDays={spanDays} y={plotBottom + 8} />
        {defined.length > 1 && path ? (
          <path class="line" d={path} fill="none" stroke={LINE_STROKE} stroke-width="2" />
        ) : null}
        {lone.map((point) => (
          <circle
            class="dot"
            cx={px(x(parseDay(point.date)))}
            cy={px(y(point.value))}
            r="3"
            fill={LINE_STROKE}
          />
        ))}
        {/* The dot is mid-plot, so its right has room for the value at any height. */}
        {defined.length === 1 && defined[0] ? (
          <text
            class="value-label"
            x={px(x(parseDay(defined[0].date)) + 8)}
            y={px(y(defined[0].value))}
            dy="0.32em"
          >
            {formatFull(defined[0].value, unit, currency)}
          </text>
        ) : null}
      </ChartFrame>
      <ChartData
        caption={title}
        columns={['Date', title]}
        rows={points.map((point) => ({
          header: <Day day={point.date}>{formatDayLong(point.date)}</Day>,
          cells: [formatFull(point.value, unit, currency)],
        }))}
      />
    </div>
  );
}
