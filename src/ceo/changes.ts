/**
 * "What changed since yesterday": this briefing against the previous one. Pure.
 */
import { AGENT_NAMES, AGENT_TITLES } from '../contract/report.js';
import { type Briefing } from '../contract/briefing.js';
import { alertKey, alertTopic } from './dedup.js';

/** Department health moves smaller than this are noise, not news. */
export const HEALTH_MOVE_POINTS = 5;

/** New alerts named, resolved ones listed, up to this many; beyond it they are counted. */
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
  const moves: string[] = [];
  for (const a of AGENT_NAMES) {
    const now = current.agents[a];
    const before = previous.agents[a];
    if (!before) continue;
    if (now.status !== before.status) {
      out.push(`${AGENT_TITLES[a]} data went from ${before.status} to ${now.status}.`);
    } else if (now.status !== 'failed') {
      const d = Math.round(now.health - before.health);
      if (Math.abs(d) >= HEALTH_MOVE_POINTS) {
        moves.push(
          `${AGENT_TITLES[a]} ${d > 0 ? 'up' : 'down'} ${Math.abs(d)} to ${Math.round(now.health)}`,
        );
      }
    }
  }
  if (moves.length > 0) out.push(`Department health: ${moves.join('; ')}.`);
  // Risks and the top priority before alerts: a compact briefing shows the first lines only.
  const beforeRisks = new Set(previous.risks.map((r) => r.id));
  const nowRisks = new Set(current.risks.map((r) => r.id));
  const newRisks = current.risks.filter((r) => !beforeRisks.has(r.id)).map((r) => r.title);
  const cleared = previous.risks.filter((r) => !nowRisks.has(r.id)).map((r) => r.title);
  if (newRisks.length > 0) {
    out.push(`New risk${newRisks.length === 1 ? '' : 's'}: ${newRisks.join('; ')}.`);
  }
  if (cleared.length > 0) {
    out.push(`Risk${cleared.length === 1 ? '' : 's'} cleared: ${cleared.join('; ')}.`);
  }
  const top = current.priorities[0];
  if (top && top.id !== previous.priorities[0]?.id) out.push(`New top priority: ${top.title}.`);
  const beforeAlerts = new Set(previous.alerts.map(alertKey));
  const nowAlerts = new Set(current.alerts.map(alertKey));
  const added = current.alerts.filter((x) => !beforeAlerts.has(alertKey(x)));
  const resolved = previous.alerts.filter((x) => !nowAlerts.has(alertKey(x)));
  // New alerts are named by what they are about: their text is in the briefing already.
  // Resolved ones are not, so they keep theirs. Most severe first (alerts arrive sorted).
  if (added.length > 0) {
    const named = added
      .slice(0, MAX_LISTED)
      .map((x) => `${alertTopic(x.agent, x)} (${AGENT_TITLES[x.agent]})`);
    const more = added.length > MAX_LISTED ? ` and ${added.length - MAX_LISTED} more` : '';
    out.push(`New alert${added.length === 1 ? '' : 's'}: ${named.join(', ')}${more}.`);
  }
  for (const x of resolved.slice(0, MAX_LISTED)) {
    out.push(`Resolved (${AGENT_TITLES[x.agent]}): ${x.message}`);
  }
  if (resolved.length > MAX_LISTED) {
    out.push(`…and ${resolved.length - MAX_LISTED} more resolved alerts.`);
  }
  if (out.length === 0) out.push(`No material change ${since}.`);
  return out;
}
