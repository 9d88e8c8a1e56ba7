/**
 * The connectors a worker can use; sources.yaml picks them per company and agent. A new
 * connector is its folder, its name in CONNECTOR_NAMES (connector.ts), its line here and
 * its breaker defaults (breaker.ts): the compiler asks for the last two once the name is
 * there, and tests/sources/connectors/conformance.test.ts for its fake API and cases.
 */
import type { Connector, ConnectorName } from './connector.js';
import { hubspotConnector } from './hubspot/index.js';
import { linearConnector } from './linear/index.js';
import { stripeConnector } from './stripe/index.js';

export { CONNECTOR_NAMES, type ConnectorName } from './connector.js';

export const CONNECTORS: Record<ConnectorName, Connector> = {
  stripe: stripeConnector,
  hubspot: hubspotConnector,
  linear: linearConnector,
};
