/**
 * HR: the team roster and the hiring plan. Headcount, payroll, open roles and what
 * they will add to burn. Formulas, units and thresholds: docs/metrics.md#hr.
 */
import { z } from 'zod';
import { defineAgent } from './agent.js';
import type { Alert, TaskInput } from './contract.js';
import {
  addDays,
  cents,
  centsToUnits,
  checkThreshold,
  daysBetween,
  formatMoneyShort,
  healthFromAlerts,
  isoDate,
  oneOf,
  rowsUniqueBy,
  settingsFile,
  slug,
  sumBy,
  text,
} from './fields.js';

export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'contractor'] as const;
export const ROLE_STATUSES = ['open', 'on_hold', 'filled', 'closed'] as const;

export const HR_THRESHOLDS = {
  /** An open role open for more than this many days: warning. */
  role_open_days_warning: 60,
  /** ... for more than this many days: critical. */
  role_open_days_critical: 120,
  /** At least this many departures in the last 90 days: warning. */
  departures_90d_warning: 2,
};

/** At most this many "fill role" recommendations (longest open first). */
export const MAX_ROLE_TASKS = 5;

const Person = z.object({
  id: text(),
  name: text(),
  role: text(),
  department: text(),
  employment_type: oneOf(EMPLOYMENT_TYPES),
  start_date: isoDate(),
  /** Last working day; empty while employed. */
  end_date: isoDate().optional(),
  /** Fully loaded yearly cost (salary, or contract rate x 12), integer cents. */
  annual_cost_cents: cents(),
});
export type Person = z.output<typeof Person>;

const Role = z.object({
  id: text(),
  title: text(),
  department: text(),
  status: oneOf(ROLE_STATUSES),
  opened_on: isoDate(),
  target_start: isoDate().optional(),
  /** Budgeted fully loaded yearly cost of the hire, integer cents. */
  annual_budget_cents: cents(),
});
export type Role = z.output<typeof Role>;

export const HrInput = z.object({
  people: rowsUniqueBy(Person, 'id'),
  roles: rowsUniqueBy(Role, 'id'),
  settings: settingsFile(HR_THRESHOLDS),
});
export type HrInput = z.output<typeof HrInput>;

/** On the team today: started on or before today and not yet past the last working day. */
export function isOnTeam(p: Pick<Person, 'start_date' | 'end_date'>, today: string): boolean {
  return p.start_date <= today && (p.end_date === undefined || p.end_date >= today);
}

export const hrAgent = defineAgent({
  name: 'hr',
  title: 'HR',
  datasets: {
    people: { file: 'people.csv', format: 'csv' },
    roles: { file: 'roles.csv', format: 'csv' },
    settings: { file: 'hr.yaml', format: 'yaml', optional: true },
  },
  input: HrInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;

    const team = input.people.filter((p) => isOnTeam(p, today));
    const joining = input.people.filter((p) => p.start_date > today);
    const departures = input.people.filter(
      (p) => p.end_date !== undefined && p.end_date < today && daysBetween(p.end_date, today) <= 90,
    );
    const open = input.roles.filter((r) => r.status === 'open');
    const daysOpen = (r: Role) => Math.max(0, daysBetween(r.opened_on, today));
    const longest = open.length > 0 ? Math.max(...open.map(daysOpen)) : null;

    const metrics = {
      headcount: team.length,
      contractors: team.filter((p) => p.employment_type === 'contractor').length,
      joiningSoon: joining.length,
      departuresLast90Days: departures.length,
      // Annual cents summed first, divided by 12 and rounded once.
      monthlyPayroll: centsToUnits(Math.round(sumBy(team, (p) => p.annual_cost_cents) / 12)),
      openRoles: open.length,
      hiringPlanMonthlyCost: centsToUnits(
        Math.round(sumBy(open, (r) => r.annual_budget_cents) / 12),
      ),
      longestOpenRoleDays: longest,
    };

    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'hr.role-open-too-long',
        metric: 'longestOpenRoleDays',
        value: longest,
        op: '>',
        warning: t.role_open_days_warning,
        critical: t.role_open_days_critical,
        message: (v, th) => {
          const r = open.find((x) => daysOpen(x) === v);
          return `${r ? r.title : 'A role'} has been open ${v} days (threshold ${th})`;
        },
      }),
      ...checkThreshold({
        id: 'hr.departures',
        metric: 'departuresLast90Days',
        value: departures.length,
        op: '>=',
        warning: t.departures_90d_warning,
        message: (v) =>
          `${v} people left in the last 90 days: ${departures.map((p) => p.name).join(', ')}`,
      }),
    ];

    // No moneyAtStakeCents: a salary budget is cost, not ARR-equivalent revenue (the
    // budget is in the reason).
    const recommendations: TaskInput[] = [...open]
      .sort((a, b) => daysOpen(b) - daysOpen(a) || a.id.localeCompare(b.id))
      .slice(0, MAX_ROLE_TASKS)
      .map((r) => ({
        id: `hr.fill-role-${slug(r.id)}`,
        title: `Fill ${r.title} (open ${daysOpen(r)} days)`,
        source: 'hr' as const,
        reason: `${r.department} role open since ${r.opened_on}, budget ${formatMoneyShort(r.annual_budget_cents)}/year${r.target_start ? `, wanted by ${r.target_start}` : ''}.`,
        deadline:
          r.target_start !== undefined && r.target_start >= today
            ? r.target_start
            : addDays(today, 30),
        energyDemand: 'medium' as const,
        tags: ['hiring', slug(r.department)],
      }));

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Team stable: ${team.length} people, ${open.length} open roles`,
    );
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics,
      alerts,
      recommendations,
      health,
      healthReason,
    };
  },
});
