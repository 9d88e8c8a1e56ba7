/**
 * `boardroom briefing send <id>`: a stored briefing delivered again, on purpose, through
 * the same per-channel activities as a run (so the secrets stay on the worker). Each
 * re-send has keys of its own (`<briefing's workflow>:<channel>:resend:<this run>`),
 * recorded as kind 'resend'; a retry of this workflow's activities sends nothing twice.
 */
import { workflowInfo } from '@temporalio/workflow';
import type {
  DeliveryChannelName,
  ResendBriefingInput,
  ResendBriefingResult,
} from '../shared/workflow-api.js';
import { deliveryActivity, failedDelivery, planDeliveries } from './daily-briefing.js';

export async function resendBriefingWorkflow(
  input: ResendBriefingInput,
): Promise<ResendBriefingResult> {
  const info = workflowInfo();
  const plan = await planDeliveries({ companyId: input.companyId });
  const wanted = new Set<DeliveryChannelName>(input.channels ?? plan.channels);
  const channels = plan.channels.filter((c) => wanted.has(c));
  const deliveries = await Promise.all(
    channels.map((channel) =>
      deliveryActivity(channel)({
        workflowId: input.briefingWorkflowId,
        companyId: input.companyId,
        briefingId: input.briefingId,
        kind: 'resend',
        deliveryKey: `${input.briefingWorkflowId}:${channel}:resend:${info.workflowId}`,
      }).catch((err: unknown) => failedDelivery(channel, err)),
    ),
  );
  return { deliveries, ...(plan.problem ? { deliveryProblem: plan.problem } : {}) };
}
