import { describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { addDays, addMonths, daysBetween, weekday } from '../../../src/shared/dates.js';
import { demoShift } from '../../../src/sources/demo/demo-dates.js';
import {
  COLUMN_RULES,
  csvCells,
  shiftCsv,
  shiftDemoWorkspace,
  shiftYaml,
} from '../../../src/sources/demo/shift-workspace.js';
import {
  DEMO_TEMPLATE_DATE,
  readDemoTemplate,
} from '../../../src/sources/demo/prepare-workspace.js';
import { ValidationError } from '../../../src/shared/errors.js';

const template = await readDemoTemplate();
const TODAY = '2026-12-01';
const s = demoShift(DEMO_TEMPLATE_DATE, TODAY); // 5 days, 1 week, 1 month

type Rows = Record<string, string>[];
const rows = (text: string): Rows => parseCsv(text, { columns: true, skip_empty_lines: true });
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

describe('csvCells', () => {
  it('finds each cell, quoted ones inside their quotes, across CRLF and a BOM', () => {
    const text = '\uFEFFa,b\r\n"x, ""y""",2026-11-26\r\n,\r\n';
    const cells = csvCells(text).map((c) => [c.row, c.column, text.slice(c.start, c.end)]);
    expect(cells).toEqual([
      [0, 0, 'a'],
      [0, 1, 'b'],
      [1, 0, 'x, ""y""'],
      [1, 1, '2026-11-26'],
      [2, 0, ''],
      [2, 1, ''],
    ]);
  });
});

describe('shiftCsv', () => {
  it('rewrites only the date cells, keeping quotes, spaces, line ends and the rest', () => {
    const text =
      'id,name,on,month,note\r\n' +
      '1,"Acme, Inc.", 2026-11-30 ,2026-10,"due ""2026-11-30"""\r\n' +
      '2,Globex,"2026-11-26",,2026-13-01\r\n';
    expect(shiftCsv(text, {}, s)).toBe(
      'id,name,on,month,note\r\n' +
        '1,"Acme, Inc.", 2026-12-05 ,2026-11,"due ""2026-11-30"""\r\n' +
        '2,Globex,"2026-12-01",,2026-13-01\r\n',
    );
  });

  it('follows a column rule: weeks, days by months, a month prefix, titles', () => {
    const text =
      'id,week,published_on,title\n' +
      '2026-10-google,2026-11-23,2026-10-31,Approve November expenses\n';
    const rules = {
      id: 'month-prefix',
      week: 'week',
      published_on: 'day-by-months',
      title: 'title',
    } as const;
    expect(shiftCsv(text, rules, s)).toBe(
      'id,week,published_on,title\n' +
        '2026-11-google,2026-11-30,2026-11-30,Approve December expenses\n',
    );
  });
});

describe('shiftYaml', () => {
  it('moves date scalars and quarter labels in place, comments and quotes kept', () => {
    const text =
      '# The quarter (2026-Q4).\n' +
      'quarter:\n' +
      "  name: '2026-Q4' # named\n" +
      '  start: 2026-10-01\n' +
      '  end: "2026-12-31"\n' +
      'list: [2026-11-26, not-a-date]\n';
    expect(shiftYaml('company.yaml', text, demoShift(DEMO_TEMPLATE_DATE, '2027-02-15'))).toBe(
      '# The quarter (2026-Q4).\n' +
        'quarter:\n' +
        "  name: '2027-Q1' # named\n" +
        '  start: 2026-12-21\n' +
        '  end: "2027-03-22"\n' +
        'list: [2027-02-15, not-a-date]\n',
    );
  });

  it('moves an energy date with the days', () => {
    const text = '# Energy.\nenergy: low\ndate: 2026-11-26\n';
    expect(shiftYaml('founder.yaml', text, s)).toBe('# Energy.\nenergy: low\ndate: 2026-12-01\n');
  });
});

describe('shiftDemoWorkspace on the template', () => {
  it('changes nothing on the template date', () => {
    expect(shiftDemoWorkspace(template, DEMO_TEMPLATE_DATE)).toEqual(template);
  });

  it('gives the same bytes for the same date, other bytes for another', () => {
    const a = shiftDemoWorkspace(template, TODAY);
    expect(shiftDemoWorkspace({ ...template }, TODAY)).toEqual(a);
    expect(shiftDemoWorkspace(template, '2026-12-02')).not.toEqual(a);
  });

  it('refuses a today that is not a date', () => {
    expect(() => shiftDemoWorkspace(template, '2026-02-30')).toThrow(ValidationError);
    expect(() => shiftDemoWorkspace(template, 'today')).toThrow(/expected today as YYYY-MM-DD/);
  });

  it('keeps every line that holds no date byte for byte', () => {
    const out = shiftDemoWorkspace(template, '2029-06-17');
    for (const [name, text] of Object.entries(template)) {
      const before = text.split('\n');
      const after = out[name]!.split('\n');
      expect(after.length, name).toBe(before.length);
      before.forEach((line, i) => {
        if (!/\d{4}-\d{2}/.test(line) && !/Q[1-4]|January|November|December/.test(line))
          expect(after[i], `${name}:${i + 1}`).toBe(line);
      });
    }
  });

  it('rules only columns the files have', () => {
    for (const [file, rules] of Object.entries(COLUMN_RULES)) {
      const header = template[file]!.split('\n')[0]!.split(',');
      for (const column of Object.keys(rules))
        expect(header, `${file} ${column}`).toContain(column);
    }
  });
});

/**
 * Every dated cell of every CSV at its distance from today: compared cell by cell with
 * the template, by the clock its column follows.
 */
function expectDistances(today: string) {
  const shift = demoShift(DEMO_TEMPLATE_DATE, today);
  const out = shiftDemoWorkspace(template, today);
  let checked = 0;
  for (const name of Object.keys(template).filter((n) => n.endsWith('.csv'))) {
    const before = rows(template[name]!);
    const after = rows(out[name]!);
    expect(after.length, name).toBe(before.length);
    before.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) {
        const moved = after[i]![column]!;
        const where = `${name} row ${i + 1} ${column}`;
        const rule = COLUMN_RULES[name]?.[column];
        if (rule === 'week') {
          expect(daysBetween(value, moved), where).toBe(7 * shift.weeks);
          expect(Math.abs(daysBetween(value, moved) - shift.days), where).toBeLessThanOrEqual(3);
          expect(weekday(moved), where).toBe(weekday(value));
          checked++;
        } else if (rule === 'day-by-months') {
          expect(moved.slice(0, 7), where).toBe(addMonths(value.slice(0, 7), shift.months));
          checked++;
        } else if (rule === 'month-prefix') {
          expect(moved.slice(0, 7), where).toBe(addMonths(value.slice(0, 7), shift.months));
          expect(moved.slice(7), where).toBe(value.slice(7));
        } else if (DATE.test(value)) {
          expect(moved, where).toBe(addDays(value, shift.days));
          checked++;
        } else if (MONTH.test(value)) {
          expect(moved, where).toBe(addMonths(value, shift.months));
          checked++;
        } else if (rule !== 'title') {
          expect(moved, where).toBe(value);
        }
      }
    });
  }
  return { out, checked };
}

