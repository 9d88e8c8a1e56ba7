/**
 * The portfolio briefing's activities (portfolioBriefingWorkflow): compose the day's
 * portfolio from every company's newest stored head and keep it in Postgres (the
 * workflow gets its id and counts, no figures), read which channels the portfolio's
 * delivery.yaml configures, and deliver it, one activity per channel.
 *
 * Exactly once per day and channel: a `portfolio_deliveries` row keyed
 * `portfolio:<date>:<channel>` is looked up first, and once it says sent nothing is sent
 * again, by a retry, a resumed run or a second `boardroom portfolio send` the same day.
 * Between a send and its record a crash can still happen; the delivery key is then the
 * channel's own dedupe id (Slack's metadata, the e-mail's Message-ID, the webhook's
 * X-Boardroom-Delivery), as for a company's briefing.
 */
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { ChannelMessages, ChannelName } from '../contract/delivery.js';
import { CHANNEL_NAMES, DeliverySettings } from '../contract/delivery.js';
import { Portfolio } from '../contract/portfolio.js';
import { composePortfolio, type PortfolioInput } from '../ceo/portfolio.js';
import {
  renderPortfolioEmail,
  renderPortfolioSlack,
  renderPortfolioWebhook,
  type PortfolioMessageOptions,
} from '../ceo/render-portfolio-messages.js';
import type { DeliveryChannel } from '../delivery/channel.js';
import { CHANNELS } from '../delivery/index.js';
import type { Logger } from '../logger.js';
import { BoardroomError, DeliveryRejectedError } from '../shared/errors.js';
import { calendarDate } from '../shared/time-zone.js';
import { briefingLink } from '../shared/web-paths.js';
import type { DeliveryOutcome } from '../shared/workflow-api.js';
import { loadLocatedDataset } from '../sources/workspace.js';
import { overviewHead, type Repository } from '../store/repository.js';
import { sendOnce, type DeliveryChannels } from './deliver.js';
import { toFailure } from './failures.js';

export interface ComposePortfolioInput {
  workflowId: string;
  /** The portfolio's day, YYYY-MM-DD. */
  date: string;
  /** Only these companies (`--company`). @default every company with a briefing */
  companies?: string[];
}

/** What the workflow keeps of a stored portfolio: its id and counts, no figures. */
export interface PortfolioRef {
  /** Absent when no company has a briefing: nothing is stored, nothing is to be sent. */
  portfolioId?: number;
  companies: number;
  current: number;
  degraded: number;
  risks: { critical: number; warning: number; info: number };
  /** False when an earlier run under this workflow id had stored it: its figures are sent. */
  created: boolean;
}

export interface PortfolioDeliveryPlanInput {
  /** The delivery.yaml whose channels the portfolio goes to (absolute path). */
  deliveryFile: string;
  /** Only these of its channels. @default every channel it configures */
  channels?: ChannelName[];
}

export interface PortfolioDeliveryPlan {
  channels: ChannelName[];
  /** Channels asked for that the file does not configure. */
  notConfigured: ChannelName[];
  /** The file could not be read or is invalid (its message names file and field). */
  problem?: string;
}

export interface DeliverPortfolioInput {
  workflowId: string;
  portfolioId: number;
  date: string;
  deliveryFile: string;
  /** A portfolio of some companies only: their key (portfolioScopeKey), apart from the whole's. */
  scope?: string;
}

/**
 * The ledger's key, and the channels' dedupe id, of a day's portfolio on a channel:
 * `portfolio:<date>:<channel>`; a portfolio of some companies only has its scope in it.
 */
export function portfolioDeliveryKey(date: string, channel: ChannelName, scope?: string): string {
  return scope ? `portfolio:${date}:${scope}:${channel}` : `portfolio:${date}:${channel}`;
}

/**
 * Each company's newest briefing's head: everything the portfolio shows, cash included,
 * one small row per company. A head stored before it kept the cash is completed from its
 * full briefing (the same row, so all figures stay of one run).
 */
export async function readPortfolioInputs(
  repo: Pick<Repository, 'latestBriefings' | 'getBriefing'>,
  companies?: readonly string[],
): Promise<PortfolioInput[]> {
  const wanted = companies && companies.length > 0 ? new Set(companies) : undefined;
  const newest = (await repo.latestBriefings()).filter((b) => !wanted || wanted.has(b.companyId));
  return Promise.all(
    newest.map(async (overview): Promise<PortfolioInput> => {
      if (overview.head.cash !== undefined) return overview;
      const full = await repo.getBriefing(String(overview.id));
      return full
        ? { ...overview, head: { ...overview.head, cash: overviewHead(full.briefing).cash } }
        : overview;
    }),
  );
}

/**
 * Each registered company's own day at `now`, in its zone: a company whose morning has
 * not come yet still counts yesterday's briefing as current.
 */
export async function registeredCompanyDates(
  repo: Pick<Repository, 'listCompanies'>,
  now: Date,
): Promise<Record<string, string>> {
  const companies = await repo.listCompanies();
  return Object.fromEntries(companies.map((c) => [c.id, calendarDate(now, c.timeZone)]));
}

/** The delivery.yaml at `file`, validated; undefined when there is no such file. */
export async function loadPortfolioDelivery(file: string): Promise<DeliverySettings | undefined> {
  const loaded = await loadLocatedDataset(
    path.dirname(file),
    { file: path.basename(file), format: 'yaml', optional: true },
    DeliverySettings.optional(),
  );
  return loaded.value;
}

