/**
 * The HubSpot connector's failures against the local HubSpot: each error class of
 * src/errors.ts, a changed response shape, rate limits (headers and 429), timeouts,
 * cancellation, and check().
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  SourceAuthError,
  SourceRequestError,
  SourceSchemaError,
  SourceTransientError,
} from '../../../src/shared/errors.js';
import type { ConnectorContext } from '../../../src/sources/connectors/connector.js';
import { hubspotConnector } from '../../../src/sources/connectors/hubspot/index.js';
import {
  HUBSPOT_GOLDEN_ACCOUNT,
  HUBSPOT_GOLDEN_AS_OF,
  HUBSPOT_GOLDEN_FILES,
  HUBSPOT_GOLDEN_SETTINGS,
  HUBSPOT_GOLDEN_TODAY,
  HUBSPOT_GOLDEN_TOKEN,
} from '../../fakes/hubspot-fixtures/golden.js';
import {
  ALL_SCOPES,
  startFakeHubSpot,
  type FakeHubSpot,
  type FakeHubSpotOptions,
} from '../../fakes/hubspot-server.js';
import { refusingLocalUrl } from '../../fakes/local-server.js';

let fake: FakeHubSpot | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeHubSpotOptions = {}): Promise<FakeHubSpot> {
  fake = await startFakeHubSpot(options);
  return fake;
}

function ctx(
  settings: Record<string, unknown> = {},
  env: Record<string, string | undefined> = { HUBSPOT_ACCESS_TOKEN: HUBSPOT_GOLDEN_TOKEN },
): ConnectorContext {
  return {
    companyId: 'golden',
    env,
    settings: { ...HUBSPOT_GOLDEN_SETTINGS, base_url: fake?.url, ...settings },
    today: HUBSPOT_GOLDEN_TODAY,
    asOf: HUBSPOT_GOLDEN_AS_OF,
    fileDatasets: HUBSPOT_GOLDEN_FILES.marketing,
  };
}

const loadSales = (c: ConnectorContext = ctx()) => hubspotConnector.load('sales', c);
const loadMarketing = (c: ConnectorContext = ctx()) => hubspotConnector.load('marketing', c);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the load to fail');
    },
    (e: unknown) => e as Error & { context: Record<string, unknown>; permanent: boolean },
  );

/** No error message or context ever carries the token. */
function expectNoToken(err: Error & { context?: Record<string, unknown> }) {
  expect(err.message).not.toContain(HUBSPOT_GOLDEN_TOKEN);
  expect(JSON.stringify(err.context ?? {})).not.toContain(HUBSPOT_GOLDEN_TOKEN);
}

