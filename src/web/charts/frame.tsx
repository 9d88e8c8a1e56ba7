/** @jsxImportSource hono/jsx */
/**
 * What every chart shares: the accessible svg root, the data table under it (the numbers
 * without the picture, without JS) and the empty state.
 */
import { type Child } from 'hono/jsx';
import { safeId } from './format.js';

/** The intrinsic size; the svg scales to its container's width from it (viewBox). */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 220;

/** Coordinates to one decimal: sharp enough on screen, short in the markup. */
export const px = (n: number): number => Math.round(n * 10) / 10;

export function ChartFrame(props: {
  id: string;
  title: string;
  desc: string;
  points: number;
  height: number;
  kind: string;
  children: Child;
}) {
  const id = safeId(props.id);
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class={`chart chart-${props.kind}`}
      id={id}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${CHART_WIDTH} ${props.height}`}
      width="100%"
      preserveAspectRatio="xMidYMid meet"
      data-points={String(props.points)}
      font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
      font-size="12"
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

export interface DataRow {
  /** The row's name (a date, a month, a stage): a row header. */
  header: Child;
  cells: string[];
}

/** The chart's numbers as a table, folded away under "Data". */
export function ChartData(props: { caption: string; columns: string[]; rows: DataRow[] }) {
  return (
    <details class="chart-data">
      <summary>Data</summary>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <th scope="row">{row.header}</th>
              {row.cells.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A date cell: readable text, the machine-readable day in `datetime`. */
export function Day(props: { day: string; children: Child }) {
  return <time datetime={props.day}>{props.children}</time>;
}

export function EmptyChart(props: { title: string }) {
  return <p class="muted chart-empty">No data yet for {props.title}.</p>;
}
