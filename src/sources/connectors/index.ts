/**
 * The connectors a worker can use; sources.yaml picks them per company and agent. A new
 * connector is its folder, its name in CONNECTOR_NAMES (connector.ts), its line here and
 * its breaker defaults (breaker.ts): the compiler asks for the last two once the name is
 * there, and tests/sources/connectors/conformance.test.ts for its fake API and cases.
 *
 * Each is loaded on its first use: the vendors' libraries weigh ~60 MB of a worker's
 * memory together, and most companies use one or none of them.
 */
import type { AgentName } from '../../contract/report.js';
import type { Connector, ConnectorName } from './connector.js';
import { HUBSPOT_SUPPLIES } from './hubspot/settings.js';
import { LINEAR_SUPPLIES } from './linear/settings.js';
import { STRIPE_SUPPLIES } from './stripe/settings.js';

export { CONNECTOR_NAMES, type ConnectorName } from './connector.js';

/** A connector whose module (and vendor library) is imported when it is first called. */
function onFirstUse(
  name: ConnectorName,
  supplies: Partial<Record<AgentName, readonly string[]>>,
  importConnector: () => Promise<Connector>,
): Connector {
  let loading: Promise<Connector> | undefined;
  const connector = () => (loading ??= importConnector());
  return {
    name,
    supplies,
    load: async (agent, ctx) => (await connector()).load(agent, ctx),
    check: async (ctx) => (await connector()).check(ctx),
  };
}

export const CONNECTORS: Record<ConnectorName, Connector> = {
  stripe: onFirstUse('stripe', STRIPE_SUPPLIES, async () => {
    return (await import('./stripe/index.js')).stripeConnector;
  }),
  hubspot: onFirstUse('hubspot', HUBSPOT_SUPPLIES, async () => {
    return (await import('./hubspot/index.js')).hubspotConnector;
  }),
  linear: onFirstUse('linear', LINEAR_SUPPLIES, async () => {
    return (await import('./linear/index.js')).linearConnector;
  }),
};
