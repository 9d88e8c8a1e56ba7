import type { SourceCheck } from '../sources/sources.js';

/** "✔ stripe (finance): reachable as acct_1", as `sources check` and `status` print it. */
export function sourceCheckLine(c: SourceCheck): string {
  // Connectors start their messages with their name; the line already has it.
  const message = c.message.replace(new RegExp(`^${c.source}: `), '');
  return `${c.ok ? '✔' : '✘'} ${c.source} (${c.agents.join(', ')}): ${message}`;
}
