import { createHash } from 'node:crypto';

/**
 * The HTML report's only style sheet and script, inlined. The page's Content-Security-Policy admits
 * exactly these two by their SHA-256 hashes and nothing else (no other script, style, font, image or
 * connection), so even a name that slipped past escaping could not run or load anything.
 */

export const REPORT_CSS = `
:root { color-scheme: light; --fg: #0f172a; --muted: #475569; --line: #cbd5e1; --bg-soft: #f8fafc; --link: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
main, .report-header, nav, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
.report-header { padding-top: 24px; padding-bottom: 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 21px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--fg); }
h3 { font-size: 17px; margin: 24px 0 8px; }
h4 { font-size: 16px; margin: 0 0 6px; }
a { color: var(--link); }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef2f7; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0 0 12px; }
.meta div { display: flex; gap: 6px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
.severity-summary { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; padding: 0; margin: 8px 0; }
.severity-summary li { border-radius: 6px; padding: 6px 14px; min-width: 104px; border: 1px solid transparent; }
.severity-summary .count { display: block; font-size: 24px; font-weight: 700; line-height: 1.1; }
.sev-critical { background: #fee2e2; color: #7f1d1d; border-color: #fca5a5; }
.sev-high { background: #ffedd5; color: #7c2d12; border-color: #fdba74; }
.sev-medium { background: #fef9c3; color: #713f12; border-color: #fde047; }
.sev-low { background: #dbeafe; color: #1e3a8a; border-color: #93c5fd; }
.sev-info { background: #f1f5f9; color: #334155; border-color: #cbd5e1; }
.badge { display: inline-block; font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; padding: 1px 8px; border-radius: 10px; border: 1px solid; vertical-align: 2px; }
.tag { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 8px; background: #fef3c7; color: #92400e; border: 1px solid #fcd34d; }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 20px; list-style: none; padding: 8px 0; margin: 0; }
caption { text-align: left; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
td { overflow-wrap: anywhere; }
th { background: var(--bg-soft); white-space: nowrap; }
td.num, th.num { text-align: right; }
.nowrap { white-space: nowrap; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
th button::after { content: " \\2195"; color: var(--muted); font-weight: 400; }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--fg); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--fg); }
th button:focus-visible, summary:focus-visible, a:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; }
.changes li { margin: 4px 0; }
.finding { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 14px 18px; margin: 12px 0 18px; break-inside: avoid; }
.finding.sev-critical, .finding.sev-high, .finding.sev-medium, .finding.sev-low, .finding.sev-info { background: #fff; color: var(--fg); }
.finding.sev-critical { border-left-color: #dc2626; }
.finding.sev-high { border-left-color: #ea580c; }
.finding.sev-medium { border-left-color: #ca8a04; }
.finding.sev-low { border-left-color: #2563eb; }
.finding.sev-info { border-left-color: #64748b; }
.finding .message { margin: 4px 0 10px; font-size: 15px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.diagram { margin: 10px 0; overflow-x: auto; background: var(--bg-soft); border: 1px solid #e2e8f0; border-radius: 6px; padding: 6px; }
.diagram svg { display: block; max-width: 100%; height: auto; }
.diagram figcaption { font-size: 13px; color: var(--muted); padding: 2px 4px; }
.hops { margin: 6px 0; padding-left: 22px; }
.hops > li { margin: 6px 0; }
.used { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 8px; background: #dcfce7; color: #166534; border: 1px solid #86efac; }
.unused { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 8px; background: #f3f4f6; color: #374151; border: 1px solid #d1d5db; }
.route-use { font-size: 13px; color: #374151; }
.kind { color: var(--muted); font-size: 13px; }
details { margin: 4px 0; }
summary { cursor: pointer; color: var(--link); }
details ul { margin: 6px 0; padding-left: 20px; }
.evidence-source { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; }
.undecided { color: #92400e; }
.note { color: var(--muted); }
.routes { display: grid; gap: 8px; }
footer { color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); margin-top: 40px; padding-top: 12px; padding-bottom: 24px; }
@media print {
  nav, th button::after { display: none; }
  body { font-size: 11pt; }
  h2 { break-after: avoid; }
  .finding { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .diagram { overflow: visible; }
}
@page { margin: 14mm; }
`;

/**
 * Sortable tables (a button in each header cell, so the keyboard works as for any button; aria-sort
 * tells screen readers the order) and, for printing, every <details> opened and closed again after.
 */
export const REPORT_SCRIPT = `
(() => {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  for (const table of document.querySelectorAll('table.sortable')) {
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((th, column) => {
      const button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', () => {
        const ascending = th.getAttribute('aria-sort') !== 'ascending';
        for (const other of headers) if (other.querySelector('button')) other.setAttribute('aria-sort', 'none');
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        const body = table.tBodies[0];
        const key = (row) => {
          const cell = row.cells[column];
          return cell ? (cell.getAttribute('data-sort') ?? cell.textContent.trim()) : '';
        };
        const rows = Array.from(body.rows);
        rows.sort((a, b) => collator.compare(key(a), key(b)) * (ascending ? 1 : -1));
        body.append(...rows);
      });
    });
  }
  const opened = [];
  window.addEventListener('beforeprint', () => {
    for (const details of document.querySelectorAll('details:not([open])')) {
      details.open = true;
      opened.push(details);
    }
  });
  window.addEventListener('afterprint', () => {
    for (const details of opened.splice(0)) details.open = false;
  });
})();
`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Nothing may load; only the inline style sheet and script above may apply, by hash. */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `style-src ${sha256(REPORT_CSS)}`,
    `script-src ${sha256(REPORT_SCRIPT)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