describe('every dated field at its distance from today', () => {
  it.each([
    '2026-12-01',
    '2027-01-01',
    '2027-12-01',
    '2031-12-01',
    '2027-03-01', // a month's first day
    '2027-04-30', // a month's last day
    '2026-12-07', // a Monday
    '2026-12-06', // a Sunday
    '2028-02-29',
    '2027-04-01', // a quarter's first day
    '2025-06-15', // before the template
  ])('on %s', (today) => {
    const { out, checked } = expectDistances(today);
    // Every date cell of the template was looked at (cells with values, not blanks).
    expect(checked).toBe(730);
    const d = daysBetween(DEMO_TEMPLATE_DATE, today);
    // The Acme deal closes in 4 days, as on the template date.
    const acme = rows(out['deals.csv']!).find((r) => r.id === 'D-001')!;
    expect(acme.close_date).toBe(addDays(today, 4));
    expect(rows(out['tasks.csv']!).find((r) => r.id === 'founder-acme')!.deadline).toBe(
      addDays(today, 4),
    );
    // The quarter keeps its place around today: 56 days gone, 35 to go.
    const company = parseYaml(out['company.yaml']!) as {
      quarter: { name: string; start: string; end: string };
    };
    expect(company.quarter.start).toBe(addDays('2026-10-01', d));
    expect(daysBetween(company.quarter.start, today)).toBe(56);
    expect(daysBetween(today, company.quarter.end)).toBe(35);
    expect((parseYaml(out['goals.yaml']!) as { quarter: string }).quarter).toBe(
      company.quarter.name,
    );
    // Today's month has its partial cash row; the last complete month a full one.
    const cash = rows(out['cashflow.csv']!);
    expect(cash.at(-1)!.month).toBe(today.slice(0, 7));
    expect(cash.at(-2)).toMatchObject({ month: addMonths(today.slice(0, 7), -1) });
    expect(cash.at(-2)!.revenue_cents).not.toBe('');
  });
});
