/**
 * The worker's Prometheus endpoint: a worker process started with
 * BOARDROOM_METRICS_ADDRESS serves the Temporal SDK's metrics, and a briefing run on it
 * shows up in them. Plus the validation of the variable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.js';
import { metricsAddressFrom } from '../../src/config.js';
import {
  DEMO_WORKSPACE,
  createTestStack,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';

let child: ChildProcess | undefined;
let stack: TestStack | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  child = undefined;
  await stack?.close();
  stack = undefined;
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts the fixture; its stderr (the SDK's warnings about the provoked retries) is kept quiet. */
function startMetricsWorker(env: Record<string, string>): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/metrics-worker.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      if (l === 'ready') resolve(proc);
    });
    proc.once('exit', (code) =>
      reject(new Error(`metrics worker exited early (${code}):\n${stderr}`)),
    );
  });
}

/** The exposition's sample lines, by metric name (the part before `{` or the value). */
function samples(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name) continue;
    out.set(name, [...(out.get(name) ?? []), line]);
  }
  return out;
}

/** Sum of a counter's samples whose labels include every `key="value"` in `labels`. */
function total(metrics: Map<string, string[]>, name: string, labels: string[] = []): number {
  return (metrics.get(name) ?? [])
    .filter((l) => labels.every((kv) => l.includes(kv)))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('worker metrics', () => {
  it('serves the Temporal SDK metrics on BOARDROOM_METRICS_ADDRESS, counting a run', async () => {
    const companyId = uniqueCompanyId('metrics');
    const taskQueue = `test-metrics-${randomUUID()}`;
    const port = await freePort();
    child = await startMetricsWorker({
      BOARDROOM_METRICS_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: inject('databaseUrl'),
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      TASK_QUEUE: taskQueue,
      COMPANY_ID: companyId,
      WORKSPACE: DEMO_WORKSPACE,
      FLAKY_AGENT: 'finance:2',
    });

    stack = await createTestStack({ companyId, taskQueue, withWorker: false });
    const result = await stack.runBriefing();
    expect(result.created).toBe(true);
    expect(result.agents.finance).toEqual({ status: 'ok', attempts: 3 });

    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const metrics = samples(text);
    const queue = `task_queue="${taskQueue}"`;
    // One workflow completed; its six agents (finance on its third attempt) and the CEO
    // step (which saves) ran. Every attempt counts in the latency histogram; failed
    // attempts in temporal_activity_execution_failed too.
    expect(total(metrics, 'temporal_workflow_completed', [queue])).toBe(1);
    expect(
      total(metrics, 'temporal_activity_execution_latency_count', [
        queue,
        'activity_type="runAgentByRef"',
      ]),
    ).toBe(8);
    expect(
      total(metrics, 'temporal_activity_execution_failed', [
        queue,
        'activity_type="runAgentByRef"',
      ]),
    ).toBe(2);
    expect(
      total(metrics, 'temporal_activity_execution_latency_count', [
        queue,
        'activity_type="composeAndSaveBriefing"',
      ]),
    ).toBe(1);
    for (const name of [
      'temporal_workflow_endtoend_latency_bucket',
      'temporal_workflow_task_execution_latency_bucket',
      'temporal_activity_schedule_to_start_latency_bucket',
      'temporal_worker_task_slots_available',
      'temporal_request',
    ]) {
      expect(metrics.has(name), `${name} in:\n${text}`).toBe(true);
    }
  });
});

describe('metricsAddressFrom', () => {
  it('reads BOARDROOM_METRICS_ADDRESS as ip:port', () => {
    expect(metricsAddressFrom({})).toBeUndefined();
    expect(metricsAddressFrom({ BOARDROOM_METRICS_ADDRESS: '  ' })).toBeUndefined();
    expect(metricsAddressFrom({ BOARDROOM_METRICS_ADDRESS: '127.0.0.1:9464' })).toBe(
      '127.0.0.1:9464',
    );
    expect(metricsAddressFrom({ BOARDROOM_METRICS_ADDRESS: '0.0.0.0:9464' })).toBe('0.0.0.0:9464');
    expect(metricsAddressFrom({ BOARDROOM_METRICS_ADDRESS: '[::1]:9464' })).toBe('[::1]:9464');
    expect(metricsAddressFrom({ BOARDROOM_METRICS_ADDRESS: 'localhost:9464' })).toBe(
      '127.0.0.1:9464',
    );
  });

  it.each([
    '9464',
    'metrics.internal:9464',
    '127.0.0.1',
    '127.0.0.1:0',
    '127.0.0.1:70000',
    '::1:9464',
    '[nope]:9464',
    '300.1.1.1:9464',
  ])('refuses %j with an error naming the variable', (value) => {
    expect(() => metricsAddressFrom({ BOARDROOM_METRICS_ADDRESS: value })).toThrow(ConfigError);
    expect(() => metricsAddressFrom({ BOARDROOM_METRICS_ADDRESS: value })).toThrow(
      /BOARDROOM_METRICS_ADDRESS must be ip:port/,
    );
  });
});
