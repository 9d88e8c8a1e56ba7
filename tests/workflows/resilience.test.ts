/**
 * Faults of a real connector (Stripe, against its local fake) through the real worker
 * and Postgres: retries, the briefing's notes, the TTL cache, and the circuit breaker's
 * transitions over consecutive runs (open after 3, half-open after the cooldown,
 * closed after a good probe).
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createSourceGuard } from '../../src/activities/source-guard.js';
import { CONNECTORS } from '../../src/sources/connectors/index.js';
import { workspaceSources } from '../../src/sources/sources.js';
import { Repository } from '../../src/store/repository.js';
import { createLogger } from '../../src/logger.js';
import { GOLDEN_SETTINGS } from '../fakes/stripe-fixtures/golden.js';
import { GOLDEN_API_KEY, startFakeStripe, type FakeStripe } from '../fakes/stripe-server.js';
import { runCli } from '../helpers/cli.js';
import {
  DEMO_WORKSPACE,
  createTestStack,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: {
  resilience: Record<string, number>;
  stripe?: Parameters<typeof startFakeStripe>[0];
  settings?: Record<string, unknown>;
}): Promise<{ s: TestStack; stripe: FakeStripe; repo: Repository; dir: string }> {
  const stripe = await startFakeStripe(opts.stripe);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-resilience-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  await writeFile(
    path.join(dir, 'sources.yaml'),
    [
      'agents:',
      '  finance: stripe',
      `stripe: ${JSON.stringify({ ...GOLDEN_SETTINGS, base_url: stripe.url, timeout_ms: 1000, ...opts.settings })}`,
      `resilience: ${JSON.stringify({ stripe: opts.resilience })}`,
      '',
    ].join('\n'),
  );
  const companyId = uniqueCompanyId('resilience');
  const repo = Repository.connect(inject('databaseUrl'), { max: 2 });
  const sources = workspaceSources(
    { [companyId]: dir },
    {
      connectors: CONNECTORS,
      env: { STRIPE_API_KEY: GOLDEN_API_KEY },
      guard: createSourceGuard({
        repo,
        clock: () => new Date(),
        log: createLogger({ level: 'silent', format: 'json' }),
      }),
    },
  );
  const s = await createTestStack({ companyId, sources });
  cleanups.push(async () => {
    await s.close();
    await repo.pool.query(`DELETE FROM source_breakers WHERE company_id = $1`, [companyId]);
    await repo.pool.query(`DELETE FROM source_cache WHERE company_id = $1`, [companyId]);
    await repo.close();
    await stripe.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { s, stripe, repo, dir };
}

async function financeOf(s: TestStack, workflowId: string) {
  const b = (await s.repo.getBriefing(workflowId))!.briefing;
  return { report: b.agents.finance, notes: b.dataNotes };
}

describe('a failing API source', () => {
  it('opens the breaker after 3 failed runs, skips the source while open, probes after the cooldown and closes', async () => {
    const { s, stripe, repo, dir } = await setup({
      resilience: { cache_ttl_minutes: 0, failure_threshold: 3, cooldown_minutes: 0.05 }, // 3 s
    });
    const good = await s.runBriefing();
    expect(good.agents.finance).toEqual({ status: 'ok', attempts: 1 });
    expect((await financeOf(s, good.workflowId)).report).toMatchObject({
      source: 'stripe',
      breaker: 'closed',
    });

    // Three runs in which Stripe answers 500 to every attempt (3 attempts each).
    stripe.failNext({ status: 500, times: 9 });
    for (const n of [1, 2, 3]) {
      const run = await s.runBriefing();
      expect(run.agents.finance).toEqual({ status: 'stale', attempts: 3 });
      const breaker = await repo.getBreaker(s.companyId, 'stripe');
      expect(breaker).toMatchObject({ consecutiveFailures: n, state: n < 3 ? 'closed' : 'open' });
    }

    // Open: the run does not call Stripe at all and serves the last good report at once.
    const before = stripe.requests.length;
    const skipped = await s.runBriefing();
    expect(stripe.requests.length).toBe(before);
    expect(skipped.agents.finance).toEqual({ status: 'stale', attempts: 1 });
    const { report, notes } = await financeOf(s, skipped.workflowId);
    expect(report).toMatchObject({ status: 'stale', breaker: 'open', source: 'stripe' });
    const [skip] = (await s.repo.listExecutions(skipped.workflowId)).filter(
      (e) => e.agent === 'finance',
    );
    expect(skip).toMatchObject({
      success: false,
      source: 'stripe',
      breakerState: 'open',
      errorType: 'CircuitOpenError',
    });
    expect(report.metrics.mrr).toBe((await financeOf(s, good.workflowId)).report.metrics.mrr);
    expect(notes[0]).toMatch(
      /^Finance data is stale, from \d{1,2}:\d{2} (today|yesterday|on \d{4}-\d{2}-\d{2}) \(\w+ old\): stripe circuit breaker is open since .* after 3 failed runs \(last error: .*500.*\); serving the last good data.* \[stripe circuit breaker open\]/,
    );

    // `boardroom status` shows the open breaker and exits 1.
    const status = await runCli(['status'], {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: s.taskQueue,
      DATABASE_URL: inject('databaseUrl'),
      BOARDROOM_COMPANY_ID: s.companyId,
      BOARDROOM_WORKSPACE: dir,
      STRIPE_API_KEY: GOLDEN_API_KEY,
      LOG_LEVEL: 'warn',
    });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('Circuit breakers: stripe open (3 failed runs)');
    expect(status.stdout).toMatch(/Needs attention:[\s\S]*- stripe circuit breaker is open since /);
    process.stdout.write(`\n--- boardroom status with one breaker open ---\n${status.stdout}\n`);

    // After the cooldown: one probe; Stripe is healthy again, so the breaker closes.
    await new Promise((r) => setTimeout(r, 3100));
    const probed = await s.runBriefing();
    expect(probed.agents.finance).toEqual({ status: 'ok', attempts: 1 });
    expect(await repo.getBreaker(s.companyId, 'stripe')).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
    });
  });

  it('re-opens the breaker when the probe fails, without retrying the probe', async () => {
    const { s, stripe, repo } = await setup({
      resilience: { cache_ttl_minutes: 0, failure_threshold: 1, cooldown_minutes: 0.02 }, // 1.2 s
    });
    await s.runBriefing();
    stripe.failNext({ status: 503, times: 3 });
    await s.runBriefing(); // 3 attempts fail: open
    expect(await repo.getBreaker(s.companyId, 'stripe')).toMatchObject({ state: 'open' });
    await new Promise((r) => setTimeout(r, 1300));
    stripe.failNext({ status: 503, times: 1 });
    const before = stripe.requests.length;
    const probe = await s.runBriefing();
    expect(stripe.requests.length - before).toBe(1); // one probe call, not retried
    expect(probe.agents.finance).toEqual({ status: 'stale', attempts: 1 });
    expect((await financeOf(s, probe.workflowId)).report.error).toMatch(
      /^stripe probe failed, circuit breaker re-opened: /,
    );
    expect(await repo.getBreaker(s.companyId, 'stripe')).toMatchObject({ state: 'open' });
  });

  it('serves a fresh-enough answer from the cache, and calls again with --fresh', async () => {
    const { s, stripe } = await setup({ resilience: { cache_ttl_minutes: 60 } });
    await s.runBriefing();
    const afterFirst = stripe.requests.length;
    const cached = await s.runBriefing();
    expect(stripe.requests.length).toBe(afterFirst); // no call: the cache answered
    const { report, notes } = await financeOf(s, cached.workflowId);
    expect(report.cacheAgeMs).toBeGreaterThanOrEqual(0);
    const [execution] = (await s.repo.listExecutions(cached.workflowId)).filter(
      (e) => e.agent === 'finance',
    );
    expect(execution).toMatchObject({
      success: true,
      source: 'stripe',
      cacheHit: true,
      breakerState: 'closed',
      sourceCalls: 3,
    });
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^Finance data is from \d{1,2}:\d{2} (today|yesterday|on \d{4}-\d{2}-\d{2}) \(stripe cache, \d+m old\)$/,
      ),
    );
    await s.runBriefing({ fresh: true });
    expect(stripe.requests.length).toBeGreaterThan(afterFirst);
  });

  it('retries a 500 then succeeds; does not retry a rejected key or a changed shape', async () => {
    const flaky = await setup({ resilience: { cache_ttl_minutes: 0 } });
    flaky.stripe.failNext({ status: 500, times: 1 });
    const retried = await flaky.s.runBriefing();
    expect(retried.agents.finance).toEqual({ status: 'ok', attempts: 2 });

    const rejected = await setup({
      resilience: { cache_ttl_minutes: 0 },
      stripe: { apiKey: 'sk_test_other' },
    });
    const auth = await rejected.s.runBriefing();
    expect(auth.agents.finance).toEqual({ status: 'failed', attempts: 1 });
    expect((await financeOf(rejected.s, auth.workflowId)).notes[0]).toMatch(
      /STRIPE_API_KEY is rejected \(401\)/,
    );

    const changed = await setup({
      resilience: { cache_ttl_minutes: 0 },
      stripe: {
        transform: (p, body) =>
          p === '/v1/subscriptions'
            ? {
                ...body,
                data: (body.data as Record<string, unknown>[]).map((x) => ({
                  ...x,
                  items: undefined,
                })),
              }
            : body,
      },
    });
    const shape = await changed.s.runBriefing();
    expect(shape.agents.finance).toEqual({ status: 'failed', attempts: 1 });
    expect((await financeOf(changed.s, shape.workflowId)).report.error).toMatch(
      /subscription.*sub_.*items/i,
    );
  });

  it("honours a 429's Retry-After from the real Stripe connector", async () => {
    const { s, stripe } = await setup({ resilience: { cache_ttl_minutes: 0 } });
    stripe.failNext({ status: 429, retryAfter: '2', times: 1 });
    const run = await s.runBriefing();
    expect(run.agents.finance).toEqual({ status: 'ok', attempts: 2 });
    const [first, second] = (await s.repo.listExecutions(run.workflowId)).filter(
      (e) => e.agent === 'finance',
    );
    expect(first).toMatchObject({ success: false, errorType: 'SourceTransientError' });
    const gap = second!.startedAt.getTime() - (first!.startedAt.getTime() + first!.durationMs);
    expect(gap).toBeGreaterThanOrEqual(1900);
  });

  it('retries a source that times out or answers malformed JSON, and says so when it keeps doing it', async () => {
    // timeout_ms is 1000 in setup(): a 1.5 s answer is a timeout.
    const slow = await setup({ resilience: { cache_ttl_minutes: 0 } });
    slow.stripe.failNext({ delayMs: 1500, times: 1 });
    const once = await slow.s.runBriefing();
    expect(once.agents.finance).toEqual({ status: 'ok', attempts: 2 });
    slow.stripe.failNext({ delayMs: 1500, times: 3 });
    const always = await slow.s.runBriefing();
    expect(always.agents.finance).toEqual({ status: 'stale', attempts: 3 });
    expect((await financeOf(slow.s, always.workflowId)).notes[0]).toMatch(
      /^Finance data is stale, from \d{1,2}:\d{2} (today|yesterday|on \d{4}-\d{2}-\d{2}) \(\w+ old\): .*(timed out|timeout)/i,
    );

    const garbled = await setup({ resilience: { cache_ttl_minutes: 0 } });
    garbled.stripe.failNext({ raw: '{"object": "list", "data": [{"id": "sub_', times: 1 });
    const recovered = await garbled.s.runBriefing();
    expect(recovered.agents.finance).toEqual({ status: 'ok', attempts: 2 });
    garbled.stripe.failNext({ raw: '<html>502 Bad Gateway</html>', times: 3 });
    const broken = await garbled.s.runBriefing();
    expect(broken.agents.finance.status).toBe('stale');
    const executions = (await garbled.s.repo.listExecutions(broken.workflowId)).filter(
      (e) => e.agent === 'finance',
    );
    expect(executions.map((e) => e.success)).toEqual([false, false, false]);
    process.stdout.write(
      `\n--- malformed JSON: ${executions[0]!.errorType}: ${executions[0]!.error}\n--- timeout: ${(await financeOf(slow.s, always.workflowId)).report.error}\n`,
    );
  });
});
