/**
 * Escaping for every output format. Names in a report come from cloud accounts (role names, bucket
 * names, tags): anyone who can create a role can choose its name, so every string from the graph is
 * treated as hostile and escaped where it is written, never earlier.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value in HTML or SVG (quotes too, so it is safe inside either kind of attribute). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Line breaks and other control characters become spaces: one value stays on one line. */
export function singleLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/**
 * Plain Markdown text inside a line (never at its start): the characters that open emphasis, code,
 * links, HTML, entities, tables, strikethrough, headings and math are backslash-escaped, which
 * CommonMark allows for any ASCII punctuation. The rest stays readable in the raw file.
 */
export function escapeMarkdown(value: string): string {
  return singleLine(value).replace(/[\\`*_[\]<>|~&#$]/g, (c) => `\\${c}`);
}

/** Escaped text that starts a line: list markers, setext underlines and indentation are defused too. */
export function escapeMarkdownLine(value: string): string {
  return escapeMarkdown(value.trimStart())
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * A Markdown code span holding `value` verbatim. The fence is one backtick longer than the longest
 * run inside (CommonMark's rule), padded with spaces when the value starts or ends with a backtick.
 * Pipes are escaped because GFM tables split cells on them even inside code spans.
 */
export function markdownCode(value: string): string {
  const text = singleLine(value);
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled; and a
 * value a spreadsheet would evaluate as a formula is prefixed with a single quote.
 */
export function csvField(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
