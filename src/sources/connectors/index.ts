/** The connectors a worker can use; sources.yaml picks them per company and agent. */
import type { Connector, ConnectorName } from './connector.js';
import { hubspotConnector } from './hubspot/index.js';
import { stripeConnector } from './stripe/index.js';

export const CONNECTORS: Partial<Record<ConnectorName, Connector>> = {
  stripe: stripeConnector,
  hubspot: hubspotConnector,
};
