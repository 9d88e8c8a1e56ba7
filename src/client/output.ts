import { Marked, type Tokens } from 'marked';
import { markedTerminal } from 'marked-terminal';

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
  /**
   * Whether stdout is a terminal: Markdown is then rendered for it (tables, emphasis)
   * instead of printed raw. Absent (a test, a pipe): raw Markdown.
   */
  stdoutIsTTY?: boolean;
  /** The terminal's width in columns, for rendered Markdown. */
  columns?: number;
}

/** The process's own stdout and stderr. */
export function processOutput(): Output {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    say: (line) => void process.stderr.write(`${line}\n`),
    writeErr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
}

/** Rendered Markdown is never wider than this, however wide the terminal. */
const MAX_COLUMNS = 120;

/**
 * Markdown rendered for a terminal: headings, emphasis and code styled, tables drawn
 * (marked + marked-terminal), Markdown escapes resolved (`\\<b\\>` shows as `<b>`). The
 * text it renders is the briefing's own Markdown, whose data is escaped and stripped
 * of control characters (src/ceo/escape.ts), so no terminal sequence can come from data.
 */
export function markdownForTerminal(markdown: string, columns = 100): string {
  const width = Math.max(40, Math.min(columns, MAX_COLUMNS));
  const marked = new Marked(
    // The types describe an older marked's extension shape; the runtime one fits.
    markedTerminal({
      width,
      reflowText: true,
      showSectionPrefix: false,
      tab: 2,
      // One line per row: no rule between rows.
      tableOptions: { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } },
    }) as never,
    {
      renderer: {
        // marked-terminal leaves inline Markdown in list items raw with marked >= 13
        // (mikaelbr/marked-terminal#304): render a text token's inline tokens.
        text(token: Tokens.Text | Tokens.Escape) {
          if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
          return false;
        },
      },
    },
  );
  return marked.parse(markdown, { async: false });
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
