import type { Report, ReportFormat } from '../types.js';
import { formatCsv } from './csv.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';

/**
 * One Report, five renderings: Markdown to read in a pull request or a ticket, one self-contained
 * HTML file to forward, JSON (the Report object, schema/report.v1.schema.json), SARIF 2.1.0 for code
 * scanning tools, and CSV for spreadsheets. Every formatter is pure: the same report gives the same
 * text. docs/report-formats.md describes each.
 */
export function formatReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return formatMarkdown(report);
    case 'html':
      return formatHtml(report);
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'csv':
      return formatCsv(report);
    default:
      throw new Error(`Unknown report format: ${String(format satisfies never)}`);
  }
}

const EXTENSIONS: Record<ReportFormat, string> = {
  md: 'md',
  html: 'html',
  json: 'json',
  sarif: 'sarif',
  csv: 'csv',
};

/** The file extension for a format, without the dot: `md`, `html`, `json`, `sarif`, `csv`. */
export function reportFileExtension(format: ReportFormat): string {
  const extension = EXTENSIONS[format];
  if (!extension) throw new Error(`Unknown report format: ${String(format)}`);
  return extension;
}
