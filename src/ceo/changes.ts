/**
 * "What changed since yesterday": this briefing against the previous one. Pure.
 */
import { AGENT_NAMES, AGENT_TITLES } from '../contract/report.js';
import { type Briefing } from '../contract/briefing.js';

/** Department health moves smaller than this are noise, not news. */
export const HEALTH_MOVE_POINTS = 5;

/** New or resolved alerts listed one by one; beyond this they are counted. */
export const MAX_LISTED = 5;

type Comparable = Pick<
  Briefing,
  'health' | 'agents' | 'alerts' | 'risks' | 'priorities' | 'briefingDate'
>;

export function changesSince(current: Comparable, previous: Comparable | undefined): string[] {
  if (!previous) return ['First briefing for this company: nothing to compare with yet.'];
  const out: string[] = [];
  const since = `since ${previous.briefingDate}`;
  const delta = Math.round(current.health - previous.health);
  if (delta !== 0) {
    out.push(
      `Overall health ${delta > 0 ? 'up' : 'down'} ${Math.abs(delta)} to ${Math.round(current.health)} (${since}).`,
    );
  }
  for (const a of AGENT_NAMES) {
    const now = current.agents[a];
    const before = previous.agents[a];
    if (!before) continue;
    if (now.status !== before.status) {
      out.push(`${AGENT_TITLES[a]} went from ${before.status} to ${now.status}.`);
    } else if (now.status !== 'failed') {
      const d = Math.round(now.health - before.health);
      if (Math.abs(d) >= HEALTH_MOVE_POINTS) {
        out.push(
          `${AGENT_TITLES[a]} health ${d > 0 ? 'up' : 'down'} ${Math.abs(d)} to ${Math.round(now.health)}.`,
        );
      }
    }
  }
  const alertKey = (x: { agent: string; id: string }) => `${x.agent}:${x.id}`;
  const beforeAlerts = new Set(previous.alerts.map(alertKey));
  const nowAlerts = new Set(current.alerts.map(alertKey));
  const added = current.alerts.filter((x) => !beforeAlerts.has(alertKey(x)));
  const resolved = previous.alerts.filter((x) => !nowAlerts.has(alertKey(x)));
  // A handful of lines, most severe first (alerts arrive sorted): the full list is below.
  for (const x of added.slice(0, MAX_LISTED)) {
    out.push(`New alert (${AGENT_TITLES[x.agent]}): ${x.message}`);
  }
  if (added.length > MAX_LISTED) out.push(`…and ${added.length - MAX_LISTED} more new alerts.`);
  for (const x of resolved.slice(0, MAX_LISTED)) {
    out.push(`Resolved (${AGENT_TITLES[x.agent]}): ${x.message}`);
  }
  if (resolved.length > MAX_LISTED) {
    out.push(`…and ${resolved.length - MAX_LISTED} more resolved alerts.`);
  }
  const beforeRisks = new Set(previous.risks.map((r) => r.id));
  const nowRisks = new Set(current.risks.map((r) => r.id));
  for (const r of current.risks) if (!beforeRisks.has(r.id)) out.push(`New risk: ${r.title}.`);
  for (const r of previous.risks) if (!nowRisks.has(r.id)) out.push(`Risk cleared: ${r.title}.`);
  const top = current.priorities[0];
  if (top && top.id !== previous.priorities[0]?.id) out.push(`New top priority: ${top.title}.`);
  if (out.length === 0) out.push(`No material change ${since}.`);
  return out;
}
