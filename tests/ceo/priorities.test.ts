import { describe, it, expect } from 'vitest';
import { ZodError } from 'zod';
import { Task, type TaskInput } from '../../src/contract/report.js';
import { PriorityWeights, weightsSumError } from '../../src/contract/briefing.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { reports } from '../helpers/reports.js';
import {
  DEFAULT_WEIGHTS,
  deriveEnergyAlignment,
  deriveRevenueImpact,
  deriveStrategicAlignment,
  deriveUrgency,
  priorityScore,
  rankTasks,
  type PriorityContext,
} from '../../src/ceo/priorities.js';

const TODAY = '2026-11-26';
/** $180,000 ARR: a quarter of it is $45,000. */
const ARR_CENTS = 18_000_000;

function task(over: Partial<TaskInput> = {}): Task {
  return Task.parse({ id: 'task-1', title: 'A task', source: 'founder', ...over });
}

const ctx = (over: Partial<PriorityContext> = {}): PriorityContext => ({
  today: TODAY,
  arrCents: ARR_CENTS,
  energy: 'high',
  goals: ['revenue', 'retention', 'hiring'],
  ...over,
});

/** The demo workspace's founder tasks (examples/demo-workspace/tasks.csv). */
const acme = task({
  id: 'founder-acme',
  title: 'Close Acme Corp deal ($50K ARR)',
  revenueImpact: 95,
  urgency: 80,
  energyAlignment: 70,
  strategicAlignment: 90,
  deadline: '2026-11-30',
  energyDemand: 'high',
  moneyAtStakeCents: 5_000_000,
  tags: ['revenue'],
});
const others = [
  task({
    id: 'founder-board-update',
    title: 'Prepare the Q4 board update',
    revenueImpact: 40,
    urgency: 60,
    energyAlignment: 50,
    strategicAlignment: 70,
  }),
  task({
    id: 'founder-backend-interview',
    title: 'Final interview: senior backend engineer',
    revenueImpact: 30,
    urgency: 55,
    energyAlignment: 60,
    strategicAlignment: 75,
  }),
  task({
    id: 'founder-pricing-page',
    title: 'Rewrite the pricing page',
    revenueImpact: 45,
    urgency: 30,
    energyAlignment: 80,
    strategicAlignment: 50,
  }),
  task({
    id: 'founder-expenses',
    title: 'Approve November expenses',
    revenueImpact: 5,
    urgency: 50,
    energyAlignment: 40,
    strategicAlignment: 10,
  }),
];

describe('priority score', () => {
  it('uses the weights from design.md', () => {
    expect(DEFAULT_WEIGHTS).toEqual({
      revenueImpact: 0.4,
      urgency: 0.25,
      energyAlignment: 0.15,
      strategicAlignment: 0.2,
    });
  });

  it('scores the Acme example exactly 86.5', () => {
    expect(
      priorityScore({
        revenueImpact: 95,
        urgency: 80,
        energyAlignment: 70,
        strategicAlignment: 90,
      }),
    ).toBe(86.5);
  });

  it('ranks Acme first among the founder tasks, in any input order', () => {
    const expected = [
      ['founder-acme', 86.5],
      ['founder-board-update', 52.5],
      ['founder-backend-interview', 49.75],
      ['founder-pricing-page', 47.5],
      ['founder-expenses', 22.5],
    ];
    for (const input of [
      [acme, ...others],
      [...others, acme],
      [others[2]!, acme, others[0]!, others[3]!, others[1]!],
    ]) {
      const ranked = rankTasks(input, ctx());
      expect(ranked.map((t) => [t.id, t.score])).toEqual(expected);
      expect(ranked.map((t) => t.rank)).toEqual([1, 2, 3, 4, 5]);
    }
    const [first] = rankTasks([...others, acme], ctx());
    expect(first).toMatchObject({
      id: 'founder-acme',
      rank: 1,
      score: 86.5,
      revenueImpact: 95,
      urgency: 80,
      energyAlignment: 70,
      strategicAlignment: 90,
    });
  });
});

