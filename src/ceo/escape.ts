/**
 * Untrusted text (company names, task, deal, account and project titles, reasons, notes,
 * and the messages that quote them) written into the briefing's Markdown and, later,
 * Slack's mrkdwn. They come from files and third-party APIs, so they are treated as
 * hostile: they must not bring links, images, HTML, structure or terminal escapes along.
 *
 * `plainText` is the defence in depth under both escapers: validation already strips
 * control characters where text enters (src/contract/fields.ts), but what reaches a
 * renderer by another road (an error message, a stored briefing) is stripped again.
 */

/**
 * Whole terminal escape sequences: CSI (`ESC [ … final`, and its 8-bit form 0x9B), OSC,
 * DCS, SOS, PM and APC strings up to BEL or ST (`ESC \`, 0x9C), and two-byte ESC
 * sequences. Removed whole, so `\x1b[2J` leaves no `[2J` behind; an unterminated string
 * ends at the line's end.
 */
const TERMINAL_SEQUENCE = new RegExp(
  [
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`,
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?`,
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]`,
  ].join('|'),
  'g',
);

/** Line and paragraph breaks of every kind (and tabs): each becomes one space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * What is left to drop: C0 controls, DEL, C1 controls, and the bidirectional overrides,
 * embeddings and isolates that can make a line display other than it reads.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of plain text: terminal escape sequences and control characters removed,
 * line breaks and tabs collapsed to a space, ends trimmed. `null`/`undefined` -> ''.
 */
export function plainText(text: string | number | null | undefined): string {
  if (text === null || text === undefined) return '';
  return String(text)
    .replace(TERMINAL_SEQUENCE, '')
    .replace(BREAKS, ' ')
    .replace(CONTROLS, '')
    .trim();
}

/**
 * A whole rendered document: escape sequences and control characters other than the
 * line feed removed. The last pass over the Markdown, whatever a field brought.
 */
export function stripControls(document: string): string {
  return document
    .replace(TERMINAL_SEQUENCE, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS_BUT_NEWLINE, '');
}

/**
 * Markdown (CommonMark and GitHub's GFM) characters that are syntax wherever they stand:
 * backslash, code spans, emphasis and strikethrough, link and image brackets, raw HTML
 * and autolinks, table pipes. Escaped with a backslash, which CommonMark allows before
 * any ASCII punctuation.
 *
 * Not escaped, on purpose, because they are syntax only next to one of these: `(` `)`
 * (a link destination needs `](` and `]` is escaped), `!` (an image needs `![`), `:`
 * and `.` (a link definition needs `]:`). The templates around the text never put `]`,
 * `[` or `<` next to it, so no link, image or tag can be assembled from the pieces,
 * and `Close Acme Corp deal ($50K ARR)` stays readable in a terminal. A bare URL stays
 * text; a renderer that linkifies bare URLs (GFM) shows it as the link it is, target and
 * text the same, which hides nothing.
 */
const ACTIVE = /[\\`*[\]<>|~]/g;
/** `_` opens or closes emphasis only at a word's edge: `paid_social` is inert. */
const UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/** `&` that starts a character reference (`&lt;`, `&#91;`, `&#x5b;`), which would decode. */
const ENTITY = /&(?=#|[A-Za-z][A-Za-z0-9]*;)/g;
/**
 * Syntax only at the start of a line (the text may open a list item): an ATX heading
 * (`# `), a bullet (`- `, `+ `), an ordered item (`3. `, `3) `), a thematic break or
 * setext underline (`---`, `===`). `>` and `*` are escaped everywhere already; `-9.1`,
 * `+0.5 pts`, `#1` and `9.7 months` are no syntax and stay as they are.
 */
const LEADING = /^(?:#{1,6}(?=\s|$)|[+-](?=\s|$)|[=-]+\s*$|\d{1,9}(?=[.)](?:\s|$)))/;

/**
 * Untrusted text as inline Markdown that renders as exactly that text: one line, no
 * active syntax. Safe anywhere in a line, including a table cell or the start of a list
 * item. Use for every string from data (names, titles, messages, reasons, notes).
 */
export function escapeMarkdown(text: string | number | null | undefined): string {
  const line = plainText(text);
  const escaped = line.replace(ACTIVE, '\\$&').replace(UNDERSCORE, '\\_').replace(ENTITY, '\\&');
  const lead = LEADING.exec(escaped);
  if (!lead) return escaped;
  // "3. x" / "3) x" would start an ordered list: escape the dot or parenthesis.
  return /^\d/.test(lead[0]) ? `${lead[0]}\\${escaped.slice(lead[0].length)}` : `\\${escaped}`;
}

/**
 * A code span holding `text` verbatim (backslashes do not escape inside one): fenced with
 * one backtick more than the longest run in the text, padded when it starts or ends
 * with a backtick.
 */
export function markdownCode(text: string): string {
  const line = plainText(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * Untrusted text for Slack's mrkdwn (the Slack channel, issue 13): Slack asks for
 * exactly `&`, `<` and `>` to be escaped as entities, which is what stops `<!channel>`,
 * `<http://x|disguised link>` and user mentions. mrkdwn has no backslash escape, so its
 * `*bold*` / `_italic_` / `~strike~` stay possible; they change emphasis only, never a
 * link's target. One line, as `plainText`.
 */
export function escapeMrkdwn(text: string | number | null | undefined): string {
  return plainText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
