/**
 * Where the demo's template lives and the day its data describes. Resolved from this
 * module's own file, so it is the same from any working directory.
 */
import { fileURLToPath } from 'node:url';

/** The day examples/demo-workspace describes ("today" in its data). */
export const DEMO_TEMPLATE_DATE = '2026-11-26';

/** Absolute path of examples/demo-workspace, the template. */
export const DEMO_TEMPLATE_DIR = fileURLToPath(
  new URL('../../../examples/demo-workspace', import.meta.url),
);