describe('deriveRevenueImpact', () => {
  it('scales money at stake against a quarter of ARR', () => {
    // A quarter of $180,000 ARR is $45,000 = 100.
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 2_250_000 }), ARR_CENTS)).toEqual([
      50,
      'money at stake $22,500 (a quarter of ARR = 100)',
    ]);
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 4_500_000 }), ARR_CENTS)).toEqual([
      100,
      'money at stake $45,000 (a quarter of ARR = 100)',
    ]);
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 5_000_000 }), ARR_CENTS)).toEqual([
      100,
      'money at stake $50,000 (a quarter of ARR = 100)',
    ]);
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 3_000_000 }), ARR_CENTS)).toEqual([
      67,
      'money at stake $30,000 (a quarter of ARR = 100)',
    ]);
  });

  it('uses $100K = 100 when ARR is unknown or zero', () => {
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 5_000_000 }), undefined)).toEqual([
      50,
      'money at stake $50,000 ($100K = 100 (ARR unknown))',
    ]);
    // ARR known to be 0 (no revenue yet) is not "unknown": the explanation says which.
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 3_000_000 }), 0)).toEqual([
      30,
      'money at stake $30,000 ($100K = 100 (ARR is $0))',
    ]);
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 3_000_000 }), 0, 'EUR')).toEqual([
      30,
      'money at stake €30,000 (€100K = 100 (ARR is €0))',
    ]);
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 10_000_000 }), undefined)).toEqual([
      100,
      'money at stake $100,000 ($100K = 100 (ARR unknown))',
    ]);
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 25_000_000 }), undefined)).toEqual([
      100,
      'money at stake $250,000 ($100K = 100 (ARR unknown))',
    ]);
  });

  it('is 0 with no money at stake', () => {
    expect(deriveRevenueImpact(task(), ARR_CENTS)).toEqual([0, 'no money at stake']);
    expect(deriveRevenueImpact(task({ moneyAtStakeCents: 0 }), undefined)).toEqual([
      0,
      'no money at stake',
    ]);
  });
});

describe('deriveUrgency', () => {
  it.each([
    ['2026-11-20', 100, 'overdue by 6d'],
    ['2026-11-25', 100, 'overdue by 1d'],
    ['2026-11-26', 100, 'due today'],
    ['2026-11-27', 80, 'due in 1d (this week)'],
    ['2026-12-03', 80, 'due in 7d (this week)'],
    ['2026-12-04', 50, 'due in 8d (this month)'],
    ['2026-12-26', 50, 'due in 30d (this month)'],
    ['2026-12-27', 20, 'due in 31d (later)'],
  ])('deadline %s -> %i (%s)', (deadline, value, why) => {
    expect(deriveUrgency(task({ deadline }), TODAY)).toEqual([value, why]);
  });

  it('is 10 with no deadline', () => {
    expect(deriveUrgency(task(), TODAY)).toEqual([10, 'no deadline']);
  });
});

describe('deriveEnergyAlignment', () => {
  it.each([
    ['high', 'high', 100],
    ['low', 'low', 100],
    ['medium', 'medium', 100],
    ['medium', 'high', 60],
    ['high', 'medium', 60],
    ['low', 'medium', 60],
    ['low', 'high', 20],
    ['high', 'low', 20],
  ] as const)('%s demand vs %s energy -> %i', (demand, energy, value) => {
    expect(deriveEnergyAlignment(task({ energyDemand: demand }), energy)).toEqual([
      value,
      `${demand} demand vs ${energy} energy today`,
    ]);
  });

  it('is 50 when the demand is not stated', () => {
    expect(deriveEnergyAlignment(task(), 'low')).toEqual([50, 'energy demand not stated']);
  });
});

