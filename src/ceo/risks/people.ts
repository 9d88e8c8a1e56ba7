/**
 * People risks: load on the team against open roles, overtime, morale and rest.
 * docs/risks.md documents each rule and its thresholds.
 */
import { defineRisk, notEvaluable, type RiskRule } from '../risk-engine.js';
import { actBy, count, num } from './format.js';

/**
 * Worked hours at or above `utilization_pct` of available hours (hr, last 4 complete
 * weeks: design.md's worked / available) while roles stay open: burnout risk. Critical
 * when someone is on overtime or eNPS is below `enps_below`.
 */
export const burnoutWithOpenRoles = defineRisk({
  id: 'burnout-with-open-roles',
  title: 'Burnout risk: team at capacity with open roles',
  severity: 'warning',
  needs: ['hr.teamUtilizationPct', 'hr.openRoles'],
  thresholds: { utilization_pct: 95, enps_below: 10 },
  evaluate(m, t, ctx) {
    const util = m('hr.teamUtilizationPct');
    const roles = m('hr.openRoles');
    if (util < t.utilization_pct || roles <= 0) return null;
    const oldest = m.optional('hr.longestOpenRoleDays');
    const overtime = m.optional('hr.peopleOnOvertime');
    const overtimeHours = m.optional('hr.overtimeHoursLast4Weeks');
    const enps = m.optional('hr.enps');
    const worse: string[] = [];
    if (overtime !== null && overtime > 0) {
      const hours = overtimeHours !== null ? ` (${num(overtimeHours)}h over available)` : '';
      worse.push(`${count(overtime, 'person', 'people')} on overtime${hours}`);
    }
    if (enps !== null && enps < t.enps_below)
      worse.push(`eNPS at ${num(enps)} (below ${t.enps_below})`);
    const severity = worse.length > 0 ? 'critical' : 'warning';
    return {
      severity,
      message:
        `Team utilization is ${num(util)}% over the last 4 weeks (at or above ${t.utilization_pct}%) ` +
        `with ${count(roles, 'open role')}${oldest !== null ? ` (the oldest open ${num(oldest)} days)` : ''}: ` +
        `burnout risk${worse.length > 0 ? `, worse with ${worse.join(' and ')}` : ''}`,
      action: {
        title: `Relieve the team: fill the ${count(roles, 'open role')} or cut its load`,
        deadline: actBy(ctx.today, severity),
        energyDemand: 'high',
        tags: ['hiring', 'team', 'delivery'],
      },
    };
  },
});

/** One person far above their hours while projects slip: delivery hangs on them. */
export const keyPersonOverloaded = defineRisk({
  id: 'key-person-overloaded',
  title: 'One person overloaded while projects slip',
  severity: 'warning',
  // The slipping projects it counts are the ones operations' alerts name.
  explains: ['operations.projectsLate', 'operations.projectsAtRisk'],
  needs: [
    'hr.maxPersonUtilizationPct',
    'operations.projectsNotOnTrack',
    'operations.activeProjects',
  ],
  thresholds: { person_utilization_pct: 110 },
  evaluate(m, t, ctx) {
    const max = m('hr.maxPersonUtilizationPct');
    const slipping = m('operations.projectsNotOnTrack');
    if (max < t.person_utilization_pct || slipping <= 0) return null;
    return {
      message:
        `The busiest person worked ${num(max)}% of their available hours over the last 4 weeks ` +
        `(at or above ${t.person_utilization_pct}%) while ${slipping} of ` +
        `${count(m('operations.activeProjects'), 'active project')} ${slipping === 1 ? 'is' : 'are'} ` +
        `late or at risk: delivery hangs on one overloaded person`,
      action: {
        title: `Take work off the most loaded person (${num(max)}% utilized)`,
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'medium',
        tags: ['team', 'delivery'],
      },
    };
  },
});

/** A busy month ahead for people who have not had a vacation in half a year. */
export const crunchAheadWithoutRest = defineRisk({
  id: 'crunch-ahead-without-rest',
  title: 'Crunch ahead for people without rest',
  severity: 'warning',
  needs: ['operations.utilizationNext4WeeksPct', 'hr.peopleWithoutVacation180Days'],
  thresholds: { utilization_pct: 90 },
  evaluate(m, t, ctx) {
    const util = m('operations.utilizationNext4WeeksPct');
    const tired = m('hr.peopleWithoutVacation180Days');
    if (util < t.utilization_pct || tired <= 0) return null;
    return {
      message:
        `The next 4 weeks are ${num(util)}% booked (at or above ${t.utilization_pct}%) and ` +
        `${count(tired, 'person has', 'people have')} had no vacation in 180 days: no room to rest before the crunch`,
      action: {
        title: `Plan time off for the ${count(tired, 'person', 'people')} without vacation in 180 days`,
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'low',
        tags: ['team'],
      },
    };
  },
});

/** A busy month ahead while hiring takes longer than that month: the hires come too late. */
export const hireLandsAfterCrunch = defineRisk({
  id: 'hire-lands-after-crunch',
  title: 'Open roles will not relieve the coming crunch',
  severity: 'warning',
  needs: ['operations.utilizationNext4WeeksPct', 'hr.openRoles'],
  thresholds: { utilization_pct: 90, hire_within_days: 28 },
  evaluate(m, t, ctx) {
    const util = m('operations.utilizationNext4WeeksPct');
    const roles = m('hr.openRoles');
    if (util < t.utilization_pct || roles <= 0) return null;
    const timeToHire = m.optional('hr.avgTimeToHireDays');
    if (timeToHire === null) {
      return notEvaluable(
        'no hr.avgTimeToHireDays (no role filled in the last 12 months), so when the open roles will be filled cannot be told',
      );
    }
    if (timeToHire <= t.hire_within_days) return null;
    return {
      message:
        `The next 4 weeks are ${num(util)}% booked (at or above ${t.utilization_pct}%) and hiring takes ` +
        `${num(timeToHire)} days on average (more than ${t.hire_within_days}): the ` +
        `${count(roles, 'open role')} will not relieve the team in time`,
      action: {
        title: 'Bring in short-term help for the next 4 weeks',
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'medium',
        tags: ['delivery', 'hiring'],
      },
    };
  },
});

/** Morale dropping while people already leave: more departures are likely. */
export const moraleFallingWithAttrition = defineRisk({
  id: 'morale-falling-with-attrition',
  title: 'Morale falling while people leave',
  severity: 'warning',
  needs: ['hr.enpsChange', 'hr.enps', 'hr.enpsPrevious', 'hr.attritionPct'],
  thresholds: { enps_drop_pts: 15, attrition_pct: 20 },
  evaluate(m, t, ctx) {
    const change = m('hr.enpsChange');
    const attrition = m('hr.attritionPct');
    if (change > -t.enps_drop_pts || attrition < t.attrition_pct) return null;
    return {
      message:
        `eNPS fell ${num(-change)} points to ${num(m('hr.enps'))} (from ${num(m('hr.enpsPrevious'))}) ` +
        `while attrition is ${num(attrition)}% over the last 12 months (at or above ${t.attrition_pct}%): ` +
        `more departures are likely`,
      action: {
        title: 'Find out why eNPS fell before more people leave',
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'high',
        tags: ['team', 'hiring'],
      },
    };
  },
});

export const PEOPLE_RULES: RiskRule[] = [
  burnoutWithOpenRoles,
  keyPersonOverloaded,
  crunchAheadWithoutRest,
  hireLandsAfterCrunch,
  moraleFallingWithAttrition,
];
