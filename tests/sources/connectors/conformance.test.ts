/**
 * One conformance suite for every connector, each against its fake API (tests/fakes):
 * the same cases for all. A new connector adds one descriptor to UNDER_TEST (how to start
 * its fake, its settings and files, how to inject each fault the way its real API
 * answers) and this suite says what it still lacks.
 *
 * Cases: the registry and breaker defaults know it; it supplies only data sets its agents
 * read, in their shape; check() succeeds; 401 and 403 are a permanent SourceAuthError; 429
 * a SourceTransientError carrying Retry-After (seconds or an HTTP date) in ms; 500, a
 * reset connection and a timeout a SourceTransientError; a changed response shape a
 * SourceSchemaError naming the field; a bad sources.yaml block a ValidationError naming
 * sources.yaml, the line and the field, before any request.
 */
import { cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AGENTS } from '../../../src/agents/registry.js';
import type { AgentName } from '../../../src/contract/report.js';
import {
  SourceAuthError,
  SourceSchemaError,
  SourceTransientError,
  ValidationError,
} from '../../../src/shared/errors.js';
import { RESILIENCE_DEFAULTS } from '../../../src/sources/breaker.js';
import type { Connector, ConnectorContext } from '../../../src/sources/connectors/connector.js';
import {
  CONNECTOR_NAMES,
  CONNECTORS,
  type ConnectorName,
} from '../../../src/sources/connectors/index.js';
import { workspaceSources } from '../../../src/sources/sources.js';
import {
  HUBSPOT_GOLDEN_AS_OF,
  HUBSPOT_GOLDEN_FILES,
  HUBSPOT_GOLDEN_SETTINGS,
  HUBSPOT_GOLDEN_TODAY,
  HUBSPOT_GOLDEN_TOKEN,
} from '../../fakes/hubspot-fixtures/golden.js';
import { startFakeHubSpot, type FakeHubSpot } from '../../fakes/hubspot-server.js';
import {
  GOLDEN_API_KEY as LINEAR_GOLDEN_KEY,
  GOLDEN_AS_OF as LINEAR_GOLDEN_AS_OF,
  GOLDEN_SETTINGS as LINEAR_GOLDEN_SETTINGS,
  GOLDEN_TODAY as LINEAR_GOLDEN_TODAY,
  goldenFileDatasets as linearGoldenFiles,
  goldenLinearWorkspace,
} from '../../fakes/linear-fixtures/golden.js';
import { startFakeLinear, type FakeLinear } from '../../fakes/linear-server.js';
import type { Obj } from '../../fakes/stripe-fixtures/objects.js';
import {
  GOLDEN_CASHFLOW_FILE as STRIPE_GOLDEN_CASHFLOW,
  GOLDEN_NOW as STRIPE_GOLDEN_NOW,
  GOLDEN_SETTINGS as STRIPE_GOLDEN_SETTINGS,
  GOLDEN_TODAY as STRIPE_GOLDEN_TODAY,
  startFakeStripe,
  type FakeStripe,
} from '../../fakes/stripe-server.js';

/** A running fake API. */
interface Fake {
  close(): Promise<void>;
}

/** What the suite needs to know about one connector and its fake. */
interface ConnectorUnderTest<F extends Fake> {
  connector: Connector;
  start(): Promise<F>;
  /** The load context against the fake: settings with its URL, a valid credential, the day. */
  context(fake: F, agent: AgentName): ConnectorContext;
  /** Requests the fake has received. */
  requests(fake: F): number;
  /** The next request fails the way the real API answers each case. */
  faults: {
    unauthorized(fake: F): void;
    forbidden(fake: F): void;
    rateLimited(fake: F, retryAfter: string): void;
    serverError(fake: F): void;
    connectionReset(fake: F): void;
    /** No answer (the suite sets timeout_ms low). */
    hang(fake: F): void;
    /** Changes one field of the next response a load reads; returns that field's path as the error must name it. */
    changedShape(fake: F): string;
  };
  /** A key of its sources.yaml block and a value it must refuse. */
  badSetting: { key: string; value: unknown };
}