describe('deriveStrategicAlignment', () => {
  const goals = ['revenue', 'retention', 'hiring'];

  it('is 20 with no matching tag', () => {
    expect(deriveStrategicAlignment(task({ tags: ['admin'] }), goals)).toEqual([
      20,
      'no tag matches a goal',
    ]);
    expect(deriveStrategicAlignment(task({ tags: [] }), goals)).toEqual([
      20,
      'no tag matches a goal',
    ]);
  });

  it('is 80 with one match and 100 with two or more', () => {
    expect(deriveStrategicAlignment(task({ tags: ['revenue', 'admin'] }), goals)).toEqual([
      80,
      'matches goals: revenue',
    ]);
    expect(deriveStrategicAlignment(task({ tags: ['hiring', 'retention'] }), goals)).toEqual([
      100,
      'matches goals: hiring, retention',
    ]);
    expect(
      deriveStrategicAlignment(task({ tags: ['hiring', 'retention', 'revenue'] }), goals),
    ).toEqual([100, 'matches goals: hiring, retention, revenue']);
  });

  it('matches case-insensitively', () => {
    expect(deriveStrategicAlignment(task({ tags: ['REVENUE'] }), ['Revenue'])).toEqual([
      80,
      'matches goals: REVENUE',
    ]);
    expect(
      deriveStrategicAlignment(task({ tags: ['Hiring', 'retention'] }), ['HIRING', 'Retention']),
    ).toEqual([100, 'matches goals: Hiring, retention']);
  });

  it('is 50 when the quarter has no goals', () => {
    expect(deriveStrategicAlignment(task({ tags: ['revenue'] }), [])).toEqual([
      50,
      'no goals set for the quarter',
    ]);
  });
});

