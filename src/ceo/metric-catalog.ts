/**
 * What each metric is called and measured in, for people: risk evidence reads "Cash
 * balance $1,350,000" rather than `finance.cashBalance = 1350000`. The key itself stays
 * in the JSON. Units follow docs/metrics.md; a metric missing here still gets a readable
 * label and a unit guessed from its key's suffix.
 */
import { type AgentName } from '../contract/report.js';
import { type MetricUnit } from '../contract/briefing.js';
import { formatValue } from './key-metrics.js';
import { formatNumber } from '../shared/numbers.js';

export interface MetricInfo {
  label: string;
  unit: MetricUnit;
}

const m = (label: string, unit: MetricUnit): MetricInfo => ({ label, unit });

/** By `agent.key`. */
export const METRIC_CATALOG: Readonly<Record<string, MetricInfo>> = {
  'finance.mrr': m('MRR', 'money'),
  'finance.arr': m('ARR', 'money'),
  'finance.arpa': m('ARPA', 'money'),
  'finance.customers': m('Paying customers', 'count'),
  'finance.netNewMrr': m('Net new MRR this month', 'money'),
  'finance.netNewMrrLastMonth': m('Net new MRR last month', 'money'),
  'finance.mrrGrowthPctLastMonth': m('MRR growth last month', 'percent'),
  'finance.grossMrrChurnPct': m('Gross MRR churn this month', 'percent'),
  'finance.grossMrrChurnPctLastMonth': m('Gross MRR churn last month', 'percent'),
  'finance.pastDueMrr': m('Past-due MRR', 'money'),
  'finance.cashBalance': m('Cash balance', 'money'),
  'finance.netBurn': m('Net burn a month', 'money'),
  'finance.netBurnLastMonth': m('Net burn last month', 'money'),
  'finance.netBurnChangePct': m('Net burn change', 'percent'),
  'finance.runwayMonths': m('Runway', 'months'),
  'finance.grossMarginPct': m('Gross margin', 'percent'),
  'finance.ltv': m('LTV', 'money'),
  'sales.openDeals': m('Open deals', 'count'),
  'sales.weightedPipeline': m('Weighted pipeline', 'money'),
  'sales.pipelineThisQuarter': m('Pipeline closing this quarter', 'money'),
  'sales.remainingTarget': m('Quarter target still to book', 'money'),
  'sales.pipelineCoverage': m('Pipeline coverage', 'ratio'),
  'sales.weightedDeliveryHours': m('Delivery hours the pipeline brings', 'hours'),
  'sales.winRatePct': m('Win rate', 'percent'),
  'sales.winRatePreviousPct': m('Win rate before', 'percent'),
  'sales.winRateChangePts': m('Win rate change (points)', 'score'),
  'sales.closedDeals': m('Closed deals', 'count'),
  'sales.closedDealsPrevious': m('Closed deals before', 'count'),
  'sales.avgSalesCycleDays': m('Average sales cycle', 'days'),
  'sales.stalledDeals': m('Stalled deals', 'count'),
  'sales.stalledHighValueDeals': m('Stalled high-value deals', 'count'),
  'operations.activeProjects': m('Active projects', 'count'),
  'operations.projectsNotOnTrack': m('Projects late or at risk', 'count'),
  'operations.projectsLate': m('Late projects', 'count'),
  'operations.projectsAtRisk': m('Projects at risk', 'count'),
  'operations.utilization': m('Team allocated this week', 'percent'),
  'operations.freeHoursThisWeek': m('Free hours this week', 'hours'),
  'operations.freeCapacityHoursNext4Weeks': m('Free hours next 4 weeks', 'hours'),
  'marketing.leads': m('Leads', 'count'),
  'marketing.leadsPrevious': m('Leads before', 'count'),
  'marketing.leadsChangePct': m('Leads change', 'percent'),
  'marketing.cac': m('CAC', 'money'),
  'marketing.cacPrevious': m('CAC before', 'money'),
  'marketing.cacChangePct': m('CAC change', 'percent'),
  'marketing.spend': m('Marketing spend', 'money'),
  'marketing.spendPrevious': m('Marketing spend before', 'money'),
  'marketing.spendChangePct': m('Marketing spend change', 'percent'),
  'marketing.roiPct': m('Marketing ROI', 'percent'),
  'hr.headcount': m('Headcount', 'count'),
  'hr.openRoles': m('Open roles', 'count'),
  'hr.longestOpenRoleDays': m('Longest-open role', 'days'),
  'hr.avgTimeToHireDays': m('Average time to hire', 'days'),
  'hr.hiringPlanMonthlyCost': m('Hiring plan a month', 'money'),
  'hr.teamUtilizationPct': m('Team utilization (4 weeks)', 'percent'),
  'hr.maxPersonUtilizationPct': m('Busiest person utilization', 'percent'),
  'hr.peopleOnOvertime': m('People on overtime', 'count'),
  'hr.overtimeHoursLast4Weeks': m('Overtime hours (4 weeks)', 'hours'),
  'hr.enps': m('eNPS', 'score'),
  'hr.enpsPrevious': m('eNPS before', 'score'),
  'hr.enpsChange': m('eNPS change', 'score'),
  'hr.enpsSurveyAgeDays': m('eNPS survey age', 'days'),
  'hr.attritionPct': m('Attrition', 'percent'),
  'customer-success.nps': m('NPS', 'score'),
  'customer-success.npsPrevious': m('NPS before', 'score'),
  'customer-success.npsChange': m('NPS change', 'score'),
  'customer-success.atRiskArr': m('At-risk ARR', 'money'),
  'customer-success.atRiskArrPct': m('At-risk share of ARR', 'percent'),
  'customer-success.trackedArr': m('Tracked ARR', 'money'),
  'customer-success.nextAtRiskRenewalDays': m('Next at-risk renewal in', 'days'),
  'customer-success.atRiskRenewalsNext30Days': m('At-risk renewals (30 days)', 'count'),
  'customer-success.atRiskRenewalArrNext30Days': m('At-risk renewal ARR (30 days)', 'money'),
  'customer-success.nrrPctLastMonth': m('NRR last month', 'percent'),
  'customer-success.highTicketAccounts': m('Accounts with many open tickets', 'count'),
  'customer-success.paymentFailureAccounts': m('Accounts with failed payments', 'count'),
};

