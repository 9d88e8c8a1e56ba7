/**
 * What `start`, `run` and `briefing send` print about a run's deliveries: one line per
 * channel (what was sent where, or what failed and what to do), or how to set delivery
 * up when nothing is configured.
 */
import type { DailyBriefingResult, DeliveryOutcome } from '../shared/workflow-api.js';

/** How a channel is named to a person. */
export const CHANNEL_LABELS = { email: 'E-mail', slack: 'Slack', webhook: 'Webhook' } as const;

export const NO_DELIVERY_LINE =
  'Delivery: none configured, so the briefing was only saved. Add a delivery.yaml to the ' +
  'workspace folder (e-mail, Slack or a webhook; for the demo, .data/demo-workspace, where ' +
  'it is kept; docs/delivery.md), then `npx boardroom delivery test`.';

export function deliveryLine(d: DeliveryOutcome): string {
  const label = CHANNEL_LABELS[d.channel];
  if (d.status === 'sent') {
    const id = d.messageId
      ? ` (${d.channel === 'email' ? 'Message-ID ' : d.channel === 'slack' ? 'ts ' : 'id '}${d.messageId})`
      : '';
    return `${label}: ${d.alreadySent ? 'already sent' : 'sent'} to ${d.target ?? 'its target'}${id}.`;
  }
  const tries = d.attempts > 1 ? ` after ${d.attempts} attempts` : '';
  return `${label}: FAILED${tries}: ${d.error ?? 'unknown error'} (\`npx boardroom delivery test --channel ${d.channel}\` checks it; \`npx boardroom briefing send <id> --channel ${d.channel}\` re-sends).`;
}

/** The lines for a finished run; none for a run from before delivery existed. */
export function deliveryLines(
  result: Pick<DailyBriefingResult, 'deliveries' | 'deliveryProblem'>,
): string[] {
  if (result.deliveryProblem) {
    return [`Delivery: nothing sent, delivery.yaml cannot be read: ${result.deliveryProblem}`];
  }
  if (!result.deliveries) return [];
  if (result.deliveries.length === 0) return [NO_DELIVERY_LINE];
  return result.deliveries.map(deliveryLine);
}