describe('rankTasks', () => {
  it("records 'stated' for stated factors and the rule text for derived ones", () => {
    const derived = task({
      id: 'derived',
      moneyAtStakeCents: 2_250_000,
      deadline: '2026-12-03',
      energyDemand: 'medium',
      tags: ['retention'],
    });
    const [a, d] = rankTasks([derived, acme], ctx());
    expect(a!.id).toBe('founder-acme');
    expect(a!.factorSources).toEqual({
      revenueImpact: 'stated',
      urgency: 'stated',
      energyAlignment: 'stated',
      strategicAlignment: 'stated',
    });
    expect(d).toMatchObject({
      id: 'derived',
      revenueImpact: 50,
      urgency: 80,
      energyAlignment: 60,
      strategicAlignment: 80,
      // 50*0.4 + 80*0.25 + 60*0.15 + 80*0.2 = 20 + 20 + 9 + 16
      score: 65,
      rank: 2,
    });
    expect(d!.factorSources).toEqual({
      revenueImpact: 'money at stake $22,500 (a quarter of ARR = 100)',
      urgency: 'due in 7d (this week)',
      energyAlignment: 'medium demand vs high energy today',
      strategicAlignment: 'matches goals: retention',
    });
  });

  it('mixes stated and derived factors per factor', () => {
    const [t] = rankTasks([task({ id: 'mixed', urgency: 33, energyDemand: 'high' })], ctx());
    expect(t!.factorSources).toEqual({
      revenueImpact: 'no money at stake',
      urgency: 'stated',
      energyAlignment: 'high demand vs high energy today',
      strategicAlignment: 'no tag matches a goal',
    });
    // 0*0.4 + 33*0.25 + 100*0.15 + 20*0.2 = 8.25 + 15 + 4
    expect(t!.score).toBe(27.25);
  });

  it('uses custom weights', () => {
    const revenueOnly = PriorityWeights.parse({
      revenueImpact: 1,
      urgency: 0,
      energyAlignment: 0,
      strategicAlignment: 0,
    });
    const ranked = rankTasks([acme, ...others], ctx({ weights: revenueOnly }));
    expect(ranked.map((t) => [t.id, t.score])).toEqual([
      ['founder-acme', 95],
      ['founder-pricing-page', 45],
      ['founder-board-update', 40],
      ['founder-backend-interview', 30],
      ['founder-expenses', 5],
    ]);
    // Energy-heavy weights put the low-energy pricing page above Acme.
    const energyHeavy = PriorityWeights.parse({
      revenueImpact: 0,
      urgency: 0.1,
      energyAlignment: 0.9,
      strategicAlignment: 0,
    });
    const byEnergy = rankTasks([acme, ...others], ctx({ weights: energyHeavy }));
    expect(byEnergy.map((t) => [t.id, t.score])).toEqual([
      ['founder-pricing-page', 75], // 3 + 72
      ['founder-acme', 71], // 8 + 63
      ['founder-backend-interview', 59.5], // 5.5 + 54
      ['founder-board-update', 51], // 6 + 45
      ['founder-expenses', 41], // 5 + 36
    ]);
    expect(
      priorityScore(
        { revenueImpact: 95, urgency: 80, energyAlignment: 70, strategicAlignment: 90 },
        revenueOnly,
      ),
    ).toBe(95);
  });

  it('rejects weights that do not sum to 1, saying the sum found', () => {
    const weights = {
      revenueImpact: 0.4,
      urgency: 0.25,
      energyAlignment: 0.15,
      strategicAlignment: 0.1,
    };
    expect(() => PriorityWeights.parse(weights)).toThrow(ZodError);
    expect(PriorityWeights.safeParse(weights).error?.issues.map((i) => i.message)).toEqual([
      'priority weights must sum to 1, but they sum to 0.9 (revenueImpact 0.4 + urgency 0.25 + energyAlignment 0.15 + strategicAlignment 0.1)',
    ]);
    const over = { ...weights, strategicAlignment: 0.3 }; // 1.1000000000000003 in floats
    expect(PriorityWeights.safeParse(over).error?.issues[0]?.message).toBe(
      'priority weights must sum to 1, but they sum to 1.1 (revenueImpact 0.4 + urgency 0.25 + energyAlignment 0.15 + strategicAlignment 0.3)',
    );
    // The same wording for ceo.yaml's names.
    expect(
      weightsSumError({
        revenue_impact: 0.5,
        urgency: 0.25,
        energy_alignment: 0.15,
        strategic_alignment: 0.2,
      }),
    ).toBe(
      'weights must sum to 1, but they sum to 1.1 (revenue_impact 0.5 + urgency 0.25 + energy_alignment 0.15 + strategic_alignment 0.2)',
    );
    expect(weightsSumError({ a: 0.9999999, b: 0 })).toBe(
      'weights must sum to 1, but they sum to 0.9999999 (a 0.9999999 + b 0)',
    );
    expect(weightsSumError({ ...DEFAULT_WEIGHTS })).toBeUndefined();
  });

  it('validates weights once, where the briefing takes them, and refuses bad ones there', () => {
    const compose = (weights: PriorityWeights) =>
      composeBriefing({
        companyId: 'acme',
        companyName: 'Acme',
        workflowId: 'wf-1',
        briefingDate: TODAY,
        generatedAt: `${TODAY}T12:00:00.000Z`,
        reports: reports(),
        founderTasks: [acme],
        goals: [],
        energy: 'high',
        risks: { rules: [] },
        weights,
      });
    expect(() =>
      compose({
        revenueImpact: 0.5,
        urgency: 0.25,
        energyAlignment: 0.15,
        strategicAlignment: 0.2,
      }),
    ).toThrow('priority weights must sum to 1, but they sum to 1.1 (');
    const ok = compose({
      revenueImpact: 1,
      urgency: 0,
      energyAlignment: 0,
      strategicAlignment: 0,
    });
    expect(ok.tasks[0]!.score).toBe(95);
  });

  it('scores only with validated weights (the type says so)', () => {
    const unchecked = {
      revenueImpact: 0.5,
      urgency: 0.25,
      energyAlignment: 0.15,
      strategicAlignment: 0.2,
    };
    const f = { revenueImpact: 100, urgency: 100, energyAlignment: 100, strategicAlignment: 100 };
    // tsc refuses both calls (npm run typecheck): weights must come from PriorityWeights.parse,
    // so a sum of 1.1 (which would score 110 on a 0..100 scale) never reaches the score.
    // @ts-expect-error unchecked weights
    expect(() => priorityScore(f, unchecked)).not.toThrow();
    // @ts-expect-error unchecked weights
    expect(() => rankTasks([acme], ctx({ weights: unchecked }))).not.toThrow();
    expect(() => PriorityWeights.parse(unchecked)).toThrow('but they sum to 1.1');
    expect(priorityScore(f, PriorityWeights.parse({ ...unchecked, revenueImpact: 0.4 }))).toBe(100);
  });

  it('rejects negative weights even when they sum to 1', () => {
    const weights = {
      revenueImpact: 1.1,
      urgency: -0.1,
      energyAlignment: 0,
      strategicAlignment: 0,
    };
    const result = PriorityWeights.safeParse(weights);
    expect(result.error).toBeInstanceOf(ZodError);
    expect(result.error!.issues.map((i) => i.path)).toEqual([['urgency']]);
  });

  it('breaks ties by revenue, urgency, earlier deadline, then id, whatever the input order', () => {
    // Every task scores exactly 50.
    const tied = [
      task({
        id: 'x-b-nodl',
        revenueImpact: 50,
        urgency: 50,
        energyAlignment: 50,
        strategicAlignment: 50,
      }),
      task({
        id: 'x-dl-late',
        revenueImpact: 50,
        urgency: 50,
        energyAlignment: 50,
        strategicAlignment: 50,
        deadline: '2026-12-01',
      }),
      task({
        id: 'x-urg',
        revenueImpact: 50,
        urgency: 62,
        energyAlignment: 30,
        strategicAlignment: 50,
      }),
      task({
        id: 'x-a-nodl',
        revenueImpact: 50,
        urgency: 50,
        energyAlignment: 50,
        strategicAlignment: 50,
      }),
      task({
        id: 'x-rev',
        revenueImpact: 60,
        urgency: 34,
        energyAlignment: 50,
        strategicAlignment: 50,
      }),
      task({
        id: 'x-dl-early',
        revenueImpact: 50,
        urgency: 50,
        energyAlignment: 50,
        strategicAlignment: 50,
        deadline: '2026-11-30',
      }),
    ];
    const expected = ['x-rev', 'x-urg', 'x-dl-early', 'x-dl-late', 'x-a-nodl', 'x-b-nodl'];
    let orders = 0;
    for (const order of permutations(tied)) {
      const ranked = rankTasks(order, ctx());
      expect(ranked.map((t) => t.id)).toEqual(expected);
      expect(ranked.map((t) => t.score)).toEqual([50, 50, 50, 50, 50, 50]);
      orders++;
    }
    expect(orders).toBe(720);
  });

  it('returns an empty list for no tasks', () => {
    expect(rankTasks([], ctx())).toEqual([]);
  });
});

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) yield [items[i]!, ...p];
  }
}

describe('resolveEnergy', () => {
  it('prefers --energy, then founder.yaml for today or undated, then medium', async () => {
    const { resolveEnergy } = await import('../../src/ceo/priorities.js');
    const file = (level: 'low' | 'high', date?: string) => ({ level, date });
    expect(resolveEnergy('2026-11-26', 'low', file('high'))).toEqual({
      energy: 'low',
      source: '--energy',
    });
    expect(resolveEnergy('2026-11-26', undefined, file('high'))).toEqual({
      energy: 'high',
      source: 'founder.yaml',
    });
    expect(resolveEnergy('2026-11-26', undefined, file('low', '2026-11-26'))).toEqual({
      energy: 'low',
      source: 'founder.yaml',
    });
    expect(resolveEnergy('2026-11-26', undefined, file('low', '2026-11-20'))).toEqual({
      energy: 'medium',
      source: 'default (founder.yaml is for 2026-11-20)',
    });
    expect(resolveEnergy('2026-11-26', undefined, undefined)).toEqual({
      energy: 'medium',
      source: 'default',
    });
  });
});