/** Fits a descriptor with its own fake type into the table. */
const describeConnector = <F extends Fake>(d: ConnectorUnderTest<F>) =>
  d as unknown as ConnectorUnderTest<Fake>;

const UNDER_TEST: Record<ConnectorName, ConnectorUnderTest<Fake>> = {
  stripe: describeConnector<FakeStripe>({
    connector: CONNECTORS.stripe,
    start: () => startFakeStripe(),
    context: (f) => ({
      companyId: 'conformance',
      env: { STRIPE_API_KEY: f.apiKey },
      settings: { ...STRIPE_GOLDEN_SETTINGS, base_url: f.url },
      today: STRIPE_GOLDEN_TODAY,
      asOf: STRIPE_GOLDEN_NOW,
      fileDatasets: { cashflow: STRIPE_GOLDEN_CASHFLOW, subscriptions: [] },
    }),
    requests: (f) => f.requests.length,
    faults: {
      unauthorized: (f) => f.failNext({ status: 401 }),
      forbidden: (f) => f.failNext({ status: 403 }),
      rateLimited: (f, retryAfter) => f.failNext({ status: 429, retryAfter }),
      serverError: (f) => f.failNext({ status: 500 }),
      // stripe-node retries a closed connection once even with maxNetworkRetries: 0.
      connectionReset: (f) => f.failNext({ reset: true, times: 2 }),
      hang: (f) => f.failNext({ delayMs: 1_500, status: 500 }),
      changedShape: (f) => {
        f.failNext({
          path: '/v1/subscriptions',
          mutate: (body) => {
            delete (body.data as Obj[])[0]!.status;
            return body;
          },
        });
        return 'status';
      },
    },
    badSetting: { key: 'closing_balance', value: 'bank' },
  }),

  hubspot: describeConnector<FakeHubSpot>({
    connector: CONNECTORS.hubspot,
    start: () => startFakeHubSpot(),
    context: (f, agent) => ({
      companyId: 'conformance',
      env: { HUBSPOT_ACCESS_TOKEN: HUBSPOT_GOLDEN_TOKEN },
      settings: { ...HUBSPOT_GOLDEN_SETTINGS, base_url: f.url, search_interval_ms: 0 },
      today: HUBSPOT_GOLDEN_TODAY,
      asOf: HUBSPOT_GOLDEN_AS_OF,
      fileDatasets: agent === 'marketing' ? HUBSPOT_GOLDEN_FILES.marketing : {},
    }),
    requests: (f) => f.requests.length,
    faults: {
      unauthorized: (f) => f.failNext({ status: 401 }),
      forbidden: (f) => f.failNext({ status: 403 }),
      rateLimited: (f, retryAfter) => f.failNext({ status: 429, retryAfter }),
      serverError: (f) => f.failNext({ status: 500 }),
      connectionReset: (f) => f.failNext({ kind: 'reset' }),
      hang: (f) => f.failNext({ kind: 'hang' }),
      changedShape: (f) => {
        f.failNext({
          kind: 'mutate',
          path: 'GET /crm/v3/objects/deals',
          mutate: (body) => {
            delete (body.results as { properties: Record<string, unknown> }[])[0]!.properties
              .dealstage;
            return body;
          },
        });
        return 'properties.dealstage';
      },
    },
    badSetting: { key: 'missing_close_date', value: 'ignore' },
  }),

  linear: describeConnector<FakeLinear>({
    connector: CONNECTORS.linear,
    start: () =>
      startFakeLinear({
        workspace: goldenLinearWorkspace(),
        now: () => LINEAR_GOLDEN_AS_OF.getTime(),
      }),
    context: (f) => ({
      companyId: 'conformance',
      env: { LINEAR_API_KEY: LINEAR_GOLDEN_KEY },
      settings: { ...LINEAR_GOLDEN_SETTINGS, base_url: f.url },
      today: LINEAR_GOLDEN_TODAY,
      asOf: LINEAR_GOLDEN_AS_OF,
      fileDatasets: linearGoldenFiles(),
    }),
    requests: (f) => f.requests.length,
    faults: {
      unauthorized: (f) => f.failNext('unauthorized'),
      // Linear says 403 as HTTP 400 with extensions.code FORBIDDEN (statusCode 403).
      forbidden: (f) => f.failNext('forbidden'),
      rateLimited: (f, retryAfter) => f.failNext({ kind: 'too-many-requests', retryAfter }),
      serverError: (f) => f.failNext('server-error'),
      connectionReset: (f) => f.failNext('reset'),
      hang: (f) => f.failNext('hang'),
      changedShape: (f) => {
        f.tamperNext('BoardroomProjects', (data) => {
          const projects = data.projects as { nodes: { status: { type: string } }[] };
          projects.nodes[0]!.status.type = 'archived';
          return data;
        });
        return 'status.type';
      },
    },
    badSetting: { key: 'hours_per_point', value: -1 },
  }),
};

