/**
 * `boardroom delivery test [--channel email|slack|webhook]`: a short test message to each
 * configured channel, from this process with this environment's secrets (run it where
 * the worker runs, with the worker's environment). Says exactly what failed and what to
 * do; exit 1 when any channel failed or none is configured.
 */
import { randomUUID } from 'node:crypto';
import { CHANNEL_NAMES, type ChannelName } from '../../contract/delivery.js';
import { CHANNELS } from '../../delivery/index.js';
import { resolveCompany } from '../company.js';
import type { CommandDeps } from '../context.js';
import { prepareWorkspace } from '../demo.js';
import { CHANNEL_LABELS, NO_DELIVERY_LINE } from '../delivery-lines.js';
import { createSources } from '../sources.js';

export interface DeliveryTestOptions {
  /** Only these channels. @default every configured channel */
  channel?: ChannelName[];
  /** The configured company or a registered one. @default BOARDROOM_COMPANY_ID */
  company?: string;
}

export async function deliveryTest(
  opts: DeliveryTestOptions,
  deps: Pick<CommandDeps, 'config' | 'output'> & Partial<Pick<CommandDeps, 'log'>>,
): Promise<number> {
  const { output } = deps;
  const { config } = await resolveCompany(deps, opts.company);
  await prepareWorkspace(config);
  const sources = createSources(config);
  const [settings, company] = await Promise.all([
    sources.loadDelivery!(config.company.id),
    sources.loadCompany(config.company.id),
  ]);
  const configured = CHANNEL_NAMES.filter((c) => settings?.[c] !== undefined);
  const wanted = configured.filter((c) => !opts.channel?.length || opts.channel.includes(c));
  if (configured.length === 0) {
    output.say(NO_DELIVERY_LINE);
    return 1;
  }
  for (const c of opts.channel ?? []) {
    if (!configured.includes(c))
      output.say(
        `${CHANNEL_LABELS[c]}: not configured in delivery.yaml (it has ${configured.join(', ')}).`,
      );
  }
  let failed = wanted.length === 0;
  await Promise.all(
    wanted.map(async (name) => {
      const channel = CHANNELS[name] as (typeof CHANNELS)[ChannelName];
      try {
        const receipt = await channel.sendTest(
          { id: config.company.id, name: company.profile.name },
          settings![name] as never,
          {
            // A test has an id of its own: a receiver must not take it for a briefing.
            deliveryId: `test:${config.company.id}:${randomUUID()}`,
            env: config.sourceEnv,
            signal: AbortSignal.timeout(30_000),
          },
        );
        output.out(
          `${CHANNEL_LABELS[name]}: test message sent to ${receipt.target} (${receipt.messageId}).`,
        );
      } catch (err) {
        failed = true;
        output.out(`${CHANNEL_LABELS[name]}: FAILED: ${(err as Error).message}`);
      }
    }),
  );
  return failed ? 1 : 0;
}
