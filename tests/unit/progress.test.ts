import { describe, expect, it } from 'vitest';
import { renderProgress, type ProgressView } from '../../src/client/run.js';

const view = (over: Partial<ProgressView> = {}): ProgressView => ({
  step: 'agents',
  briefingDate: '2026-11-26',
  retrying: {},
  agents: {
    finance: { phase: 'done', attempts: 1 },
    sales: { phase: 'running' },
    operations: { phase: 'pending' },
    marketing: { phase: 'failed', attempts: 3, error: 'boom' },
    hr: { phase: 'stale', attempts: 3 },
    'customer-success': { phase: 'done', attempts: 2 },
  },
  ...over,
});

describe('renderProgress', () => {
  it('shows each agent with its state, attempts and the step', () => {
    expect(renderProgress(view(), 1234)).toBe(
      '✔ Finance  … Sales  · Operations  ✘ Marketing (3 attempts)  ⚠ HR (3 attempts)  ✔ Customer success (2 attempts)  | agents 1.2s',
    );
  });

  it('shows the retry number of a running agent the server is retrying', () => {
    const line = renderProgress(
      view({ retrying: { sales: { attempt: 2, lastError: 'timeout' } } }),
      500,
    );
    expect(line).toContain('… Sales (retry 2)');
  });

  it('says when no worker has picked the run up yet', () => {
    expect(renderProgress(undefined, 3000)).toBe(
      'waiting for a worker to pick up the run ... 3.0s',
    );
  });
});