/** Words that stay upper-case in a label made from a key. */
const ACRONYMS = new Set(['mrr', 'arr', 'arpa', 'ltv', 'cac', 'nps', 'enps', 'nrr', 'grr', 'roi']);

/** Money keys the suffix rule cannot see. */
const MONEY_WORDS = /(mrr|arr|arpa|ltv|cac|cash|burn|spend|cost|revenue|value|pipeline|target)/i;

/**
 * The label and unit of `agent.key`: from the catalog, else made from the key
 * (`overtimeHoursLast4Weeks` -> "Overtime hours last 4 weeks", unit hours).
 */
export function metricInfo(agent: AgentName, key: string): MetricInfo {
  const known = METRIC_CATALOG[`${agent}.${key}`];
  if (known) return known;
  const words = key
    .replace(/(Pct|Pts)$/, '')
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s._-]+/)
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w) ? (w === 'enps' ? 'eNPS' : w.toUpperCase()) : w));
  const label = words.join(' ').replace(/^[a-z]/, (c) => c.toUpperCase());
  return { label, unit: guessUnit(key) };
}

function guessUnit(key: string): MetricUnit {
  if (/Pct$/.test(key)) return 'percent';
  if (/Pts$/.test(key)) return 'score';
  if (/Days/.test(key)) return 'days';
  if (/Hours/.test(key)) return 'hours';
  if (/Months$/.test(key)) return 'months';
  if (/(Coverage|Ratio)$/.test(key)) return 'ratio';
  if (MONEY_WORDS.test(key) && !/(Deals|Accounts|Count|Customers)/.test(key)) return 'money';
  return 'count';
}

/**
 * A metric's value for evidence, as exact as the messages that quote it: money by the
 * one money rule, other units with up to two decimals ("3.04%", "222.5h", "2.47x").
 */
export function evidenceValue(value: number | null, unit: MetricUnit, currency?: string): string {
  if (value === null) return 'n/a';
  if (unit === 'money') return formatValue(value, unit, currency);
  const n = formatNumber(value, 2);
  switch (unit) {
    case 'percent':
      return `${n}%`;
    case 'months':
      return `${n} months`;
    case 'days':
      return `${n} day${value === 1 ? '' : 's'}`;
    case 'hours':
      return `${n}h`;
    case 'ratio':
      return `${n}x`;
    default:
      return n;
  }
}

/** "Cash balance $1,350,000", "Team utilization (4 weeks) 96.5%", "Open roles n/a". */
export function describeMetric(
  agent: AgentName,
  key: string,
  value: number | null,
  currency?: string,
): string {
  const { label, unit } = metricInfo(agent, key);
  return `${label} ${evidenceValue(value, unit, currency)}`;
}
