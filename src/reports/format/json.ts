import type { Report } from '../types.js';

/** The Report object itself, as schema/report.v1.schema.json describes it. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
