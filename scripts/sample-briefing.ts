/**
 * Writes docs/sample-briefing.md and .html from the demo workspace, and a PNG of the
 * HTML when a Chromium is installed (`apt-get install chromium`):
 *
 *   npx tsx scripts/sample-briefing.ts [--date 2026-11-26] [--weeks 6]
 *
 * The same pure code as a real run (agents, then the CEO step), without Temporal or
 * Postgres. So the sample shows trends, the agents are first run on the demo data as of
 * each of the previous weeks, and each result is the next one's history, as a company
 * running boardroom weekly would have stored it.
 */
import { execFile } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import {
  AGENT_NAMES,
  AgentReport,
  AgentResult,
  type AgentName,
  type MetricSnapshot,
} from '../src/contract/report.js';
import { type Briefing } from '../src/contract/briefing.js';
import { AGENTS } from '../src/agents/registry.js';
import { composeBriefing } from '../src/ceo/briefing.js';
import { companyComposeInput } from '../src/activities/compose-input.js';
import { renderHtml } from '../src/ceo/render-html.js';
import { workspaceSources } from '../src/sources/sources.js';

const { values } = parseArgs({
  options: {
    date: { type: 'string', default: '2026-11-26' },
    weeks: { type: 'string', default: '6' },
    workspace: { type: 'string', default: 'examples/demo-workspace' },
    out: { type: 'string', default: 'docs/sample-briefing' },
  },
});
const dir = path.resolve(values.workspace);
const sources = workspaceSources({ demo: dir });
const company = await sources.loadCompany('demo');
const inputs = Object.fromEntries(
  await Promise.all(
    AGENT_NAMES.map(async (a) => [a, (await sources.loadAgentInput('demo', AGENTS[a])).input]),
  ),
) as Record<AgentName, unknown>;

const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const history: Partial<Record<AgentName, MetricSnapshot[]>> = {};
let previous: Briefing | undefined;
let briefing: Briefing | undefined;
const weeks = Number(values.weeks);

for (let w = weeks; w >= 0; w--) {
  const today = shift(values.date, -7 * w);
  const asOf = new Date(`${today}T12:00:00Z`);
  const reports = Object.fromEntries(
    AGENT_NAMES.map((a) => {
      const result = AgentResult.parse(
        AGENTS[a].compute(inputs[a], { asOf, today, history: history[a] ?? [] }),
      );
      const report = AgentReport.parse({
        ...result,
        agent: a,
        timestamp: asOf.toISOString(),
        status: 'ok',
        durationMs: 0,
        sourceCalls: 0,
      });
      return [a, report];
    }),
  ) as Record<AgentName, AgentReport>;
  const { riskOverrides, ...fromCompany } = companyComposeInput(company, today, undefined);
  briefing = composeBriefing({
    ...fromCompany,
    companyId: 'demo',
    workflowId: `briefing-demo-${today}`,
    briefingDate: today,
    generatedAt: asOf.toISOString(),
    reports,
    history,
    ...(previous ? { previous } : {}),
    risks: { overrides: riskOverrides },
  });
  for (const a of AGENT_NAMES)
    (history[a] ??= []).push({ date: today, metrics: reports[a].metrics });
  previous = briefing;
}

const md = `${values.out}.md`;
const html = `${values.out}.html`;
const png = `${values.out}.png`;
await writeFile(md, briefing!.markdown);
await writeFile(html, renderHtml(briefing!));
console.log(`wrote ${md} and ${html} (${values.date}, after ${weeks} weekly runs)`);

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const browser = (
  await Promise.all(
    chromium.map((c) =>
      access(c).then(
        () => c,
        () => undefined,
      ),
    ),
  )
).find(Boolean);
if (!browser) {
  console.log('no Chromium found: install it (apt-get install chromium) for the PNG');
} else {
  await promisify(execFile)(browser, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--force-color-profile=srgb',
    '--window-size=1100,3600',
    `--screenshot=${path.resolve(png)}`,
    `file://${path.resolve(html)}`,
  ]);
  console.log(`wrote ${png} with ${browser}`);
}