describe('hubspot credentials and auth errors', () => {
  it('names the variable to set when the token is missing, without calling HubSpot', async () => {
    const f = await start();
    const err = await failure(loadSales(ctx({}, {})));
    expect(err).toBeInstanceOf(SourceAuthError);
    expect(err.message).toMatch(/HUBSPOT_ACCESS_TOKEN is not set: create a private app/);
    const custom = await failure(loadSales(ctx({ token_env: 'ACME_HUBSPOT_TOKEN' })));
    expect(custom.message).toMatch(/ACME_HUBSPOT_TOKEN is not set/);
    expect(f.requests).toHaveLength(0);
  });

  it('reads the token from token_env (or api_key_env)', async () => {
    const f = await start();
    await loadSales(
      ctx({ token_env: 'ACME_HUBSPOT_TOKEN' }, { ACME_HUBSPOT_TOKEN: HUBSPOT_GOLDEN_TOKEN }),
    );
    await loadSales(
      ctx({ api_key_env: 'ACME_HUBSPOT_TOKEN' }, { ACME_HUBSPOT_TOKEN: HUBSPOT_GOLDEN_TOKEN }),
    );
    expect(
      f.requests.every((r) => r.headers.authorization === `Bearer ${HUBSPOT_GOLDEN_TOKEN}`),
    ).toBe(true);
  });

  it('401: a rejected token is a SourceAuthError naming the variable, never the token', async () => {
    const f = await start();
    const wrong = 'pat-na1-00000000-dead-beef-0000-000000000000';
    const err = await failure(loadSales(ctx({}, { HUBSPOT_ACCESS_TOKEN: wrong })));
    expect(err).toBeInstanceOf(SourceAuthError);
    expect(err.permanent).toBe(true);
    expect(err.message).toMatch(
      /^hubspot: HUBSPOT_ACCESS_TOKEN is rejected \(401 INVALID_AUTHENTICATION\) on GET \/crm\/v3\/pipelines\/deals: .*Private Apps/,
    );
    expect(err.message).not.toContain(wrong);
    expect(err.context).toMatchObject({ status: 401, category: 'INVALID_AUTHENTICATION' });
    expect(f.requests).toHaveLength(1); // no retry
    expect(f.requests[0]!.headers.authorization).toBe(`Bearer ${wrong}`);
  });

  it('403: a missing scope is a SourceAuthError naming the scope to add', async () => {
    await start({ scopes: ALL_SCOPES.filter((s) => s !== 'crm.objects.owners.read') });
    const err = await failure(loadSales());
    expect(err).toBeInstanceOf(SourceAuthError);
    expect(err.message).toMatch(
      /HUBSPOT_ACCESS_TOKEN lacks the scope crm\.objects\.owners\.read needed by GET \/crm\/v3\/owners \(403 MISSING_SCOPES\): add it under Private Apps > your app > Scopes/,
    );
    expect(err.context).toMatchObject({ scopes: ['crm.objects.owners.read'] });
    expectNoToken(err);
  });
});

