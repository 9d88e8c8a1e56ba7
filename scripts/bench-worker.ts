/**
 * One worker process of the portfolio benchmark (scripts/bench.ts): the real
 * `boardroom worker` command, configured by the environment the benchmark gives it
 * (TEMPORAL_ADDRESS, DATABASE_URL, TEMPORAL_TASK_QUEUE, a registered company's
 * workspace), serving every registered company. Over IPC the benchmark asks it
 *
 * - `bare`: to also serve the bare workflow shape (bench-workflows.ts) on another task
 *   queue, in this same process, so both figures come from the same processes (started
 *   only after the briefings, so the worker's RSS is the briefings' alone);
 * - `memory`: for its main thread's heap figures (process.memoryUsage()), after a full
 *   collection when asked (what is live, not what V8 has not collected yet);
 * - `mark`: for its monotonic clock in microseconds, the clock of a --cpu-prof profile's
 *   samples, so the profile can be cut to the briefing phase.
 *
 * It runs the program BENCH_PROGRAM names (the benchmark's build of src/) or, without
 * it, src/ through tsx. It stops on SIGTERM (the worker command's own stop) and when the benchmark goes away.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { main as Main } from '../src/client/program.js';

// The benchmark runs a build (scripts/build.ts: dist's program.js, beside this file
// transpiled) unless --from-source, when this runs through tsx next to src/.
const { main } = (await import(process.env.BENCH_PROGRAM ?? '../src/client/program.js')) as {
  main: typeof Main;
};

type Message =
  | { type: 'bare'; address: string; taskQueue: string; bundlePath: string }
  | { type: 'mark'; id: number }
  | { type: 'memory'; gc?: boolean };

let bare: { worker: Worker; done: Promise<void>; connection: NativeConnection } | undefined;

async function handle(m: Message): Promise<void> {
  if (m.type === 'mark') {
    process.send?.({ type: 'mark', id: m.id, us: Number(process.hrtime.bigint() / 1000n) });
  } else if (m.type === 'memory') {
    // The benchmark starts us with --expose-gc: after a full collection, the heap is what is live.
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    const u = process.memoryUsage();
    process.send?.({
      type: 'memory',
      rss: u.rss,
      heapUsed: u.heapUsed,
      heapTotal: u.heapTotal,
      external: u.external,
      arrayBuffers: u.arrayBuffers,
    });
  } else if (m.type === 'bare' && !bare) {
    const connection = await NativeConnection.connect({ address: m.address });
    const worker = await Worker.create({
      connection,
      taskQueue: m.taskQueue,
      // Bundled once by the benchmark: webpack in here would weigh on this process's heap.
      workflowBundle: { codePath: m.bundlePath },
      activities: { noop: async () => {} },
    });
    bare = { worker, connection, done: worker.run() };
    process.send?.({ type: 'bare-ready' });
  }
}

process.on('message', (m: Message) => {
  handle(m).catch((err: Error) => process.send?.({ type: 'error', message: err.message }));
});
// Stopped with the worker command, which handles the same signal.
process.on('SIGTERM', () => {
  if (bare?.worker.getState() === 'RUNNING') bare.worker.shutdown();
});
// The benchmark died without stopping us: stop as if asked.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));

const code = await main(['node', 'boardroom', 'worker']);
if (bare) {
  if (bare.worker.getState() === 'RUNNING') bare.worker.shutdown();
  await bare.done.catch(() => undefined);
  await bare.connection.close();
}
process.exit(code);
