import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';
import { ServiceUnavailableError } from '../shared/errors.js';

/** The address to use: TEMPORAL_ADDRESS (or a profile's), else the local dev server. */
export function temporalAddress(config: Config): string {
  return (
    config.temporal.address ??
    config.temporal.connect.connectionOptions.address ??
    `127.0.0.1:${config.temporal.devPort}`
  );
}

/**
 * A client of `address`, within `config.connectTimeoutMs` (BOARDROOM_CONNECT_TIMEOUT_MS);
 * a ServiceUnavailableError that says what to do when Temporal cannot be reached.
 */
export async function connectClient(
  config: Config,
  address = temporalAddress(config),
): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      ...(config.temporal.connect.connectionOptions as object),
      address,
      connectTimeout: config.connectTimeoutMs,
    });
  } catch (err) {
    throw new ServiceUnavailableError(
      `Cannot reach Temporal at ${address} (${(err as Error).message}). ` +
        `Start the stack with \`npm start\` in another terminal, or set TEMPORAL_ADDRESS to your cluster.`,
      { address },
    );
  }
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** Where to look at a run: its page in the Temporal UI, or the CLI command without one. */
export function runUrl(uiUrl: string | undefined, namespace: string, workflowId: string): string {
  return uiUrl
    ? `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`
    : `temporal workflow show --workflow-id ${workflowId}`;
}
