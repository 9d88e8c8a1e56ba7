/** @jsxImportSource hono/jsx */
/**
 * A risk and the evidence behind it: each figure the rule used, as the briefing quoted
 * it, with its stored history up to the briefing's day, the alerts it explains, and the
 * suggested action.
 */
import type { FC } from 'hono/jsx';
import { AGENT_TITLES, type AgentName, type MetricSnapshot } from '../../contract/report.js';
import type { RiskFinding } from '../../contract/briefing.js';
import { describeEvidence } from '../../ceo/render-markdown.js';
import { metricInfo } from '../../ceo/metric-catalog.js';
import { series } from '../../shared/history.js';
import type { StoredBriefing } from '../../store/repository.js';
import { LineChart } from '../charts/index.js';
import { metricAnchor, urls } from '../urls.js';
import { Layout, type PageFrame } from './layout.js';

export interface RiskProps extends PageFrame {
  company: { id: string; name: string };
  stored: StoredBriefing;
  risk: RiskFinding;
  histories: Partial<Record<AgentName, MetricSnapshot[]>>;
  until: string;
}

const SEVERITY_CLASS = { critical: 'crit', warning: 'warn', info: 'info' } as const;

export const RiskPage: FC<RiskProps> = (p) => {
  const b = p.stored.briefing;
  const { risk } = p;
  const folded = b.alerts.filter((a) =>
    (risk.alerts ?? []).includes(`${a.agent}:${a.id}:${a.metric}`),
  );
  return (
    <Layout
      {...p}
      title={`${risk.title}: ${p.company.name}`}
      company={p.company}
      section="briefing"
    >
      <p>
        <a href={urls.briefing(p.company.id, b.briefingDate)}>← The briefing of {b.briefingDate}</a>
      </p>
      <h1>
        <span class={`badge ${SEVERITY_CLASS[risk.severity]}`}>{risk.severity}</span>
        {risk.title}
      </h1>
      <p>{risk.message}</p>
      {risk.basedOnStaleData ? <p class="muted">Partly on stale data.</p> : null}
      <p>
        <strong>Action:</strong> {risk.action}
      </p>
      <h2>Evidence</h2>
      <table>
        <caption class="visually-hidden">The figures this risk was found from</caption>
        <thead>
          <tr>
            <th scope="col">Department</th>
            <th scope="col">Figure</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {risk.evidence.map((e) => (
            <tr>
              <td>{AGENT_TITLES[e.agent]}</td>
              <td>
                <a href={urls.metric(p.company.id, e.agent, e.metric)}>
                  {describeEvidence(e, b.currency)}
                </a>
              </td>
              <td>{e.stale ? 'stale' : e.asOf ? `as of ${e.asOf}` : 'current'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {folded.length > 0 ? (
        <>
          <h2>Alerts it explains</h2>
          <ul>
            {folded.map((a) => (
              <li>
                <span class={`badge ${SEVERITY_CLASS[a.severity]}`}>{a.severity}</span>
                {AGENT_TITLES[a.agent]}: {a.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>The figures over the 90 days before</h2>
      {risk.evidence.map((e) => {
        const info = metricInfo(e.agent, e.metric);
        const points = series(p.histories[e.agent] ?? [], e.metric).filter(
          (pt) => pt.date <= p.until,
        );
        return (
          <section class="risk-chart" aria-label={info.label}>
            <h3>
              {info.label} <span class="muted">({AGENT_TITLES[e.agent]})</span>
            </h3>
            <LineChart
              id={`risk-${metricAnchor(`${e.agent}-${e.metric}`)}`}
              title={info.label}
              unit={info.unit}
              currency={b.currency}
              points={points}
            />
          </section>
        );
      })}
    </Layout>
  );
};
