import type { Finding, Report } from '../types.js';
import { csvField } from './escape.js';
import { evidenceRefs, pathText } from './text.js';

export const CSV_COLUMNS = [
  'severity',
  'rule',
  'title',
  'subject',
  'subject kind',
  'target',
  'message',
  'conditional',
  'suppressed',
  'first seen',
  'fingerprint',
  'path',
  'evidence refs',
] as const;

function row(finding: Finding, suppressed: boolean): string[] {
  return [
    finding.severity,
    finding.ruleId,
    finding.title,
    finding.subject.name,
    finding.subject.kind,
    finding.target?.name ?? '',
    finding.message,
    String(finding.conditional),
    String(suppressed),
    finding.firstSeen ?? '',
    finding.fingerprint,
    pathText(finding.path),
    evidenceRefs(finding).join('; '),
  ];
}

/**
 * One row per finding, active ones first (most severe first, as the report orders them), then the
 * suppressed ones. RFC 4180: CRLF line ends, fields quoted when needed; cells a spreadsheet would run
 * as a formula are defused (escape.ts).
 */
export function formatCsv(report: Report): string {
  const rows = [
    [...CSV_COLUMNS],
    ...report.findings.map((f) => row(f, false)),
    ...report.suppressed.map((f) => row(f, true)),
  ];
  return `${rows.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}