describe('hubspot request and server errors', () => {
  it("404 and 400 are SourceRequestErrors with HubSpot's message", async () => {
    const f = await start();
    f.failNext({ status: 404, path: '/crm/v3/pipelines/deals' });
    const notFound = await failure(loadSales());
    expect(notFound).toBeInstanceOf(SourceRequestError);
    expect(notFound.message).toBe(
      'hubspot: GET /crm/v3/pipelines/deals was refused (404 OBJECT_NOT_FOUND): resource not found',
    );
    expect(notFound.permanent).toBe(true);

    f.failNext({ status: 400, path: '/contacts/search' });
    const bad = await failure(loadMarketing());
    expect(bad).toBeInstanceOf(SourceRequestError);
    expect(bad.message).toMatch(
      /POST \/crm\/v3\/objects\/contacts\/search was refused \(400 VALIDATION_ERROR\): Invalid input JSON/,
    );
  });

  it('429 is a SourceTransientError with retryAfterMs from Retry-After', async () => {
    const f = await start();
    f.failNext({ status: 429, path: '/crm/v3/objects/deals', retryAfter: '7' });
    const err = await failure(loadSales());
    expect(err).toBeInstanceOf(SourceTransientError);
    expect(err.permanent).toBe(false);
    expect(err.message).toBe(
      'hubspot: rate limited on GET /crm/v3/objects/deals (429 TEN_SECONDLY_ROLLING); retry after 7 s',
    );
    expect(err.context).toMatchObject({
      retryAfterMs: 7000,
      status: 429,
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    // The client did not retry it.
    expect(f.requestsTo('GET /crm/v3/objects/deals')).toHaveLength(1);

    // Without Retry-After: the rate-limit window (X-HubSpot-RateLimit-Interval-Milliseconds).
    f.failNext({ status: 429, path: '/crm/v3/objects/deals', retryAfter: null });
    expect((await failure(loadSales())).context.retryAfterMs).toBe(10_000);

    // The search endpoints' per-second limit: no headers, a second is enough.
    f.failNext({
      status: 429,
      path: '/contacts/search',
      retryAfter: null,
      body: {
        status: 'error',
        message: 'You have reached your secondly limit.',
        errorType: 'RATE_LIMIT',
        correlationId: 'ce6a6a91-ac17-492f-bbdb-7d72477c319c',
        policyName: 'SECONDLY',
      },
    });
    const secondly = await failure(loadMarketing());
    expect(secondly.message).toMatch(/contacts\/search \(429 SECONDLY\); retry after 1 s/);
    expect(secondly.context.retryAfterMs).toBe(1000);
  });

  it('5xx is a SourceTransientError, sent once (the client retries nothing)', async () => {
    const f = await start();
    f.failNext({ status: 500, path: '/crm/v3/objects/deals' });
    const err = await failure(loadSales());
    expect(err).toBeInstanceOf(SourceTransientError);
    expect(err.message).toBe('hubspot: GET /crm/v3/objects/deals failed with 500: internal error');
    expect(f.requestsTo('GET /crm/v3/objects/deals')).toHaveLength(1);

    f.failNext({
      status: 502,
      path: '/contacts/search',
      body: '<html><body>502 Bad Gateway</body></html>',
    });
    const gateway = await failure(loadMarketing());
    expect(gateway).toBeInstanceOf(SourceTransientError);
    expect(gateway.message).toMatch(/contacts\/search failed with 502/);
  });

  it('a request that hangs times out after timeout_ms as a SourceTransientError', async () => {
    const f = await start();
    f.failNext({ kind: 'hang', path: '/crm/v3/objects/deals' });
    const started = Date.now();
    const err = await failure(loadSales(ctx({ timeout_ms: 300 })));
    expect(err).toBeInstanceOf(SourceTransientError);
    expect(err.message).toBe(
      'hubspot: GET /crm/v3/objects/deals did not answer within 300 ms (settings timeout_ms)',
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a connection reset and an unreachable server are SourceTransientErrors', async () => {
    const f = await start();
    f.failNext({ kind: 'reset', path: '/crm/v3/owners' });
    const reset = await failure(loadSales());
    expect(reset).toBeInstanceOf(SourceTransientError);
    expect(reset.message).toMatch(
      /^hubspot: could not reach http:\/\/127\.0\.0\.1:\d+ for GET \/crm\/v3\/owners \(/,
    );

    const down = await failure(loadSales(ctx({ base_url: await refusingLocalUrl() })));
    expect(down).toBeInstanceOf(SourceTransientError);
    expect(down.message).toMatch(
      /could not reach http:\/\/127\.0\.0\.1:\d+ for GET \/crm\/v3\/pipelines\/deals \(.*ECONNREFUSED/,
    );
    expectNoToken(down);
  });

  it('stops at once when the activity is cancelled', async () => {
    const f = await start();
    f.failNext({ kind: 'hang', path: '/crm/v3/objects/deals' });
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const err = await failure(
      hubspotConnector.load('sales', { ...ctx({ timeout_ms: 20_000 }), signal: controller.signal }),
    );
    expect(err).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('hubspot response shape', () => {
  it('a deal missing a field it maps: SourceSchemaError naming the deal and the field', async () => {
    const f = await start();
    f.failNext({
      kind: 'mutate',
      path: 'GET /crm/v3/objects/deals',
      mutate: (body) => {
        const results = body.results as { properties: Record<string, unknown> }[];
        delete results[2]!.properties.dealstage;
        return body;
      },
    });
    const err = await failure(loadSales());
    expect(err).toBeInstanceOf(SourceSchemaError);
    expect(err.permanent).toBe(true);
    expect(err.message).toMatch(
      /^hubspot: GET \/crm\/v3\/objects\/deals returned deal 18000000003 with an unexpected field "properties\.dealstage": /,
    );
    expect(err.context).toMatchObject({
      object: 'deal',
      id: '18000000003',
      field: 'properties.dealstage',
    });
  });

  it('a list that is no longer a list, a missing history, a bad date, a bad probability', async () => {
    const f = await start();
    f.failNext({
      kind: 'mutate',
      path: 'GET /crm/v3/objects/deals',
      mutate: (b) => ({ ...b, results: { deals: b.results } }),
    });
    const notList = await failure(loadSales());
    expect(notList).toBeInstanceOf(SourceSchemaError);
    expect(notList.message).toMatch(
      /the GET \/crm\/v3\/objects\/deals response with an unexpected field "results"/,
    );

    f.failNext({
      kind: 'mutate',
      path: 'GET /crm/v3/objects/deals',
      mutate: (b) => {
        delete (b.results as Record<string, unknown>[])[0]!.propertiesWithHistory;
        return b;
      },
    });
    expect((await failure(loadSales())).message).toMatch(
      /deal 18000000001 with an unexpected field "propertiesWithHistory"/,
    );

    f.failNext({
      kind: 'mutate',
      path: '/contacts/search',
      mutate: (b) => {
        (b.results as { properties: Record<string, unknown> }[])[0]!.properties.createdate =
          'yesterday';
        return b;
      },
    });
    const date = await failure(loadMarketing());
    expect(date).toBeInstanceOf(SourceSchemaError);
    expect(date.message).toMatch(
      /POST \/crm\/v3\/objects\/contacts\/search returned contact 51000000001 with an unexpected field "properties\.createdate": expected an ISO 8601 date-time/,
    );

    f.failNext({
      kind: 'mutate',
      path: '/crm/v3/pipelines/deals',
      mutate: (b) => {
        const stages = (b.results as { stages: { metadata: Record<string, unknown> }[] }[])[0]!
          .stages;
        delete stages[0]!.metadata.probability;
        return b;
      },
    });
    expect((await failure(loadSales())).message).toMatch(
      /returned deal pipeline default with an unexpected field "stages\[0\]\.metadata\.probability"/,
    );
  });

  it('a 200 that is not JSON is a SourceSchemaError', async () => {
    const f = await start();
    f.failNext({
      kind: 'mutate',
      path: '/crm/v3/owners',
      mutate: () => '<html>Maintenance</html>',
    });
    const err = await failure(loadSales());
    expect(err).toBeInstanceOf(SourceSchemaError);
    expect(err.message).toMatch(/GET \/crm\/v3\/owners answered with a body that is not JSON/);
  });

  it('a deal in a stage no pipeline has is a SourceSchemaError naming deal and field', async () => {
    const account = structuredClone(HUBSPOT_GOLDEN_ACCOUNT);
    account.deals[0]!.properties.dealstage = '5551212';
    await start({ account });
    const err = await failure(loadSales());
    expect(err).toBeInstanceOf(SourceSchemaError);
    expect(err.message).toMatch(
      /deal 18000000001 is in stage "5551212" \("properties\.dealstage"\), which no deal pipeline has/,
    );
  });
});

describe('hubspot rate limits', () => {
  it('pauses for the window when X-HubSpot-RateLimit-Remaining is at the reserve, so no 429 happens', async () => {
    // 4 requests per 400 ms. The sales load makes 7 requests; after the 3rd and the 6th
    // only 1 request is left (the reserve), so the next one waits for the window.
    const f = await start({ rateLimit: { max: 4, intervalMs: 400 } });
    const result = await loadSales(ctx({ rate_limit_reserve: 1 }));
    expect(result.sourceCalls).toBe(7);
    const gaps = f.requests.slice(1).map((r, i) => r.at - f.requests[i]!.at);
    expect(gaps[2]).toBeGreaterThanOrEqual(380); // 3rd -> 4th
    expect(gaps[5]).toBeGreaterThanOrEqual(380); // 6th -> 7th
    expect(gaps[0]).toBeLessThan(300);
  });

  it('caps the pause at rate_limit_max_pause_ms, and a spent window is a 429 with retryAfterMs', async () => {
    const f = await start({ rateLimit: { max: 4, intervalMs: 10_000 } });
    const started = Date.now();
    const err = await failure(
      loadSales(ctx({ rate_limit_reserve: 1, rate_limit_max_pause_ms: 50 })),
    );
    // The 5th request (owners) overruns the 4 allowed: HubSpot's 429, Retry-After = the rest of the window.
    expect(err).toBeInstanceOf(SourceTransientError);
    expect(err.context.retryAfterMs).toBe(10_000);
    expect(err.message).toMatch(
      /rate limited on GET \/crm\/v3\/owners \(429 TEN_SECONDLY_ROLLING\); retry after 10 s/,
    );
    expect(f.requests).toHaveLength(5);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('spaces searches by search_interval_ms (search responses carry no rate-limit headers)', async () => {
    const f = await start();
    await loadMarketing(ctx({ search_interval_ms: 150 }));
    const searches = f.requestsTo('POST /crm/v3/objects/contacts/search');
    expect(searches).toHaveLength(7);
    for (let i = 1; i < searches.length; i++) {
      expect(searches[i]!.at - searches[i - 1]!.at).toBeGreaterThanOrEqual(140);
    }
  });
});

describe('hubspot check()', () => {
  const check = (
    settings: Record<string, unknown> = {},
    env?: Record<string, string | undefined>,
  ) => {
    const { fileDatasets: _unused, ...rest } = ctx(settings, env);
    return hubspotConnector.check(rest);
  };

  it('reaches HubSpot once per scope and says what it found', async () => {
    const f = await start();
    const result = await check();
    expect(result).toEqual({
      ok: true,
      message:
        'hubspot: 2 deal pipelines (11 stages: lead 2, qualified 1, proposal 2, negotiation 2, won 2, lost 2), ' +
        '12 deals, 25 contacts; owners and companies readable; amounts in USD (converting EUR at 1.08); ' +
        'rate limit 187/190 left per 10 s, 999,997 left today (5 requests)',
    });
    expect(f.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /crm/v3/pipelines/deals',
      'POST /crm/v3/objects/deals/search',
      'POST /crm/v3/objects/contacts/search',
      'GET /crm/v3/owners',
      'GET /crm/v3/objects/companies',
    ]);
    expect(f.requestsTo('POST /crm/v3/objects/deals/search')[0]!.body).toEqual({
      limit: 1,
      properties: ['dealstage'],
    });
    expect(f.requestsTo('GET /crm/v3/owners')[0]!.query.limit).toEqual(['1']);
  });

  it('says exactly what to fix: bad token, missing token, missing scope, unreachable, settings, stages', async () => {
    const f = await start({ scopes: ALL_SCOPES.filter((s) => s !== 'crm.objects.contacts.read') });
    const badKey = await check({}, { HUBSPOT_ACCESS_TOKEN: 'pat-na1-wrong' });
    expect(badKey.ok).toBe(false);
    expect(badKey.message).toMatch(
      /^hubspot: HUBSPOT_ACCESS_TOKEN is rejected \(401 INVALID_AUTHENTICATION\)/,
    );
    expect(badKey.message).not.toContain('pat-na1-wrong');

    expect(await check({}, {})).toEqual({
      ok: false,
      message: expect.stringMatching(/^hubspot: HUBSPOT_ACCESS_TOKEN is not set/),
    });

    const scope = await check();
    expect(scope.ok).toBe(false);
    expect(scope.message).toMatch(
      /lacks the scope crm\.objects\.contacts\.read needed by POST \/crm\/v3\/objects\/contacts\/search/,
    );

    const down = await check({ base_url: await refusingLocalUrl() });
    expect(down.ok).toBe(false);
    expect(down.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED/);

    const typo = await check({ pipeline: ['default'] });
    expect(typo).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^sources\.yaml, field "hubspot\.pipeline": unknown key "pipeline"/,
      ),
    });
    expect(f.requests.every((r) => r.headers.authorization !== undefined)).toBe(true);
  });

  it('reports a closed stage that is neither won nor lost', async () => {
    const account = structuredClone(HUBSPOT_GOLDEN_ACCOUNT);
    account.pipelines[0]!.stages[6]!.metadata.probability = '0.25';
    await start({ account });
    const result = await check();
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      /deal stage "Closed Lost" \(id closedlost, pipeline "Sales Pipeline"\) .*hubspot\.stage_map/,
    );
    expect((await check({ stage_map: { closedlost: 'lost' } })).ok).toBe(true);
  });
});
