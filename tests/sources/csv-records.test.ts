/**
 * A workspace's CSV files without quotes are read by papaparse (quoteFreeRecords), the
 * rest by csv-parse: the fast path must give csv-parse's records exactly, or hand the text
 * back (undefined) for csv-parse to read.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { quoteFreeRecords } from '../../src/sources/workspace.js';

/** What csv-parse makes of the text with the workspace's options, empty cells undefined. */
function csvParseRecords(text: string) {
  let header: string[] | undefined;
  try {
    const records = parse(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map((h) => h.trim())),
      skip_empty_lines: true,
      trim: true,
    }) as Record<string, string | undefined>[];
    for (const r of records) for (const k of Object.keys(r)) if (r[k] === '') r[k] = undefined;
    return { header, records };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** A small seeded generator (mulberry32), so a failure names a text that can be run again. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('quoteFreeRecords', () => {
  it('reads a plain file: header trimmed, cells trimmed, empty cells undefined', () => {
    expect(quoteFreeRecords('\ufeff id , name ,amount\r\n1, Acme ,\r\n\r\n2,Bolt,300\r\n')).toEqual(
      {
        header: ['id', 'name', 'amount'],
        records: [
          { id: '1', name: 'Acme', amount: undefined },
          { id: '2', name: 'Bolt', amount: '300' },
        ],
      },
    );
  });

  it('splits on the first line break, as csv-parse does (a lone \\r later stays in the cell)', () => {
    const text = 'a,b\n1,2\r3\n';
    expect(quoteFreeRecords(text)).toEqual(csvParseRecords(text));
    expect(quoteFreeRecords(text)!.records).toEqual([{ a: '1', b: '2\r3' }]);
  });

  it('hands back a row of another width and a line of spaces alone (csv-parse errs or skips)', () => {
    expect(quoteFreeRecords('a,b\n1,2,3\n')).toBeUndefined();
    expect(quoteFreeRecords('a,b\n1\n')).toBeUndefined();
    expect(quoteFreeRecords('a\n  \n1\n')).toBeUndefined();
    expect(quoteFreeRecords('   \n')).toBeUndefined();
  });

  it('an empty text has no header', () => {
    expect(quoteFreeRecords('')).toEqual({ header: undefined, records: [] });
    expect(csvParseRecords('')).toEqual({ header: undefined, records: [] });
  });

  it("gives csv-parse's records for 50,000 random quote-free texts it does not hand back", () => {
    const next = random(15);
    const atoms = [
      'a',
      'b',
      '1',
      '',
      ' ',
      '  x ',
      '\t',
      '\u00a0y',
      'z\u3000',
      ',',
      ',',
      '\n',
      '\r\n',
      '\r',
      '\ufeff',
      'é',
      '\u2028',
    ];
    let compared = 0;
    for (let n = 0; n < 50_000; n++) {
      let text = '';
      const length = Math.floor(next() * 30);
      for (let i = 0; i < length; i++) text += atoms[Math.floor(next() * atoms.length)];
      const fast = quoteFreeRecords(text);
      if (!fast) continue;
      compared++;
      const slow = csvParseRecords(text);
      if (JSON.stringify(fast) !== JSON.stringify(slow))
        expect({ text, fast }).toEqual({ text, fast: slow });
    }
    // Most random texts have ragged rows; enough of them are compared for the check to mean something.
    expect(compared).toBeGreaterThan(10_000);
  });
});
