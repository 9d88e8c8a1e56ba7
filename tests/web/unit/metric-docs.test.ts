import { describe, expect, it } from 'vitest';
import { loadMetricDocs, metricDoc, parseMetricDocs } from '../../../src/web/metric-docs.js';

const DOC = `# Metrics

## Conventions

| key | unit | period | formula |
| --- | ---- | ------ | ------- |
| \`notAnAgent\` | count | today | outside an agent's section |

## finance

| key | unit | period | formula and source fields |
| --- | ---- | ------ | ------------------------- |
| \`mrr\` | currency | today | MRR from \`amount_cents\` and *status* |

| alert | severity | metric |
| ----- | -------- | ------ |
| \`finance.runway-low\` | warning | \`runwayMonths\` |

## sales

| key | unit | period | formula |
| --- | ---- | ------ | ------- |
| \`valueByStage.<stage>\` | currency (ARR) | snapshot | sum of <b>their</b> amounts |
`;

describe('metric definitions from docs/metrics.md', () => {
  it("reads each agent's key tables, and nothing else", () => {
    const docs = parseMetricDocs(DOC);
    expect([...docs.keys()]).toEqual(['finance.mrr', 'sales.valueByStage.<stage>']);
    expect(metricDoc(docs, 'finance', 'mrr')).toEqual({
      unit: 'currency',
      period: 'today',
      definitionHtml: 'MRR from <code>amount_cents</code> and <em>status</em>',
    });
    // A per-item key finds its family's definition.
    expect(metricDoc(docs, 'sales', 'valueByStage.won')?.unit).toBe('currency (ARR)');
    expect(metricDoc(docs, 'sales', 'winRatePct')).toBeUndefined();
  });

  it('finds a definition for every metric of the real docs the trend pages chart', async () => {
    const docs = await loadMetricDocs();
    expect(docs.size).toBeGreaterThan(150);
    for (const [agent, key] of [
      ['finance', 'runwayMonths'],
      ['sales', 'pipelineCoverage'],
      ['operations', 'utilization'],
      ['marketing', 'cac'],
      ['hr', 'headcount'],
      ['customer-success', 'nps'],
    ] as const)
      expect(metricDoc(docs, agent, key), `${agent}.${key}`).toBeDefined();
  });
});
