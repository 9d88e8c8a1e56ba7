/** The connectors a worker can use; sources.yaml picks them per company and agent. */
import type { Connector, ConnectorName } from './connector.js';
import { hubspotConnector } from './hubspot/index.js';
import { linearConnector } from './linear/index.js';
import { stripeConnector } from './stripe/index.js';

export const CONNECTORS: Record<ConnectorName, Connector> = {
  stripe: stripeConnector,
  hubspot: hubspotConnector,
  linear: linearConnector,
};
