/**
 * Where a command writes: its result on stdout (so it can be piped), messages for the
 * person on stderr. Commands take an `Output`, so a test can capture both.
 */
export interface Output {
  /** The command's result, on stdout; a newline is added when `text` lacks one. */
  out(text: string): void;
  /** One line for the person, on stderr. */
  say(line: string): void;
  /** Raw stderr, for the progress line a terminal redraws in place. */
  writeErr(text: string): void;
  /** Whether stderr is a terminal (progress redraws one line instead of printing many). */
  isTTY: boolean;
}

/** The process's own stdout and stderr. */
export function processOutput(): Output {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    say: (line) => void process.stderr.write(`${line}\n`),
    writeErr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

let closedStdoutHandled = false;

/** `boardroom ... | head` closes stdout early: stop quietly (and cleanly) rather than crash. */
export function stopQuietlyWhenStdoutCloses(): void {
  if (closedStdoutHandled) return;
  closedStdoutHandled = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.kill(process.pid, 'SIGTERM');
  });
}
