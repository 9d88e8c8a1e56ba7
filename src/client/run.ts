/**
 * Ad-hoc runs: start the briefing workflow and show live per-agent progress, read from
 * the workflow's progress query plus the server's view of retrying activities.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { AGENT_NAMES, AGENT_TITLES } from '../contract/report.js';
import {
  AGENT_ACTIVITY_PREFIX,
  WORKFLOW_TYPE,
  manualWorkflowId,
  progressQuery,
  type BriefingProgress,
  type DailyBriefingInput,
  type DailyBriefingResult,
} from '../shared/workflow-api.js';
import { companyPriority } from '../worker/fairness.js';

export async function startBriefing(
  client: Client,
  opts: { taskQueue: string; input: DailyBriefingInput; now: Date; workflowId?: string },
): Promise<WorkflowHandle> {
  return client.workflow.start(WORKFLOW_TYPE, {
    taskQueue: opts.taskQueue,
    workflowId: opts.workflowId ?? manualWorkflowId(opts.input.companyId, opts.now),
    args: [opts.input],
    // Its activities inherit it: the server shares a backlog fairly among companies.
    priority: companyPriority(opts.input.companyId),
  });
}

/** The identities of the workers that polled `taskQueue` recently (the server remembers ~5 minutes). */
export async function pollerIdentities(client: Client, taskQueue: string): Promise<string[]> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
  });
  return (res.pollers ?? []).map((p) => p.identity ?? '');
}

/** Whether any worker has polled `taskQueue` recently (the server remembers ~5 minutes). */
export async function hasWorkers(client: Client, taskQueue: string): Promise<boolean> {
  return (await pollerIdentities(client, taskQueue)).length > 0;
}

/** How `followRun` bounds the wait while no worker picks the run up. */
export interface WorkerWait {
  /** Give up after this long without a worker polling the task queue. */
  timeoutMs: number;
  /** Whether a worker polls now (hasWorkers). */
  hasWorkers: () => Promise<boolean>;
  /** What to throw then. */
  onTimeout: () => Error;
  /** How often to ask. @default 1_000 */
  checkEveryMs?: number;
}

export interface ProgressView extends BriefingProgress {
  /** Attempt number of activities the server is retrying, by agent. */
  retrying: Partial<Record<string, { attempt: number; lastError?: string }>>;
}

/** One snapshot: the query's view, plus retries from the server's pending activities. */
export async function readProgress(handle: WorkflowHandle): Promise<ProgressView | undefined> {
  try {
    const [progress, description] = await Promise.all([
      handle.query(progressQuery),
      handle.describe(),
    ]);
    const retrying: ProgressView['retrying'] = {};
    for (const p of description.raw.pendingActivities ?? []) {
      const agent = p.activityId?.startsWith(AGENT_ACTIVITY_PREFIX)
        ? p.activityId.slice(AGENT_ACTIVITY_PREFIX.length)
        : undefined;
      if (agent && (p.attempt ?? 1) > 1) {
        retrying[agent] = {
          attempt: p.attempt ?? 1,
          ...(p.lastFailure?.message ? { lastError: p.lastFailure.message } : {}),
        };
      }
    }
    return { ...progress, retrying };
  } catch {
    // Not picked up by a worker yet (no query handler), or already closed.
    return undefined;
  }
}

export function renderProgress(view: ProgressView | undefined, elapsedMs: number): string {
  if (!view) return `waiting for a worker to pick up the run ... ${(elapsedMs / 1000).toFixed(1)}s`;
  const marks: Record<string, string> = {
    pending: '·',
    running: '…',
    done: '✔',
    failed: '✘',
    stale: '⚠',
  };
  const parts = AGENT_NAMES.map((a) => {
    const p = view.agents[a];
    const retry = view.retrying[a];
    const detail =
      p.phase === 'running' && retry
        ? ` (retry ${retry.attempt})`
        : p.attempts && p.attempts > 1
          ? ` (${p.attempts} attempts)`
          : '';
    return `${marks[p.phase] ?? '?'} ${AGENT_TITLES[a]}${detail}`;
  });
  return `${parts.join('  ')}  | ${view.step} ${(elapsedMs / 1000).toFixed(1)}s`;
}

/**
 * Polls progress until the workflow completes; returns its result. With `workerWait`,
 * throws its error once no worker has polled for its `timeoutMs` while the run waits
 * (before a worker picks it up, or after the one running it went away).
 */
export async function followRun(
  handle: WorkflowHandle,
  onProgress: (line: string, view: ProgressView | undefined) => void,
  intervalMs = 250,
  workerWait?: WorkerWait,
): Promise<DailyBriefingResult> {
  const started = Date.now();
  const result = handle.result() as Promise<DailyBriefingResult>;
  let done = false;
  void result.finally(() => (done = true)).catch(() => {});
  let lastSeenWorker = Date.now();
  let gaveUp = false;
  const follow = async () => {
    while (!done && !gaveUp) {
      const view = await readProgress(handle);
      if (done || gaveUp) break;
      if (view) lastSeenWorker = Date.now();
      onProgress(renderProgress(view, Date.now() - started), view);
      await Promise.race([new Promise((r) => setTimeout(r, intervalMs)), result.catch(() => {})]);
    }
  };
  // Apart from the progress loop: a query to a run no worker holds can take its time.
  const watch = async () => {
    if (!workerWait) return;
    while (!done) {
      await Promise.race([
        new Promise((r) => setTimeout(r, workerWait.checkEveryMs ?? 1_000)),
        result.catch(() => {}),
      ]);
      if (done) return;
      if (await workerWait.hasWorkers().catch(() => true)) lastSeenWorker = Date.now();
      else if (Date.now() - lastSeenWorker >= workerWait.timeoutMs && !done) {
        gaveUp = true;
        throw workerWait.onTimeout();
      }
    }
  };
  const loops = [follow(), watch()];
  await Promise.race(loops.map((l) => l.then(() => result)));
  const final = await result;
  // No query or poll may still be in flight when the caller closes the connection: the
  // client's retry timer would then throw "Channel has been shut down" out of nowhere.
  await Promise.allSettled(loops);
  onProgress(renderProgress(finalView(final), Date.now() - started), finalView(final));
  return final;
}

/** The finished run's state, from its result (a query would need a worker to replay it). */
function finalView(result: DailyBriefingResult): ProgressView {
  const phase = { ok: 'done', stale: 'stale', failed: 'failed' } as const;
  return {
    step: 'done',
    briefingDate: result.briefingDate,
    retrying: {},
    agents: Object.fromEntries(
      AGENT_NAMES.map((a) => [
        a,
        { phase: phase[result.agents[a].status], attempts: result.agents[a].attempts },
      ]),
    ) as ProgressView['agents'],
  };
}