describe('the conformance table', () => {
  it('has a descriptor for every connector in CONNECTOR_NAMES', () => {
    expect(CONNECTOR_NAMES.filter((n) => !(n in UNDER_TEST))).toEqual([]);
  });
});

async function failure(p: Promise<unknown>): Promise<Error & { context: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { context: Record<string, unknown> };
  }
  throw new Error('expected the load to fail');
}

describe.each(CONNECTOR_NAMES.map((name) => [name, UNDER_TEST[name]] as const))(
  'connector %s',
  (name, d) => {
    const agents = Object.keys(d.connector.supplies) as AgentName[];
    const agent = agents[0]!;
    let fake: Fake;
    beforeEach(async () => {
      fake = await d.start();
    });
    afterEach(() => fake.close());
    const load = (settings: Record<string, unknown> = {}) => {
      const ctx = d.context(fake, agent);
      return d.connector.load(agent, { ...ctx, settings: { ...ctx.settings, ...settings } });
    };

    it('is registered under its name, with breaker defaults and documented settings', async () => {
      expect(CONNECTORS[name]).toBe(d.connector);
      expect(d.connector.name).toBe(name);
      expect(RESILIENCE_DEFAULTS[name]).toMatchObject({
        cacheTtlMs: expect.any(Number),
        failureThreshold: expect.any(Number),
        cooldownMs: expect.any(Number),
      });
      // Every settings error points there.
      expect((await stat(`docs/sources/${name}.md`)).isFile()).toBe(true);
    });

    it("supplies only data sets its agents read (AGENTS' datasets)", () => {
      expect(agents.length).toBeGreaterThan(0);
      for (const a of agents) {
        const read = Object.keys(AGENTS[a].datasets);
        const supplied = d.connector.supplies[a] ?? [];
        expect(supplied.length, a).toBeGreaterThan(0);
        expect(
          supplied.filter((k) => !read.includes(k)),
          `${name} supplies ${a} data sets it does not read`,
        ).toEqual([]);
      }
    });

    it("loads each agent's data sets in the agent's shape", async () => {
      for (const a of agents) {
        const { datasets, sourceCalls } = await d.connector.load(a, d.context(fake, a));
        const shape = (AGENTS[a].input as unknown as z.ZodObject).shape;
        expect(Object.keys(datasets).filter((k) => !(k in AGENTS[a].datasets))).toEqual([]);
        for (const key of d.connector.supplies[a] ?? []) {
          const parsed = shape[key]!.safeParse(datasets[key]);
          expect(parsed.error?.issues[0], `${a}.${key}`).toBeUndefined();
        }
        expect(sourceCalls).toBeGreaterThan(0);
      }
    });

    it('check() succeeds against the fake', async () => {
      const { fileDatasets: _files, ...ctx } = d.context(fake, agent);
      const result = await d.connector.check(ctx);
      expect(result.message).toMatch(new RegExp(`^${name}: `));
      expect(result.ok).toBe(true);
    });

    it('401 -> a permanent SourceAuthError', async () => {
      d.faults.unauthorized(fake);
      const e = await failure(load());
      expect(e).toBeInstanceOf(SourceAuthError);
      expect((e as SourceAuthError).permanent).toBe(true);
    });

    it('403 -> a permanent SourceAuthError', async () => {
      d.faults.forbidden(fake);
      const e = await failure(load());
      expect(e).toBeInstanceOf(SourceAuthError);
      expect((e as SourceAuthError).permanent).toBe(true);
    });

    it('429 -> a SourceTransientError carrying Retry-After (seconds) in ms', async () => {
      d.faults.rateLimited(fake, '7');
      const e = await failure(load());
      expect(e).toBeInstanceOf(SourceTransientError);
      expect((e as SourceTransientError).permanent).toBe(false);
      expect(e.context.retryAfterMs).toBe(7_000);
    });

    it('429 -> a SourceTransientError carrying Retry-After (an HTTP date) in ms', async () => {
      d.faults.rateLimited(fake, new Date(Date.now() + 30_000).toUTCString());
      const e = await failure(load());
      expect(e).toBeInstanceOf(SourceTransientError);
      // The date has whole seconds: up to a second less, and the request took a moment.
      expect(e.context.retryAfterMs).toBeGreaterThan(27_000);
      expect(e.context.retryAfterMs).toBeLessThanOrEqual(30_000);
    });

    it('500 -> a SourceTransientError', async () => {
      d.faults.serverError(fake);
      const e = await failure(load());
      expect(e).toBeInstanceOf(SourceTransientError);
      expect((e as SourceTransientError).permanent).toBe(false);
    });

    it('a reset connection -> a SourceTransientError', async () => {
      d.faults.connectionReset(fake);
      expect(await failure(load())).toBeInstanceOf(SourceTransientError);
    });

    it('no answer within timeout_ms -> a SourceTransientError', async () => {
      d.faults.hang(fake);
      expect(await failure(load({ timeout_ms: 300 }))).toBeInstanceOf(SourceTransientError);
    });

    it('a changed response shape -> a SourceSchemaError naming the field', async () => {
      const field = d.faults.changedShape(fake);
      const e = await failure(load());
      expect(e).toBeInstanceOf(SourceSchemaError);
      expect((e as SourceSchemaError).permanent).toBe(true);
      expect(e.context).toMatchObject({ source: name, field });
      expect(e.message).toContain(`"${field}"`);
    });

    it('a bad sources.yaml block -> a ValidationError naming sources.yaml and the field, before any request', async () => {
      const { key, value } = d.badSetting;
      const field = `${name}.${key}`;
      const e = await failure(load({ [key]: value }));
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).location).toEqual({ file: 'sources.yaml', field });
      expect(e.message).toMatch(new RegExp(`^sources\\.yaml, field "${field}": `));
      expect(e.message).toContain(`docs/sources/${name}.md`);

      const { fileDatasets: _files, ...ctx } = d.context(fake, agent);
      const checked = await d.connector.check({
        ...ctx,
        settings: { ...ctx.settings, [key]: value },
      });
      expect(checked).toEqual({ ok: false, message: e.message });
      expect(d.requests(fake)).toBe(0);
    });

    describe('read from a workspace', () => {
      let dir: string;
      beforeEach(async () => {
        dir = await mkdtemp(path.join(os.tmpdir(), `boardroom-${name}-`));
        await cp('examples/demo-workspace', dir, { recursive: true });
      });
      afterEach(() => rm(dir, { recursive: true, force: true }));

      it('a bad sources.yaml block -> a ValidationError with its line', async () => {
        const { key, value } = d.badSetting;
        const { env, today, asOf } = d.context(fake, agent);
        await writeFile(
          path.join(dir, 'sources.yaml'),
          [
            `agents:`,
            `  ${agent}: ${name}`,
            `${name}:`,
            `  ${key}: ${JSON.stringify(value)}`,
            '',
          ].join('\n'),
        );
        const sources = workspaceSources(
          { acme: dir },
          { connectors: { [name]: d.connector }, env },
        );
        const e = await failure(sources.loadAgentInput('acme', AGENTS[agent], { today, asOf }));
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).location).toEqual({
          file: 'sources.yaml',
          line: 4,
          field: `${name}.${key}`,
        });
        expect(e.message).toMatch(
          new RegExp(`^sources\\.yaml, line 4, field "${name}\\.${key}": `),
        );
        expect(d.requests(fake)).toBe(0);
      });
    });
  },
);
