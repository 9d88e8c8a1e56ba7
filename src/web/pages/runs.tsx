/** @jsxImportSource hono/jsx */
/**
 * Runs: the company's recent runs (Temporal's view when it answers, merged with what
 * the runs wrote to Postgres), each agent's attempts and why an agent was stale or
 * failed, the deliveries per channel, and the schedule's next run in the company's zone.
 */
import type { FC } from 'hono/jsx';
import type { AgentExecutionRecord, DeliveryRecord } from '../../store/repository.js';
import { AGENT_NAMES, AGENT_TITLES } from '../../contract/report.js';
import { urls } from '../urls.js';
import { Layout, Notice, type PageFrame } from './layout.js';
import { RunNowForm } from './briefing.js';

export type ScheduleView =
  | { state: 'found'; nextRun: Date | undefined; timeZone: string; paused: boolean }
  | { state: 'missing' }
  | { state: 'unavailable'; message: string };

export interface RunView {
  workflowId: string;
  /** Temporal's status (Running, Completed, Failed, ...), or Completed from Postgres alone. */
  status: string;
  startedAt: Date;
  durationMs: number | undefined;
  trigger: string | undefined;
  briefing:
    { date: string; outcome: string; staleAgents: string[]; failedAgents: string[] } | undefined;
  executions: AgentExecutionRecord[];
  deliveries: DeliveryRecord[];
  temporalUrl: string | undefined;
}

export interface RunsProps extends PageFrame {
  company: { id: string; name: string };
  timeZone: string;
  schedule: ScheduleView;
  runs: RunView[];
  /** Why Temporal's list is missing (unreachable, not configured). */
  temporalNote: string | undefined;
  /** A run just started by Run now. */
  started: string | undefined;
  canRunNow: boolean;
}

export function formatInZone(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(at);
}

function statusClass(status: string): string {
  const s = status.toLowerCase();
  return s === 'completed' ? 'status-ok' : s === 'running' ? 'status-warn' : 'status-bad';
}

const Attempts: FC<{ run: RunView }> = ({ run }) => {
  const byAgent = AGENT_NAMES.map((agent) => ({
    agent,
    list: run.executions.filter((e) => e.agent === agent),
  })).filter((a) => a.list.length > 0);
  if (byAgent.length === 0) return <span class="muted">–</span>;
  // Nothing retried, nothing stale or failed: one line, not six.
  const clean = byAgent.every(
    ({ agent, list }) =>
      list.length === 1 &&
      list[0]!.success &&
      !run.briefing?.staleAgents.includes(agent) &&
      !run.briefing?.failedAgents.includes(agent),
  );
  if (clean)
    return (
      <span>
        {byAgent.length} agent{byAgent.length === 1 ? '' : 's'}, 1 attempt each
      </span>
    );
  return (
    <ul class="evidence">
      {byAgent.map(({ agent, list }) => {
        const last = list.at(-1)!;
        const failedLast = [...list].reverse().find((e) => !e.success);
        const stale = run.briefing?.staleAgents.includes(agent);
        const failed = run.briefing?.failedAgents.includes(agent);
        return (
          <li>
            {AGENT_TITLES[agent]}: {list.length} attempt{list.length === 1 ? '' : 's'}
            {last.success ? '' : ', failed'}
            {stale ? ', served stale' : ''}
            {failed ? ', failed' : ''}
            {(stale || failed || !last.success) && failedLast?.error ? (
              <span>
                {' '}
                ({failedLast.errorType ? `${failedLast.errorType}: ` : ''}
                {failedLast.error})
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
};

const Deliveries: FC<{ list: DeliveryRecord[] }> = ({ list }) =>
  list.length === 0 ? (
    <span class="muted">none</span>
  ) : (
    <ul class="evidence">
      {list.map((d) => (
        <li
          class={
            d.status === 'sent' ? 'status-ok' : d.status === 'failed' ? 'status-bad' : 'status-warn'
          }
        >
          {d.channel}
          {d.kind === 'run' ? '' : ` (${d.kind})`}: {d.status}
          {d.target ? ` to ${d.target}` : ''}
          {d.attempts > 1 ? `, ${d.attempts} attempts` : ''}
          {d.error ? ` (${d.error})` : ''}
        </li>
      ))}
    </ul>
  );

export const RunsPage: FC<RunsProps> = (p) => (
  <Layout {...p} title={`Runs: ${p.company.name}`} company={p.company} section="runs">
    <h1>Runs</h1>
    {p.started ? (
      <Notice>
        Started run {p.started}. It appears below when Temporal lists it; refresh to follow it.
      </Notice>
    ) : null}
    <div class="toolbar">
      <div>
        <strong>Next scheduled run:</strong>{' '}
        {p.schedule.state === 'found' ? (
          p.schedule.paused ? (
            'paused'
          ) : p.schedule.nextRun ? (
            <time datetime={p.schedule.nextRun.toISOString()}>
              {formatInZone(p.schedule.nextRun, p.schedule.timeZone)}
            </time>
          ) : (
            'none planned'
          )
        ) : p.schedule.state === 'missing' ? (
          'no schedule (npx boardroom schedule create)'
        ) : (
          <span class="muted">unknown: {p.schedule.message}</span>
        )}
        {p.schedule.state === 'found' ? <span class="muted"> ({p.schedule.timeZone})</span> : null}
      </div>
      <span class="spacer" />
      {p.canRunNow ? <RunNowForm companyId={p.company.id} csrf={p.csrf} /> : null}
    </div>
    {p.temporalNote ? <Notice kind="error">{p.temporalNote}</Notice> : null}
    {p.runs.length === 0 ? (
      <Notice>No run yet for this company.</Notice>
    ) : (
      <table>
        <caption class="visually-hidden">Recent runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Run</th>
            <th scope="col">Status</th>
            <th scope="col">Briefing</th>
            <th scope="col">Agents</th>
            <th scope="col">Deliveries</th>
          </tr>
        </thead>
        <tbody>
          {p.runs.map((r) => (
            <tr>
              <td>
                <time datetime={r.startedAt.toISOString()}>
                  {formatInZone(r.startedAt, p.timeZone)}
                </time>
                {r.durationMs !== undefined ? (
                  <div class="muted">{(r.durationMs / 1000).toFixed(1)} s</div>
                ) : null}
              </td>
              <td>
                {r.temporalUrl ? (
                  <a href={r.temporalUrl}>{r.workflowId}</a>
                ) : (
                  <code>{r.workflowId}</code>
                )}
                {r.trigger ? <div class="muted">{r.trigger}</div> : null}
              </td>
              <td class={statusClass(r.status)}>{r.status}</td>
              <td>
                {r.briefing ? (
                  <>
                    <a href={urls.briefing(p.company.id, r.briefing.date)}>{r.briefing.date}</a>
                    <div class={r.briefing.outcome === 'complete' ? 'status-ok' : 'status-warn'}>
                      {r.briefing.outcome}
                    </div>
                  </>
                ) : (
                  <span class="muted">–</span>
                )}
              </td>
              <td>
                <Attempts run={r} />
              </td>
              <td>
                <Deliveries list={r.deliveries} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);
