import type { Output } from './output.js';

/** Live progress: one redrawn line on a terminal, a line per change otherwise. */
export function progressPrinter(output: Output): {
  update: (line: string) => void;
  end: () => void;
} {
  let last = '';
  return {
    update(line) {
      // The elapsed time changes every poll; only a change of state deserves a new line.
      const stable = line.replace(/ \d+\.\ds$/, '');
      if (output.isTTY) output.writeErr(`\r\x1b[2K${line}`);
      else if (stable !== last) output.say(line);
      last = stable;
    },
    end() {
      if (output.isTTY) output.writeErr('\n');
    },
  };
}
