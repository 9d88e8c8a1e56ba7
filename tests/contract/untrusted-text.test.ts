/**
 * Issue 11, untrusted text: names, titles and comments come from files and third-party
 * APIs. The field helpers strip control characters where the text enters, so no terminal
 * escape, NUL (which Postgres refuses) or line break of a single-line field gets further.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  TEXT_MAX_CHARS,
  cleanText,
  csvColumns,
  hasControlCharacters,
  isoDate,
  keysAt,
  quote,
  rowsUniqueBy,
  tagList,
  text,
} from '../../src/contract/fields.js';
import { Account, AccountRows, NpsResponse } from '../../src/contract/datasets/customer-success.js';
import { Deal } from '../../src/contract/datasets/sales.js';

/** No C0 or C1 control, DEL, ESC, NUL; line feeds only where allowed. */
// eslint-disable-next-line no-control-regex -- looking for control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('cleanText', () => {
  it.each([
    ['OSC retitle', 'Acme\u001b]0;pwn\u0007 Corp', 'Acme Corp'],
    ['OSC ended by ST', 'Acme\u001b]2;pwn\u001b\\ Corp', 'Acme Corp'],
    ['clear screen', '\u001b[2JAcme', 'Acme'],
    ['colour codes', '\u001b[1;31mRed\u001b[0m deal', 'Red deal'],
    ['cursor moves', 'a\u001b[10;20Hb', 'ab'],
    ['8-bit CSI', 'a\u009b31mb', 'ab'],
    ['8-bit OSC', 'a\u009d0;pwn\u0007b', 'ab'],
    ['reset (ESC c)', 'a\u001bcb', 'ab'],
    ['NUL', 'Close\u0000 Acme', 'Close Acme'],
    ['other C0, DEL, C1 (NEL is a line break)', 'a\u0001\u0008\u007f\u0085\u0080\u0099b', 'a b'],
    ['8-bit DCS string', 'a\u0090q;1\u009cb', 'ab'],
    ['bidi override', 'invoice\u202egnp.exe', 'invoicegnp.exe'],
    [
      'line breaks (single line)',
      'Northwind\r\n\r\n## Risks\n- fake critical',
      'Northwind ## Risks - fake critical',
    ],
    ['tabs (single line)', 'a\tb', 'a b'],
    ['U+2028', 'a\u2028b', 'a b'],
    ['surrounding space', '  Acme  ', 'Acme'],
    [
      'plain text untouched',
      'Cedar & Pine Dental — Zürich 東京',
      'Cedar & Pine Dental — Zürich 東京',
    ],
  ])('%s', (_name, raw, clean) => {
    expect(cleanText(raw)).toBe(clean);
    expect(cleanText(raw)).not.toMatch(CONTROL);
    expect(cleanText(raw)).not.toMatch(/[\n\t]/);
  });

  it('keeps line feeds and tabs in a multi-line value, as LF', () => {
    expect(
      cleanText('Slow\r\nsince\rOctober\u001b[2J\n\tsee ticket\u0000', { multiline: true }),
    ).toBe('Slow\nsince\nOctober\n\tsee ticket');
  });

  it('tells whether a string holds such characters', () => {
    expect(hasControlCharacters('Acme Corp')).toBe(false);
    expect(hasControlCharacters('Acme\u0000')).toBe(true);
    expect(hasControlCharacters('a\nb')).toBe(true);
  });

  it('quotes values for messages so controls show and do not act, cut to a length', () => {
    expect(quote('a\u001b[2J\u009b')).toBe('"a\\u001b[2J\\u009b"');
    expect(quote('x'.repeat(200))).toHaveLength(80);
  });
});

