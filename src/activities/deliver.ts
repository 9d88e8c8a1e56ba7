/**
 * Delivery activities: after the save, one activity per configured channel (Temporal
 * shows `deliverEmail`, `deliverSlack`, `deliverWebhook`), each with its own retries.
 * They carry references (the briefing's id), read the briefing from Postgres, render it
 * for the channel with the CEO layer's pure renderers and hand it to the channel.
 *
 * Exactly once: the `deliveries` row of (briefing, channel, delivery key) is looked up
 * first; once it says sent, nothing is sent again. Between a send and its record a crash
 * can still happen; then the channel's own dedupe on the delivery id covers it (Slack:
 * the message's metadata; webhook: X-Boardroom-Delivery; e-mail: the same Message-ID).
 */
import { Context } from '@temporalio/activity';
import type { Briefing } from '../contract/briefing.js';
import {
  CHANNEL_NAMES,
  deliveryId,
  type ChannelMessages,
  type ChannelName,
  type DeliverySettings,
} from '../contract/delivery.js';
import { renderEmail } from '../ceo/render-email.js';
import { renderSlack } from '../ceo/render-slack.js';
import type { DeliveryChannel, DeliveryReceipt } from '../delivery/channel.js';
import type { Logger } from '../logger.js';
import { BoardroomError, DeliveryRejectedError } from '../shared/errors.js';
import type { Sources } from '../sources/sources.js';
import type { Repository } from '../store/repository.js';
import type { DeliveryOutcome, DeliveryPlan } from '../shared/workflow-api.js';
import { toFailure } from './failures.js';
import { briefingLink } from '../shared/web-paths.js';
import { keepHeartbeating } from './heartbeat.js';

export type DeliveryChannels = { [N in ChannelName]?: DeliveryChannel<N> };

export interface DeliverInput {
  workflowId: string;
  companyId: string;
  briefingId: number;
  /** `run` (the run's own delivery) or `resend` (`boardroom briefing send`). @default 'run' */
  kind?: 'run' | 'resend';
  /** The delivery key: deliveryId(workflowId, channel), or a re-send's own. */
  deliveryKey?: string;
}

/** What each channel is sent: rendered by the CEO layer, or the briefing's JSON. */
export function renderForChannel<N extends ChannelName>(
  channel: N,
  briefing: Briefing,
  opts: { briefingUrl?: string } = {},
): ChannelMessages[N] {
  const messages: { [K in ChannelName]: () => ChannelMessages[K] } = {
    email: () => renderEmail(briefing, opts),
    slack: () => renderSlack(briefing, opts),
    webhook: () => ({ body: JSON.stringify(briefing) }),
  };
  return messages[channel]() as ChannelMessages[N];
}

/** A ledger row: the deliveries table's and the portfolio deliveries'. */
interface LedgerRow {
  id: number;
  status: string;
  target?: string | null;
  messageId?: string | null;
  attempts: number;
}

/**
 * One send through the ledger, for a briefing or a portfolio: a row already sent is its
 * receipt and nothing is sent; else `prepare` (settings, stored content, the message),
 * send, and the row recorded sent, or pending (to retry) or failed (permanent). The
 * attempt heartbeats meanwhile: a worker that dies mid-send stops heartbeating, the
 * attempt moves to another worker after the heartbeat timeout, which then finds the row
 * (or the channel finds the delivery id).
 */
