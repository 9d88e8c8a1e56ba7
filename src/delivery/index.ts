/**
 * Every delivery channel, by name: what the worker's activities send through. Each is
 * loaded on its first send: nodemailer, resvg and Slack's client weigh on a worker's
 * memory, and a company uses some channels or none.
 */
import type { ChannelName } from '../contract/delivery.js';
import type { DeliveryChannel } from './channel.js';

function onFirstSend<N extends ChannelName>(
  name: N,
  importChannel: () => Promise<DeliveryChannel<N>>,
): DeliveryChannel<N> {
  let loading: Promise<DeliveryChannel<N>> | undefined;
  const channel = () => (loading ??= importChannel());
  return {
    name,
    send: async (message, settings, ctx) => (await channel()).send(message, settings, ctx),
    sendTest: async (company, settings, ctx) => (await channel()).sendTest(company, settings, ctx),
  };
}

export const CHANNELS: { [N in ChannelName]: DeliveryChannel<N> } = {
  email: onFirstSend('email', async () => (await import('./email.js')).emailChannel),
  slack: onFirstSend('slack', async () => (await import('./slack.js')).slackChannel),
  webhook: onFirstSend('webhook', async () => (await import('./webhook.js')).webhookChannel),
};
