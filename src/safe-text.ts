/**
 * The one sanitizer for text a person reads: every value from AWS (names, tags, descriptions,
 * messages an endpoint sends) is hostile in a terminal, a spreadsheet and a Markdown page. Each
 * renderer boundary calls the function for its medium; JSON and SARIF are data and stay exact.
 *
 * - Control characters are shown escaped (`\n`, `\r`, `\t`, `\u001b`...), never sent: an ESC or an
 *   OSC could rewrite the screen, set the window title or plant a hyperlink, a CR could overwrite
 *   the line before it, and bidirectional overrides could reorder what is read. The escapes are
 *   JSON's own, so a JSON document passed through `terminalOutput` keeps every value.
 * - Table cells are cut with an ellipsis: one 70,000-character name must not widen every row.
 * - CSV cells also defuse spreadsheet formulas, as Excel and Google Sheets need.
 */

/** C0 and C1 controls, DEL, the line and paragraph separators and the bidirectional controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  return NAMED_ESCAPES[char] ?? `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
}

/** Every control character shown as its escape: the text stays one line and inert. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** The widest cell of a terminal or Markdown table: whole sentences fit, a flood of text does not. */
export const TABLE_CELL_MAX = 1000;
/** Names in tables: IAM names are at most 128 characters (paths 512), so only crafted input is cut. */
export const NAME_CELL_MAX = 128;
/** The longest cell Excel holds (Google Sheets holds more); a longer one would be split or refused. */
const SPREADSHEET_CELL_MAX = 32_767;
const ELLIPSIS = '…';

/** At most `max` characters, the cut marked with an ellipsis (never inside a surrogate pair). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = text.slice(0, Math.max(0, max - 1));
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}${ELLIPSIS}`;
}

/** A value for one cell of a terminal table: escaped, then cut. */
export function tableCell(text: string, max: number = TABLE_CELL_MAX): string {
  return cutText(escapeControls(text), max);
}

/** The longest warning line: a warning lists names, and one crafted name must not flood the terminal. */
const WARNING_MAX = 4000;

/**
 * A warning is one line: every control shown escaped (a name's LF cannot start a fake line), each
 * overlong word (a crafted name) cut like a table cell, and the whole line cut at `WARNING_MAX`.
 */
export function warningText(text: string): string {
  const words = escapeControls(text).replace(/\S{1001,}/g, (word) => cutText(word, TABLE_CELL_MAX));
  return cutText(words, WARNING_MAX);
}

/** Cells that a spreadsheet would run as a formula (OWASP's list: = + - @, tab and CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): escaped, cut to what a spreadsheet holds, formulas defused, quoted when needed. */
export function csvCell(value: string): string {
  const raw = cutText(value, SPREADSHEET_CELL_MAX);
  const text = escapeControls(FORMULA_START.test(raw) ? `'${raw}` : raw);
  return /[",]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Text for Markdown (a table cell or a line): controls escaped, HTML and link syntax neutralised
 * (angle brackets and ampersands as entities; every character that can open emphasis, code, a
 * table cell or a heading backslash-escaped; with [ and ] escaped, ( ) and ! cannot form a link
 * or an image), so AWS data renders as the text it is.
 */
export function markdownText(text: string, max: number = TABLE_CELL_MAX): string {
  return cutText(escapeControls(text), max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#])/g, '\\$1');
}

/**
 * A fenced code block that its content cannot close: the fence is longer than any run of
 * backticks inside (CommonMark), and controls are escaped.
 */
export function markdownCodeBlock(code: string): string {
  const text = code.split(/\r?\n/).map(escapeControls).join('\n');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}

/**
 * The colour codes roleshift itself writes (`report/terminal.ts`, the CLI's "warning:"): reset,
 * bold, dim, normal intensity, red, green, yellow, magenta, cyan, default colour. Nothing else
 * (no cursor move, no concealed text, no title, no link) may reach a terminal.
 */
const OWN_COLOURS = /^\u001b\[(?:0|1|2|22|31|32|33|35|36|39)m/;

/**
 * The last pass before text reaches a terminal (the CLI's stdout and stderr): keeps newlines,
 * tabs, CRLF line ends and, when colour is on, roleshift's own colour codes; escapes every other
 * control character. Renderers sanitize their values themselves (`tableCell`); this catches any
 * path that missed one.
 */
export function terminalOutput(text: string, options: { colour: boolean }): string {
  return text.replace(CONTROL, (char, offset: number) => {
    if (char === '\n' || char === '\t') return char;
    if (char === '\r' && text[offset + 1] === '\n') return char;
    if (char === '\u001b' && options.colour && OWN_COLOURS.test(text.slice(offset, offset + 6))) return char;
    return escapeOne(char);
  });
}
