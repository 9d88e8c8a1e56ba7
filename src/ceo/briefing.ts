/**
 * The CEO step's pure core: reads the six reports and the founder's tasks, ranks the
 * day's priorities and composes the briefing (structured, plus Markdown).
 */
import {
  AGENT_NAMES,
  AGENT_TITLES,
  Briefing,
  type AgentName,
  type AgentReport,
  type EnergyDemand,
  type PriorityWeights,
  type Severity,
  type Task,
} from '../agents/contract.js';
import { formatCents, rankTasks } from './priorities.js';

export interface ComposeInput {
  companyId: string;
  companyName: string;
  workflowId: string;
  briefingDate: string;
  generatedAt: string;
  reports: Record<AgentName, AgentReport>;
  founderTasks: Task[];
  goals: string[];
  energy: EnergyDemand;
  weights?: PriorityWeights;
}

const TOP_PRIORITIES = 3;
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** The figures the briefing leads with, in order; money keys are in whole currency units. */
const KEY_METRICS: { agent: AgentName; key: string; label: string; money?: boolean }[] = [
  { agent: 'finance', key: 'mrr', label: 'MRR', money: true },
  { agent: 'finance', key: 'arr', label: 'ARR', money: true },
  { agent: 'finance', key: 'customers', label: 'Paying customers' },
  { agent: 'finance', key: 'runwayMonths', label: 'Runway (months)' },
  { agent: 'sales', key: 'openDeals', label: 'Open deals' },
  { agent: 'sales', key: 'weightedPipeline', label: 'Weighted pipeline', money: true },
  { agent: 'operations', key: 'activeProjects', label: 'Active projects' },
  { agent: 'operations', key: 'utilization', label: 'Team utilization (%)' },
  { agent: 'marketing', key: 'leads', label: 'Leads' },
  { agent: 'hr', key: 'headcount', label: 'Headcount' },
  { agent: 'hr', key: 'openRoles', label: 'Open roles' },
  { agent: 'customer-success', key: 'nps', label: 'NPS' },
];

export function composeBriefing(input: ComposeInput): Briefing {
  const reports = AGENT_NAMES.map((a) => input.reports[a]);
  const usable = reports.filter((r) => r.status !== 'failed');
  const arr = input.reports.finance.status === 'failed' ? null : input.reports.finance.metrics.arr;
  const candidates = dedupeTasks([
    ...input.founderTasks,
    ...usable.flatMap((r) => r.recommendations),
  ]);
  const tasks = rankTasks(candidates, {
    today: input.briefingDate,
    arrCents: typeof arr === 'number' ? Math.round(arr * 100) : undefined,
    energy: input.energy,
    goals: input.goals,
    ...(input.weights ? { weights: input.weights } : {}),
  });
  const alerts = usable
    .flatMap((r) => r.alerts.map((a) => ({ ...a, agent: r.agent })))
    .sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id),
    );
  const health =
    usable.length === 0 ? 0 : Math.round(usable.reduce((s, r) => s + r.health, 0) / usable.length);
  const dataNotes = reports.flatMap((r) => dataNote(r) ?? []);

  const briefing: Omit<Briefing, 'markdown'> = {
    schemaVersion: 1,
    companyId: input.companyId,
    companyName: input.companyName,
    briefingDate: input.briefingDate,
    generatedAt: input.generatedAt,
    workflowId: input.workflowId,
    health,
    agents: input.reports,
    priorities: tasks.slice(0, TOP_PRIORITIES),
    tasks,
    alerts,
    dataNotes,
  };
  return Briefing.parse({ ...briefing, markdown: renderMarkdown(briefing) });
}

/**
 * The founder's list and the agents often name the same work ("Close Acme Corp deal"):
 * tasks with the same title (ignoring case and spacing) are one task; the first wins,
 * so the founder's own factors beat an agent's derived ones.
 */
