/**
 * The pure core of the living demo: the template workspace's files (name -> text) in,
 * the same files with every date moved to another "today" out. Only the date values
 * are rewritten, in place: the rest of each file (CSV quoting, YAML comments, the order
 * of rows and keys) is kept byte for byte, so the same `today` gives the same bytes.
 *
 * Which clock a value follows (demo-dates.ts): a CSV cell written YYYY-MM-DD moves by
 * days and one written YYYY-MM by months, unless its column is listed in COLUMN_RULES;
 * in YAML every date scalar moves by days and every quarter label (YYYY-Qn) with it.
 * Files of other kinds are copied as they are.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { ValidationError } from '../../shared/errors.js';
import {
  demoShift,
  isCalendarDate,
  isQuarterLabel,
  shiftDay,
  shiftDayByMonths,
  shiftMonth,
  shiftQuarterLabel,
  shiftWeek,
  type DemoShift,
} from './demo-dates.js';
import { DEMO_TEMPLATE_DATE } from './template.js';

/** How one value moves: see demo-dates.ts. */
export type DateRule =
  'day' | 'week' | 'month' | 'day-by-months' | 'month-prefix' | 'title' | 'keep';

/**
 * Columns that do not follow their cell's shape. A column absent here moves by days
 * (YYYY-MM-DD cells) or by months (YYYY-MM cells).
 */
export const COLUMN_RULES: Readonly<Record<string, Readonly<Record<string, DateRule>>>> = {
  // A week is the Monday it starts on.
  'allocations.csv': { week: 'week' },
  // Vacations are working weeks (Monday to Friday): they stay in their week of the plan.
  'time_off.csv': { start_date: 'week', end_date: 'week' },
  // "New pieces this month" counts the pieces published in the month reported.
  'content.csv': { published_on: 'day-by-months' },
  // The ids are "<month>-<channel>" (2026-10-google): the month in them moves with `month`.
  'campaigns.csv': { id: 'month-prefix' },
  // The founder's tasks name their quarter and month ("Prepare the Q4 board update").
  'tasks.csv': { title: 'title' },
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MONTH_PREFIX = /^(\d{4}-(?:0[1-9]|1[0-2]))(?=-\D)/;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const MONTH_NAME = new RegExp(`\\b(${MONTH_NAMES.join('|')})\\b`, 'g');
const QUARTER_NAME = /\bQ([1-4])\b/g;

/**
 * A title's month names moved by the months, and its quarter (Q1..Q4) with the quarter
 * of the template date: "Approve November expenses" is about the template's month.
 */
function shiftTitle(title: string, s: DemoShift, templateDate: string): string {
  return title
    .replace(MONTH_NAME, (name) => {
      const month = MONTH_NAMES.indexOf(name);
      return MONTH_NAMES[(((month + s.months) % 12) + 12) % 12]!;
    })
    .replace(QUARTER_NAME, (q) => {
      const label = `${templateDate.slice(0, 4)}-${q}`;
      return shiftQuarterLabel(label, s).slice(5);
    });
}

/** One value moved by `rule`, or by its shape when `rule` is undefined; others unchanged. */
export function shiftValue(
  value: string,
  rule: DateRule | undefined,
  s: DemoShift,
  templateDate: string = DEMO_TEMPLATE_DATE,
): string {
  if (rule === 'keep') return value;
  if (rule === 'title') return shiftTitle(value, s, templateDate);
  if (rule === 'month-prefix') {
    return value.replace(MONTH_PREFIX, (month) => shiftMonth(month, s));
  }
  if (DATE.test(value) && isCalendarDate(value)) {
    if (rule === 'week') return shiftWeek(value, s);
    if (rule === 'day-by-months') return shiftDayByMonths(value, s);
    return shiftDay(value, s);
  }
  if (MONTH.test(value)) return shiftMonth(value, s);
  return value;
}

/**
 * The template's files as of `today` (YYYY-MM-DD). `templateDate` is the day the
 * template's data describes.
 */
export function shiftDemoWorkspace(
  files: Readonly<Record<string, string>>,
  today: string,
  templateDate: string = DEMO_TEMPLATE_DATE,
): Record<string, string> {
  if (!DATE.test(today) || !isCalendarDate(today)) {
    throw new ValidationError(`demo workspace: expected today as YYYY-MM-DD, got "${today}"`, {
      file: 'today',
    });
  }
  const s = demoShift(templateDate, today);
  const out: Record<string, string> = {};
  for (const name of Object.keys(files).sort()) {
    const text = files[name]!;
    if (name.endsWith('.csv'))
      out[name] = shiftCsv(text, COLUMN_RULES[name] ?? {}, s, templateDate);
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out[name] = shiftYaml(name, text, s);
    else out[name] = text;
  }
  return out;
}

interface Cell {
  row: number;
  column: number;
  /** Where the cell's text sits in the file: inside the quotes of a quoted cell. */
  start: number;
  end: number;
}

/**
 * The cells of a CSV text (RFC 4180: quoted cells may hold commas, doubled quotes and
 * line breaks), each with the range of its text.
 */
export function csvCells(text: string): Cell[] {
  const cells: Cell[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row = 0;
  let column = 0;
  for (;;) {
    let start = i;
    let end = i;
    const quoted = text[i] === '"';
    if (quoted) {
      start = i + 1;
      let j = start;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          j = text.length;
          break;
        }
        if (text[q + 1] !== '"') {
          j = q;
          break;
        }
        j = q + 2;
      }
      end = j;
      i = Math.min(j + 1, text.length);
    }
    // Up to the separator (stray characters after a closing quote are no value to move).
    while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
    if (!quoted) end = i;
    cells.push({ row, column, start, end });
    if (i >= text.length) break;
    if (text[i] === ',') {
      column++;
      i++;
    } else {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      if (i >= text.length) break;
      row++;
      column = 0;
    }
  }
  return cells;
}

