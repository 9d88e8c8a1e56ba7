import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { briefingJsonSchema } from '../../src/contract/briefing-schema.js';
import { Briefing } from '../../src/contract/briefing.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { reports, task } from '../helpers/reports.js';

describe('docs/briefing.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run scripts/briefing-schema.ts after a change)', async () => {
    const committed = JSON.parse(await readFile('docs/briefing.schema.json', 'utf8'));
    expect(committed).toEqual(briefingJsonSchema());
  });

  it('accepts a real briefing and rejects a broken one', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(briefingJsonSchema());
    const b = composeBriefing({
      companyId: 'acme',
      companyName: 'Acme',
      workflowId: 'wf-1',
      briefingDate: '2026-11-26',
      generatedAt: '2026-11-26T12:00:00.000Z',
      reports: reports({
        finance: { metrics: { mrr: 15000, arr: 180000 } },
        sales: { status: 'stale', staleHours: 24 },
      }),
      founderTasks: [task({ id: 'a', title: 'Close Acme', revenueImpact: 95 })],
      goals: ['revenue'],
      energy: 'high',
    });
    const json = JSON.parse(JSON.stringify(b));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...json, health: 101 })).toBe(false);
    expect(validate({ ...json, briefingDate: '26/11/2026' })).toBe(false);
  });

  it('validates merged tasks, subjects and folded alerts; a briefing from before them still parses', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(briefingJsonSchema());
    const b = composeBriefing({
      companyId: 'acme',
      companyName: 'Acme',
      workflowId: 'wf-1',
      briefingDate: '2026-11-26',
      generatedAt: '2026-11-26T12:00:00.000Z',
      reports: reports({
        sales: {
          recommendations: [
            task({ id: 's1', source: 'sales', title: 'Close Acme', subject: 'deal:acme' }),
            task({ id: 's2', source: 'sales', title: 'Re-engage Acme', subject: 'deal:acme' }),
          ],
        },
      }),
      founderTasks: [task({ id: 'a', title: 'close acme', revenueImpact: 95 })],
      goals: ['revenue'],
      energy: 'high',
    });
    expect(b.tasks[0]).toMatchObject({
      id: 'a',
      sources: ['founder', 'sales'],
      subject: 'deal:acme',
    });
    const json = JSON.parse(JSON.stringify(b));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    // Stored briefings from older runs have none of the new optional fields.
    type Row = Record<string, unknown>;
    const before = ({ sources: _s, merged: _m, subject: _j, ...t }: Row) => t;
    const old = {
      ...json,
      tasks: (json.tasks as Row[]).map(before),
      priorities: (json.priorities as Row[]).map(before),
    };
    expect(() => Briefing.parse(old)).not.toThrow();
    expect(validate(old)).toBe(true);
  });
});
