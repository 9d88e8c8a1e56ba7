import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/shared/dates.js';
import { byStage, monthlyMovements, thinSeries } from '../../../src/web/pages/trends.js';

const days = (from: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ date: addDays(from, i), value: i }));

describe('thinSeries', () => {
  it('keeps a series of at most 120 points as stored', () => {
    const pts = days('2026-01-01', 120);
    expect(thinSeries(pts)).toEqual({ points: pts, step: 'day' });
  });

  it("thins a year of days to each week's last point (Monday weeks), the newest day kept", () => {
    // 2025-12-01 is a Monday; 365 days end on 2026-11-30, a Monday: 52 full weeks + 1 day.
    const pts = days('2025-12-01', 365);
    const { points, step } = thinSeries(pts);
    expect(step).toBe('week');
    expect(points).toHaveLength(53);
    expect(points[0]).toEqual({ date: '2025-12-07', value: 6 }); // the first week's Sunday
    expect(points.at(-1)).toEqual({ date: '2026-11-30', value: 364 });
  });

  it("thins years of days to each month's last point", () => {
    const pts = days('2020-01-01', 3 * 366);
    const { points, step } = thinSeries(pts);
    expect(step).toBe('month');
    expect(points[0]!.date).toBe('2020-01-31');
    expect(points.map((p) => p.date.slice(0, 7))).toHaveLength(
      new Set(points.map((p) => p.date.slice(0, 7))).size,
    );
    expect(points.at(-1)).toEqual(pts.at(-1));
  });
});

describe('the trend breakdowns', () => {
  it("monthly MRR movements: each month's last stored day, losses negative", () => {
    const snap = (date: string, m: Record<string, number>) => ({ date, metrics: m });
    expect(
      monthlyMovements([
        snap('2026-10-15', { mrrNew: 100, mrrChurn: 50 }),
        snap('2026-10-31', { mrrNew: 300, mrrExpansion: 20, mrrContraction: 10, mrrChurn: 60 }),
        snap('2026-11-02', { mrrNew: 0, mrrChurn: 0 }),
        snap('2026-11-03', { cashBalance: 5 }), // no movement figure: not a month's point
      ]),
    ).toEqual([
      {
        label: 'Oct 2026',
        values: {
          mrrNew: 300,
          mrrExpansion: 20,
          mrrReactivation: 0,
          mrrContraction: -10,
          mrrChurn: -60,
        },
      },
      {
        label: 'Nov 2026',
        values: {
          mrrNew: 0,
          mrrExpansion: 0,
          mrrReactivation: 0,
          mrrContraction: -0,
          mrrChurn: -0,
        },
      },
    ]);
  });

  it('by stage: the pipeline stage order, then unknown stages by name', () => {
    const latest = {
      date: '2026-11-30',
      metrics: {
        'valueByStage.negotiation': 4,
        'valueByStage.zeta': 9,
        'valueByStage.lead': 1,
        'valueByStage.alpha': 8,
        'valueByStage.proposal': 3,
        'dealsByStage.lead': 7,
      },
    };
    expect(byStage(latest, 'valueByStage')).toEqual([
      { label: 'lead', value: 1 },
      { label: 'proposal', value: 3 },
      { label: 'negotiation', value: 4 },
      { label: 'alpha', value: 8 },
      { label: 'zeta', value: 9 },
    ]);
    expect(byStage(undefined, 'valueByStage')).toEqual([]);
  });
});
