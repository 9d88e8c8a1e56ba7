import type { SourceCheck } from '../sources/sources.js';

/** "✔ stripe (finance): reachable as acct_1", as `sources check` and `status` print it. */
export function sourceCheckLine(c: SourceCheck): string {
  // Connectors start their messages with their name; the line already has it.
  const message = c.message.replace(new RegExp(`^${c.source}: `), '');
  return `${c.ok ? '✔' : '✘'} ${c.source} (${c.agents.join(', ')}): ${message}`;
}

/** Problems listed per check on a terminal; `--json` lists them all. */
export const PROBLEMS_SHOWN = 100;

/**
 * The check's line and, below it, one indented line per problem (file, line, field: what
 * is wrong), as `sources check` prints them: at most `max`, then how many more.
 */
export function sourceCheckLines(c: SourceCheck, max = PROBLEMS_SHOWN): string[] {
  const problems = c.problems ?? [];
  const shown = problems.slice(0, max).map((p) => `    ${p}`);
  const more = problems.length - shown.length;
  return [
    sourceCheckLine(c),
    ...shown,
    ...(more > 0 ? [`    ... and ${more} more (--json lists them all)`] : []),
  ];
}