/** A CSV text with its date cells moved; the header names each cell's column. */
export function shiftCsv(
  text: string,
  rules: Readonly<Record<string, DateRule>>,
  s: DemoShift,
  templateDate: string = DEMO_TEMPLATE_DATE,
): string {
  const cells = csvCells(text);
  const header = cells.filter((c) => c.row === 0).map((c) => text.slice(c.start, c.end).trim());
  let out = '';
  let at = 0;
  for (const c of cells) {
    if (c.row === 0) continue;
    const raw = text.slice(c.start, c.end);
    const value = raw.trim();
    if (value === '') continue;
    const moved = shiftValue(value, rules[header[c.column] ?? ''], s, templateDate);
    if (moved === value) continue;
    const lead = raw.length - raw.trimStart().length;
    out += text.slice(at, c.start + lead) + moved;
    at = c.start + lead + value.length;
  }
  return out + text.slice(at);
}

/**
 * A YAML text with its date scalars moved by days and its quarter labels with them,
 * each rewritten where it stands (comments, quotes and layout kept).
 */
export function shiftYaml(name: string, text: string, s: DemoShift): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    throw new ValidationError(`${name}: ${doc.errors[0]!.message.split('\n')[0]}`, { file: name });
  }
  const edits: { start: number; end: number; value: string }[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) visit(item);
    } else if (isPair(node)) {
      visit(node.value);
    } else if (isScalar(node) && typeof node.value === 'string' && node.range) {
      const value = node.value;
      let moved = value;
      if (DATE.test(value) && isCalendarDate(value)) moved = shiftDay(value, s);
      else if (isQuarterLabel(value)) moved = shiftQuarterLabel(value, s);
      if (moved === value) return;
      // The value's source: plain or quoted, the text itself sits inside [start, end).
      const [start, end] = node.range as [number, number, number];
      const source = text.slice(start, end);
      const offset = source.indexOf(value);
      if (offset < 0) return;
      edits.push({ start: start + offset, end: start + offset + value.length, value: moved });
    }
  };
  visit(doc.contents as Node | null);
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.value;
    at = e.end;
  }
  return out + text.slice(at);
}
