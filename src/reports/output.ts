import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatReport } from './format/index.js';
import type { Report, ReportFormat } from './types.js';

export interface ReportTarget {
  format: ReportFormat;
  path: string;
}

/**
 * Write a report in each target's format. Every file is written beside its destination and then
 * renamed into place, so a reader (a browser, a CI step, the previous report's link) never sees half
 * a report, and a failed write leaves the previous file as it was. Missing directories are created.
 * Returns the absolute paths written, in target order.
 */
export async function writeReportFiles(report: Report, targets: ReportTarget[]): Promise<string[]> {
  const paths = targets.map((t) => resolve(t.path));
  const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
  if (duplicate) throw new Error(`Two report formats would be written to the same file: ${duplicate}`);
  // Format everything first: a formatter error writes nothing at all.
  const contents = targets.map((t) => formatReport(report, t.format));
  for (const [i, path] of paths.entries()) await writeAtomically(path, contents[i] ?? '');
  return paths;
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new Error(`Cannot create the report directory ${dir}: ${messageOf(error)}`);
  }
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new Error(`Cannot write the report ${path}: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
