/**
 * The `boardroom` CLI's entry: `tsx src/client/main.ts <command>` (npm start) runs it;
 * importing it (bin/boardroom.js, tests) runs nothing.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exitWhenDone, main } from './program.js';

export { main };

function isEntryPoint(script: string | undefined): boolean {
  try {
    return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false; // no such file: a REPL or `node -e`
  }
}

if (isEntryPoint(process.argv[1])) exitWhenDone(await main(process.argv));