describe('text and tag helpers clean what they accept', () => {
  it('text() strips controls and makes the value one line', () => {
    expect(text().parse('Evil\u001b[31m red\u001b[0m\n## Risks')).toBe('Evil red ## Risks');
    expect(text().parse(' NUL\u0000 ')).toBe('NUL');
    expect(text({ multiline: true }).parse('line 1\nline 2\u0007')).toBe('line 1\nline 2');
  });

  it('refuses text that is nothing but control characters, or too long', () => {
    expect(text().safeParse('\u0000\u001b[2J').error?.issues[0]?.message).toBe(
      'expected text of at most 1000 characters, got "\\u0000\\u001b[2J" (nothing but control characters and spaces)',
    );
    const long = 'x'.repeat(TEXT_MAX_CHARS.line + 1);
    expect(text().safeParse(long).error?.issues[0]?.message).toMatch(/\(1001 characters\)$/);
    expect(text({ multiline: true }).safeParse(long).success).toBe(true);
    expect(text().safeParse(undefined).error?.issues[0]?.message).toBe('required: expected text');
  });

  it('tagList() cleans each tag', () => {
    expect(tagList().parse('Revenue\u0000; sa\u001b[1mles')).toEqual(['revenue', 'sales']);
    expect(tagList().parse(['Hiring\n', '\u0007'])).toEqual(['hiring']);
  });

  it('dataset rows: names and titles are single-line, an NPS comment may span lines', () => {
    const deal = Deal.parse({
      id: 'D-1',
      name: 'Acme\u001b]0;pwn\u0007\n# Fake heading',
      account: 'Acme\u0000',
      owner: 'Maya',
      stage: 'lead',
      amount_cents: '100',
      created_on: '2026-01-01',
      close_date: '2026-02-01',
      last_activity_on: '2026-01-05',
    });
    expect(deal.name).toBe('Acme # Fake heading');
    expect(deal.account).toBe('Acme');
    const nps = NpsResponse.parse({
      id: 'R-1',
      customer_id: 'C-1',
      responded_on: '2026-01-01',
      score: '9',
      comment: 'Great\r\nteam\u001b[2J',
    });
    expect(nps.comment).toBe('Great\nteam');
  });

  it('duplicate ids are reported with the id quoted safely', () => {
    const row = {
      customer_id: 'C-1\u001b[2J',
      name: 'A',
      csm: 'B',
      renewal_date: '2027-01-01',
      last_contact_on: '2026-01-01',
      licensed_seats: '1',
      active_users: '1',
      open_tickets: '0',
    };
    const issue = AccountRows.safeParse([row, row]).error!.issues[0]!;
    expect(issue.message).toBe('duplicate customer_id "C-1" (also on data row 1)');
    expect(Account.parse(row).customer_id).toBe('C-1');
  });
});

describe('isoDate', () => {
  it('accepts the valid dates of years 1 to 99 (Date.UTC reads them as 19xx)', () => {
    expect(isoDate().parse('0001-01-01')).toBe('0001-01-01');
    expect(isoDate().parse('0004-02-29')).toBe('0004-02-29'); // leap year 4
    expect(isoDate().safeParse('0001-02-29').success).toBe(false);
    expect(isoDate().safeParse('1900-02-29').success).toBe(false);
  });
});

describe('schema introspection for the loader', () => {
  it("lists a CSV data set's required and optional columns", () => {
    expect(csvColumns(AccountRows)).toEqual({
      required: [
        'customer_id',
        'name',
        'csm',
        'renewal_date',
        'last_contact_on',
        'licensed_seats',
        'active_users',
        'open_tickets',
      ],
      all: [
        'customer_id',
        'name',
        'csm',
        'renewal_date',
        'last_contact_on',
        'licensed_seats',
        'active_users',
        'active_users_prev',
        'last_active_on',
        'open_tickets',
      ],
    });
    expect(
      csvColumns(rowsUniqueBy(z.object({ a: text(), b: text().optional() }), 'a').default([])),
    ).toEqual({ required: ['a'], all: ['a', 'b'] });
    expect(csvColumns(z.object({ a: text() }))).toBeUndefined(); // a YAML map, not rows
  });

  it('lists the keys allowed at a path, for "unknown key" messages', () => {
    const schema = z.object({
      agents: z.partialRecord(z.enum(['finance', 'sales']), z.string()).default({}),
      nested: z.preprocess((v) => v, z.object({ x: z.number(), y: z.number() }).optional()),
    });
    expect(keysAt(schema, [])).toEqual(['agents', 'nested']);
    expect(keysAt(schema, ['agents'])).toEqual(['finance', 'sales']);
    expect(keysAt(schema, ['nested'])).toEqual(['x', 'y']);
    expect(keysAt(schema, ['nested', 'x'])).toBeUndefined();
  });
});
