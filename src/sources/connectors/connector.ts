/**
 * A connector reads a third-party API (Stripe, HubSpot, Linear) and supplies some of an
 * agent's data sets in exactly the shape the workspace files give them (the same rows and
 * columns as the CSV, see docs/workspace.md), so the agents do not change. The data sets
 * it does not supply still come from the workspace folder.
 *
 * Credentials are read by the connector from the environment it is given (names from
 * sources.yaml, with defaults); they never travel in workflow inputs or results.
 */
import type { AgentName } from '../../contract/report.js';

/**
 * Every connector's name. The registry (index.ts) and the breaker defaults (breaker.ts)
 * are typed by it, so a name without a connector or defaults does not compile. Kept here,
 * not in index.ts, so that sources.ts can validate sources.yaml without loading every
 * API client library.
 */
export const CONNECTOR_NAMES = ['stripe', 'hubspot', 'linear'] as const;
export type ConnectorName = (typeof CONNECTOR_NAMES)[number];

export interface ConnectorContext {
  companyId: string;
  /** The process environment (credentials live here only). */
  env: Record<string, string | undefined>;
  /** The connector's block from the workspace's sources.yaml (e.g. `api_key_env`, `base_url`). */
  settings: Record<string, unknown>;
  /**
   * The sources.yaml line of a key path inside `settings`, so a bad setting names its line;
   * absent when the settings did not come from a file.
   */
  settingsLine?: (path: readonly PropertyKey[]) => number | undefined;
  /** The briefing date (YYYY-MM-DD) and moment, for period filters. */
  today: string;
  asOf: Date;
  /**
   * The agent's data sets as the workspace files give them (missing optional files as
   * empty lists): a connector that supplies only some columns of a data set (Stripe has
   * cash in but no expenses) overlays them on these rows.
   */
  fileDatasets: Record<string, unknown>;
  /** Aborted when the activity is cancelled or times out. */
  signal?: AbortSignal;
}

export interface ConnectorResult {
  /** Data set key (as in the agent's `datasets`) -> value in the workspace shape. */
  datasets: Record<string, unknown>;
  /** HTTP requests made (for observability). */
  sourceCalls: number;
  /** How fresh the data is: when it was fetched, or the newest record's time. */
  dataAsOf: Date;
}

export interface CheckResult {
  ok: boolean;
  /** What was found ("45 active subscriptions, 3 pages") or exactly what to fix. */
  message: string;
}

export interface Connector {
  name: ConnectorName;
  /** The data sets it supplies, per agent. */
  supplies: Partial<Record<AgentName, readonly string[]>>;
  load(agent: AgentName, ctx: ConnectorContext): Promise<ConnectorResult>;
  /** Validates the settings and credentials and reaches the API once. */
  check(ctx: Omit<ConnectorContext, 'fileDatasets'>): Promise<CheckResult>;
}
