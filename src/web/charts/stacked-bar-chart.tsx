/** @jsxImportSource hono/jsx */
/**
 * Movements as stacked bars, one per group (a month): gains stack up from zero, losses
 * (passed negative) stack down from it, so a bar's two ends read as "added" and "lost".
 */
import { extent } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { stack, stackOffsetDiverging } from 'd3-shape';
import { type MetricUnit } from '../../contract/briefing.js';
import { BandAxis, MARGIN, MUTED_FILL, ValueAxis } from './axes.js';
import { PART_FILLS } from './chart-css.js';
import { formatValue } from '../../ceo/key-metrics.js';
import { formatSigned } from './format.js';
import { CHART_HEIGHT, CHART_WIDTH, ChartData, ChartFrame, EmptyChart, px } from './frame.js';

export interface StackPart {
  key: string;
  label: string;
}

export interface StackGroup {
  label: string;
  values: Record<string, number>;
}

const PART_CLASSES = PART_FILLS.length;

const valueOf = (group: StackGroup, key: string): number => group.values[key] ?? 0;

const netOf = (group: StackGroup, parts: StackPart[]): number =>
  parts.reduce((sum, part) => sum + valueOf(group, part.key), 0);

function describe(
  title: string,
  groups: StackGroup[],
  parts: StackPart[],
  unit: MetricUnit,
  currency: string,
) {
  const nets = groups.map((group) => ({ label: group.label, net: netOf(group, parts) }));
  const say = (entry: { label: string; net: number }) =>
    `${formatSigned(entry.net, unit, currency)} in ${entry.label}`;
  const first = nets[0];
  const last = nets.at(-1);
  if (!first || !last) return `${title}: no data.`;
  if (nets.length === 1) return `${title}: net ${say(first)}.`;
  const low = nets.reduce((best, entry) => (entry.net < best.net ? entry : best));
  const high = nets.reduce((best, entry) => (entry.net > best.net ? entry : best));
  return `${title}: net ${say(first)} to ${say(last)}; lowest ${say(low)}, highest ${say(high)}.`;
}

export function StackedBarChart(props: {
  id: string;
  title: string;
  unit: MetricUnit;
  currency: string;
  /** The stack order (first part nearest zero) and the legend. */
  parts: StackPart[];
  groups: StackGroup[];
  /** The data table's heading over the group labels. @default 'Period' */
  groupHeading?: string;
}) {
  const { id, title, unit, currency, parts, groups } = props;
  if (groups.length === 0 || parts.length === 0) return <EmptyChart title={title} />;

  const height = CHART_HEIGHT;
  const plotBottom = height - MARGIN.bottom;
  const plotRight = CHART_WIDTH - MARGIN.right;
  const series = stack<StackGroup, string>()
    .keys(parts.map((part) => part.key))
    .value(valueOf)
    .offset(stackOffsetDiverging)(groups);
  const [low = 0, high = 0] = extent(series.flatMap((layer) => layer.flat()));
  const domain = [Math.min(0, low), Math.max(0, high)];
  const y = scaleLinear()
    .domain(domain[0] === domain[1] ? [0, 1] : domain)
    .range([plotBottom, MARGIN.top])
    .nice(5);
  // Bands by index: two groups may share a label.
  const x = scaleBand<string>()
    .domain(groups.map((_, index) => String(index)))
    .range([MARGIN.left, plotRight])
    .paddingInner(0.3)
    .paddingOuter(0.15);
  const zeroY = px(y(0));

  return (
    <div class="chart-block">
      <ChartFrame
        id={id}
        kind="stacked-bar"
        title={title}
        desc={describe(title, groups, parts, unit, currency)}
        points={groups.length}
        height={height}
      >
        <ValueAxis scale={y} unit={unit} currency={currency} left={MARGIN.left} right={plotRight} />
        <BandAxis scale={x} labels={groups.map((group) => group.label)} y={plotBottom + 8} />
        {series.map((layer) => {
          const partClass = layer.index % PART_CLASSES;
          const partLabel = parts[layer.index]?.label ?? layer.key;
          return (
            <g
              class={`series part-${partClass}`}
              data-part={layer.key}
              fill={PART_FILLS[partClass]}
            >
              {layer.map((segment, groupIndex) => {
                const [from, to] = segment;
                if (from === to) return null;
                const top = px(y(Math.max(from, to)));
                const bottom = px(y(Math.min(from, to)));
                const value = valueOf(segment.data, layer.key);
                return (
                  <rect
                    class="bar"
                    x={px(x(String(groupIndex)) ?? 0)}
                    y={top}
                    width={px(x.bandwidth())}
                    height={px(bottom - top)}
                  >
                    <title>{`${segment.data.label}, ${partLabel}: ${formatSigned(value, unit, currency)}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        <line
          class="zero-line"
          x1={MARGIN.left}
          x2={plotRight}
          y1={zeroY}
          y2={zeroY}
          stroke={MUTED_FILL}
          stroke-width="1"
        />
      </ChartFrame>
      <ul class="chart-legend">
        {parts.map((part, index) => (
          <li>
            <span class={`swatch part-${index % PART_CLASSES}`} aria-hidden="true"></span>
            {part.label}
          </li>
        ))}
      </ul>
      <ChartData
        caption={title}
        columns={[props.groupHeading ?? 'Period', ...parts.map((part) => part.label), 'Net']}
        rows={groups.map((group) => ({
          header: group.label,
          cells: [
            ...parts.map((part) => formatValue(valueOf(group, part.key), unit, currency)),
            formatSigned(netOf(group, parts), unit, currency),
          ],
        }))}
      />
    </div>
  );
}
