/** Every delivery channel, by name: what the worker's activities send through. */
import type { ChannelName } from '../contract/delivery.js';
import type { DeliveryChannel } from './channel.js';
import { emailChannel } from './email.js';
import { slackChannel } from './slack.js';
import { webhookChannel } from './webhook.js';

export const CHANNELS: { [N in ChannelName]: DeliveryChannel<N> } = {
  email: emailChannel,
  slack: slackChannel,
  webhook: webhookChannel,
};
