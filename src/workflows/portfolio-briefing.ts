/**
 * `boardroom portfolio send`: the day's portfolio briefing composed from every company's
 * newest stored head and delivered to the channels of the portfolio's delivery.yaml, one
 * activity per channel, each with its own retries (a failing Slack never blocks the
 * e-mail). The workflow id is `boardroom-portfolio-<date>`; the history holds the stored
 * portfolio's id and counts, never its figures.
 *
 * Nothing twice: each channel's delivery of the day is a ledger row
 * (`portfolio:<date>:<channel>`), so a retry, a resumed run or a second send the same day
 * finds it sent and sends nothing. Nothing empty: without any company briefed, nothing is
 * composed and nothing sent (the result says `empty`).
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { calendarDate } from '../shared/time-zone.js';
import type { Activities } from '../activities/activities.js';
import type { DeliveryChannelName, DeliveryOutcome } from '../shared/workflow-api.js';
import { SCHEDULED_START_TIME_SEARCH_ATTRIBUTE } from '../shared/workflow-api.js';
import { NON_RETRYABLE_ERROR_TYPES } from '../shared/errors.js';
import { deliveryActivityOptions, failedDelivery } from './daily-briefing.js';

export const PORTFOLIO_WORKFLOW_TYPE = 'portfolioBriefingWorkflow';

/** The daily portfolio's schedule (`boardroom portfolio schedule`); its runs' ids start so. */
export const PORTFOLIO_SCHEDULE_ID = 'boardroom-portfolio';

/**
 * The workflow id of the portfolio of `date` (YYYY-MM-DD): one a day, and one a day for
 * each scope (a portfolio of some companies only, `--company`).
 */
export function portfolioWorkflowId(date: string, scope?: string): string {
  return scope ? `boardroom-portfolio-${date}-${scope}` : `boardroom-portfolio-${date}`;
}

export interface PortfolioBriefingInput {
  /**
   * The portfolio's day, YYYY-MM-DD. Omitted (the daily schedule's runs): the day of the
   * run's scheduled time (TemporalScheduledStartTime, else its start) in `timeZone`.
   */
  date?: string;
  /** The zone that day is taken in. @default 'UTC' */
  timeZone?: string;
  /** The delivery.yaml whose channels it goes to (absolute path, read by the worker). */
  deliveryFile: string;
  /** Only these channels of that file. @default every channel it configures */
  channels?: DeliveryChannelName[];
  /**
   * Only these companies, and their scope key (a hash of the sorted ids, made by the
   * client: the workflow has no hash), which keeps their sends apart from the whole's.
   * @default every company with a briefing
   */
  scope?: { companies: string[]; key: string };
}

export interface PortfolioBriefingResult {
  /** `empty`: no company has a briefing, nothing was sent. */
  status: 'delivered' | 'empty' | 'not-delivered';
  date: string;
  portfolioId?: number;
  companies: number;
  current: number;
  degraded: number;
  risks: { critical: number; warning: number; info: number };
  /** One per channel sent to (or found sent already). */
  deliveries: DeliveryOutcome[];
  /** Channels asked for that the delivery file does not configure. */
  notConfigured: DeliveryChannelName[];
  /** The delivery file could not be read: nothing was delivered. */
  deliveryProblem?: string;
}

const { composePortfolioByRef, planPortfolioDelivery } = proxyActivities<Activities>({
  // The store's own retries inside an attempt take up to ~45 s.
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
});

const PORTFOLIO_DELIVERY: Record<
  DeliveryChannelName,
  'deliverPortfolioEmail' | 'deliverPortfolioSlack' | 'deliverPortfolioWebhook'
> = {
  email: 'deliverPortfolioEmail',
  slack: 'deliverPortfolioSlack',
  webhook: 'deliverPortfolioWebhook',
};

/** The channel's activity, with the retries a briefing's delivery on it has. */
function deliverPortfolio(channel: DeliveryChannelName) {
  return proxyActivities<Activities>(deliveryActivityOptions(channel, `portfolio:${channel}`))[
    PORTFOLIO_DELIVERY[channel]
  ];
}

export async function portfolioBriefingWorkflow(
  input: PortfolioBriefingInput,
): Promise<PortfolioBriefingResult> {
  const info = workflowInfo();
  const { workflowId } = info;
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START_TIME_SEARCH_ATTRIBUTE);
  const date =
    input.date ??
    calendarDate(
      scheduled instanceof Date && Number.isFinite(scheduled.getTime())
        ? scheduled
        : info.startTime,
      input.timeZone ?? 'UTC',
    );
  const ref = await composePortfolioByRef({
    workflowId,
    date,
    ...(input.scope ? { companies: input.scope.companies } : {}),
  });
  const base = {
    date,
    companies: ref.companies,
    current: ref.current,
    degraded: ref.degraded,
    risks: ref.risks,
  };
  if (ref.portfolioId === undefined || ref.companies === 0)
    return { status: 'empty', ...base, deliveries: [], notConfigured: [] };
  const portfolioId = ref.portfolioId;
  const plan = await planPortfolioDelivery({
    deliveryFile: input.deliveryFile,
    ...(input.channels ? { channels: input.channels } : {}),
  });
  const deliveries = await Promise.all(
    plan.channels.map((channel) =>
      deliverPortfolio(channel)({
        workflowId,
        portfolioId,
        date,
        deliveryFile: input.deliveryFile,
        ...(input.scope ? { scope: input.scope.key } : {}),
      }).catch((err: unknown) => failedDelivery(channel, err)),
    ),
  );
  return {
    status: deliveries.some((d) => d.status === 'sent') ? 'delivered' : 'not-delivered',
    ...base,
    portfolioId,
    deliveries,
    notConfigured: plan.notConfigured,
    ...(plan.problem ? { deliveryProblem: plan.problem } : {}),
  };
}
