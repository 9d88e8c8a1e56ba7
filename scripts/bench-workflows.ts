// The bare shape the benchmark compares against: 6 parallel activities, then 2 more.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function bareWorkflow(): Promise<void> {
  await Promise.all(Array.from({ length: 6 }, () => noop()));
  await noop();
  await noop();
}