export function renderPortfolioFor<N extends ChannelName>(
  channel: N,
  portfolio: Portfolio,
  opts: PortfolioMessageOptions = {},
): ChannelMessages[N] {
  const messages: { [K in ChannelName]: () => ChannelMessages[K] } = {
    email: () => renderPortfolioEmail(portfolio, opts),
    slack: () => renderPortfolioSlack(portfolio, opts),
    webhook: () => renderPortfolioWebhook(portfolio),
  };
  return messages[channel]() as ChannelMessages[N];
}

export function createPortfolioActivities(deps: {
  repo: Repository;
  log: Logger;
  clock: () => Date;
  /** @default CHANNELS (src/delivery/index.ts) */
  channels?: DeliveryChannels | undefined;
  /** Where the channels' secrets and BOARDROOM_WEB_URL are read. @default {} */
  env?: Record<string, string | undefined> | undefined;
}) {
  const { repo, log, clock } = deps;
  const channels = deps.channels ?? CHANNELS;
  const env = deps.env ?? {};

  async function deliver(
    channel: ChannelName,
    input: DeliverPortfolioInput,
  ): Promise<DeliveryOutcome> {
    const { attempt } = Context.current().info;
    const key = portfolioDeliveryKey(input.date, channel, input.scope);
    const facts = { channel, workflow_id: input.workflowId, date: input.date, attempt };
    const row = await repo.beginPortfolioDelivery({
      portfolioId: input.portfolioId,
      workflowId: input.workflowId,
      date: input.date,
      channel,
      deliveryKey: key,
    });
    return sendOnce({
      channel,
      row,
      deliveryId: key,
      impl: channels[channel] as DeliveryChannel | undefined,
      finish: (id, outcome) => repo.finishPortfolioDelivery(id, outcome),
      env,
      log,
      facts,
      said: {
        alreadySent: 'portfolio delivery already sent',
        delivered: 'portfolio delivered',
        failed: 'portfolio delivery failed',
      },
      prepare: async () => {
        const [settings, stored] = await Promise.all([
          loadPortfolioDelivery(input.deliveryFile),
          repo.getPortfolio(input.portfolioId),
        ]);
        const channelSettings = settings?.[channel];
        if (!channelSettings)
          throw new DeliveryRejectedError(
            `${input.deliveryFile} has no "${channel}" block any more: nothing to send (docs/delivery.md).`,
            { file: input.deliveryFile, field: channel },
          );
        if (!stored)
          throw new DeliveryRejectedError(`Portfolio #${input.portfolioId} is not stored.`);
        const base = env.BOARDROOM_WEB_URL;
        return {
          message: renderPortfolioFor(
            channel,
            stored.portfolio,
            base ? { briefingUrl: (id, date) => briefingLink(base, id, date)! } : {},
          ),
          settings: channelSettings,
        };
      },
    });
  }

  return {
    /** Composes the day's portfolio from the stored heads and keeps it; its id and counts. */
    async composePortfolioByRef(input: ComposePortfolioInput): Promise<PortfolioRef> {
      try {
        const [inputs, companyDates] = await Promise.all([
          readPortfolioInputs(repo, input.companies),
          registeredCompanyDates(repo, clock()),
        ]);
        const counts = { critical: 0, warning: 0, info: 0 };
        if (inputs.length === 0)
          return { companies: 0, current: 0, degraded: 0, risks: counts, created: false };
        const portfolio = Portfolio.parse(
          composePortfolio(inputs, {
            date: input.date,
            companyDates,
            ...(input.companies ? { expected: input.companies } : {}),
          }),
        );
        const saved = await repo.savePortfolio({
          workflowId: input.workflowId,
          date: input.date,
          companies: portfolio.companies.length,
          portfolio,
        });
        // What is sent is what was stored first: its counts, not a newer composition's.
        const sent = saved.created ? portfolio : (await repo.getPortfolio(saved.id))!.portfolio;
        return {
          portfolioId: saved.id,
          companies: sent.companies.length,
          current: sent.today.current.length,
          degraded: sent.today.degraded.length,
          risks: sent.risks.counts,
          created: saved.created,
        };
      } catch (err) {
        throw toFailure(err);
      }
    },

    /** The channels the portfolio's delivery.yaml configures (of those asked for). */
    async planPortfolioDelivery(input: PortfolioDeliveryPlanInput): Promise<PortfolioDeliveryPlan> {
      let settings: DeliverySettings | undefined;
      try {
        settings = await loadPortfolioDelivery(input.deliveryFile);
      } catch (err) {
        if (err instanceof BoardroomError && err.permanent)
          return { channels: [], notConfigured: [], problem: (err as Error).message };
        throw toFailure(err);
      }
      if (!settings)
        return {
          channels: [],
          notConfigured: [],
          problem: `${input.deliveryFile} does not exist: no channel to send the portfolio to.`,
        };
      const configured = CHANNEL_NAMES.filter((c) => settings[c] !== undefined);
      const asked = input.channels && input.channels.length > 0 ? input.channels : configured;
      return {
        channels: configured.filter((c) => asked.includes(c)),
        notConfigured: asked.filter((c) => !configured.includes(c)),
      };
    },

    deliverPortfolioEmail: (input: DeliverPortfolioInput) => deliver('email', input),
    deliverPortfolioSlack: (input: DeliverPortfolioInput) => deliver('slack', input),
    deliverPortfolioWebhook: (input: DeliverPortfolioInput) => deliver('webhook', input),
  };
}

export type PortfolioActivities = ReturnType<typeof createPortfolioActivities>;