export function dedupeTasks(tasks: Task[]): Task[] {
  const seen = new Set<string>();
  return tasks.filter((t) => {
    const key = t.title.toLowerCase().replace(/\s+/g, ' ').trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "Finance data is stale (last updated 24h ago)" and friends; undefined for a fresh report. */
export function dataNote(r: AgentReport): string | undefined {
  const title = AGENT_TITLES[r.agent];
  const why = r.error ? `: ${r.error}` : '';
  if (r.status === 'stale') {
    return `${title} data is stale (last updated ${formatAge(r.staleHours ?? 0)} ago)${why}`;
  }
  if (r.status === 'failed')
    return `${title} failed and has no earlier report to fall back on${why}`;
  return undefined;
}

export function formatAge(hours: number): string {
  // Round to the minute first, so 59.99 minutes reads 1h and 47.6 hours 2d.
  const minutes = Math.max(1, Math.round(hours * 60));
  if (minutes < 60) return `${minutes}m`;
  if (Math.round(minutes / 60) < 48) return `${Math.round(minutes / 60)}h`;
  return `${Math.round(minutes / 1440)}d`;
}

function formatMetric(value: number | null | undefined, money: boolean | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  if (money) return formatCents(Math.round(value * 100));
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** Markdown table cells: pipes and newlines would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderMarkdown(b: Omit<Briefing, 'markdown'>): string {
  const reports = AGENT_NAMES.map((a) => b.agents[a]);
  const counts = (['ok', 'stale', 'failed'] as const)
    .map((s) => [s, reports.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const out: string[] = [];
  out.push(`# Morning briefing: ${b.companyName}, ${b.briefingDate}`, '');
  out.push(`Overall health **${b.health}/100** · agents: ${counts} · run \`${b.workflowId}\``, '');

  out.push('## Top priorities', '');
  if (b.priorities.length === 0) out.push('No candidate tasks today.');
  for (const t of b.priorities) {
    out.push(
      `${t.rank}. **${t.title}**: score ${t.score} (revenue ${t.revenueImpact} · urgency ${t.urgency} · ` +
        `energy ${t.energyAlignment} · strategy ${t.strategicAlignment}) · from ${t.source}` +
        (t.reason ? `\n   ${t.reason}` : ''),
    );
  }
  out.push('');

  out.push('## Key metrics', '', '| Metric | Value | Department |', '|---|---:|---|');
  for (const m of KEY_METRICS) {
    const r = b.agents[m.agent];
    if (r.status === 'failed' || !(m.key in r.metrics)) continue;
    const stale = r.status === 'stale' ? ' (stale)' : '';
    out.push(
      `| ${m.label} | ${formatMetric(r.metrics[m.key], m.money)} | ${AGENT_TITLES[m.agent]}${stale} |`,
    );
  }
  out.push('');

  out.push('## Alerts', '');
  if (b.alerts.length === 0) out.push('None.');
  for (const a of b.alerts) out.push(`- **${a.severity}** (${AGENT_TITLES[a.agent]}) ${a.message}`);
  out.push('');

  out.push(
    '## Department health',
    '',
    '| Department | Status | Health | Why |',
    '|---|---|---:|---|',
  );
  for (const r of reports) {
    const health = r.status === 'failed' ? 'n/a' : String(Math.round(r.health));
    out.push(
      `| ${AGENT_TITLES[r.agent]} | ${r.status} | ${health} | ${cell(r.healthReason || '')} |`,
    );
  }
  out.push('');

  if (b.dataNotes.length > 0) {
    out.push('## Data notes', '');
    for (const n of b.dataNotes) out.push(`- ${n}`);
    out.push('');
  }

  out.push(
    '## All tasks, ranked',
    '',
    '| # | Task | Score | Revenue | Urgency | Energy | Strategy | From |',
    '|---:|---|---:|---:|---:|---:|---:|---|',
  );
  for (const t of b.tasks) {
    out.push(
      `| ${t.rank} | ${cell(t.title)} | ${t.score} | ${t.revenueImpact} | ${t.urgency} | ` +
        `${t.energyAlignment} | ${t.strategicAlignment} | ${t.source} |`,
    );
  }
  out.push('');
  return out.join('\n');
}