export async function sendOnce(opts: {
  channel: ChannelName;
  row: LedgerRow;
  deliveryId: string;
  impl: DeliveryChannel | undefined;
  prepare: () => Promise<{ message: unknown; settings: unknown }>;
  finish: (
    rowId: number,
    outcome:
      | { status: 'sent'; target: string; messageId: string }
      | { status: 'failed' | 'pending'; error: string; errorType: string },
  ) => Promise<unknown>;
  env: Record<string, string | undefined>;
  log: Logger;
  facts: Record<string, unknown>;
  /** The log lines' messages. */
  said: { alreadySent: string; delivered: string; failed: string };
}): Promise<DeliveryOutcome> {
  const { channel, row, log, facts } = opts;
  if (row.status === 'sent') {
    log.info({ ...facts, message_id: row.messageId }, opts.said.alreadySent);
    return {
      channel,
      status: 'sent',
      ...(row.target ? { target: row.target } : {}),
      ...(row.messageId ? { messageId: row.messageId } : {}),
      alreadySent: true,
      attempts: row.attempts,
    };
  }
  const t0 = performance.now();
  const stopHeartbeat = keepHeartbeating();
  try {
    if (!opts.impl) throw new DeliveryRejectedError(`No ${channel} channel in this worker.`);
    const { message, settings } = await opts.prepare();
    const receipt: DeliveryReceipt = await opts.impl.send(message as never, settings as never, {
      deliveryId: opts.deliveryId,
      env: opts.env,
      signal: Context.current().cancellationSignal,
    });
    await opts.finish(row.id, {
      status: 'sent',
      target: receipt.target,
      messageId: receipt.messageId,
    });
    log.info(
      {
        ...facts,
        duration_ms: Math.round(performance.now() - t0),
        target: receipt.target,
        message_id: receipt.messageId,
        already_sent: receipt.alreadySent === true,
      },
      opts.said.delivered,
    );
    return {
      channel,
      status: 'sent',
      target: receipt.target,
      messageId: receipt.messageId,
      ...(receipt.alreadySent ? { alreadySent: true } : {}),
      attempts: row.attempts,
    };
  } catch (err) {
    const e = err as Error;
    const permanent = err instanceof BoardroomError && err.permanent;
    await opts
      .finish(row.id, {
        status: permanent ? 'failed' : 'pending',
        error: e.message,
        errorType: e.name,
      })
      .catch((dbErr: Error) =>
        log.error({ ...facts, error: dbErr.message }, 'could not record the delivery failure'),
      );
    log.warn(
      {
        ...facts,
        duration_ms: Math.round(performance.now() - t0),
        error: e.message,
        error_type: e.name,
      },
      opts.said.failed,
    );
    throw toFailure(err);
  } finally {
    stopHeartbeat();
  }
}

export function createDeliveryActivities(deps: {
  repo: Repository;
  sources: Sources;
  log: Logger;
  channels: DeliveryChannels;
  /** The environment the channels read their secrets from (the worker's). */
  env: Record<string, string | undefined>;
}) {
  const { repo, sources, log, channels, env } = deps;

  async function deliver(channel: ChannelName, input: DeliverInput): Promise<DeliveryOutcome> {
    const { attempt } = Context.current().info;
    const key = input.deliveryKey ?? deliveryId(input.workflowId, channel);
    const facts = {
      channel,
      company_id: input.companyId,
      workflow_id: input.workflowId,
      briefing_id: input.briefingId,
      attempt,
    };
    const row = await repo.beginDelivery({
      briefingId: input.briefingId,
      companyId: input.companyId,
      workflowId: input.workflowId,
      channel,
      deliveryKey: key,
      kind: input.kind ?? 'run',
    });
    return sendOnce({
      channel,
      row,
      deliveryId: key,
      impl: channels[channel] as DeliveryChannel | undefined,
      finish: (id, outcome) => repo.finishDelivery(id, outcome),
      env,
      log,
      facts,
      said: {
        alreadySent: 'delivery already sent',
        delivered: 'briefing delivered',
        failed: 'delivery failed',
      },
      prepare: async () => {
        const [settings, stored] = await Promise.all([
          sources.loadDelivery?.(input.companyId),
          repo.getBriefing(String(input.briefingId)),
        ]);
        const channelSettings = settings?.[channel];
        if (!channelSettings) {
          throw new DeliveryRejectedError(
            `delivery.yaml has no "${channel}" block any more: nothing to send (docs/delivery.md).`,
            { file: 'delivery.yaml', field: channel },
          );
        }
        if (!stored)
          throw new DeliveryRejectedError(`Briefing #${input.briefingId} is not stored.`);
        // BOARDROOM_WEB_URL: where people open the briefing (the web app); without it, no link.
        const briefingUrl = briefingLink(
          env.BOARDROOM_WEB_URL,
          stored.companyId,
          stored.briefingDate,
        );
        return {
          message: renderForChannel(channel, stored.briefing, briefingUrl ? { briefingUrl } : {}),
          settings: channelSettings,
        };
      },
    });
  }

  return {
    /** Which channels delivery.yaml configures; a bad file is a problem to report, not a failed run. */
    async planDeliveries(input: { companyId: string }): Promise<DeliveryPlan> {
      let settings: DeliverySettings | undefined;
      try {
        settings = await sources.loadDelivery?.(input.companyId);
      } catch (err) {
        if (err instanceof BoardroomError && err.permanent)
          return { channels: [], problem: (err as Error).message };
        throw toFailure(err);
      }
      return { channels: CHANNEL_NAMES.filter((c) => settings?.[c] !== undefined) };
    },
    deliverEmail: (input: DeliverInput) => deliver('email', input),
    deliverSlack: (input: DeliverInput) => deliver('slack', input),
    deliverWebhook: (input: DeliverInput) => deliver('webhook', input),
  };
}
