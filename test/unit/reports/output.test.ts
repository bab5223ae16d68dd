import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/reports/format/index.js';
import { writeReportFiles } from '../../../src/reports/output.js';
import { sampleReport } from '../../helpers/report.js';

const work = mkdtempSync(join(tmpdir(), 'reachgraph-report-output-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('writeReportFiles', () => {
  it('writes each format into directories it creates, and returns the absolute paths', async () => {
    const report = sampleReport();
    const dir = join(work, 'nested', 'reports');
    const paths = await writeReportFiles(report, [
      { format: 'html', path: join(dir, 'r.html') },
      { format: 'json', path: join(dir, 'r.json') },
    ]);
    expect(paths).toEqual([join(dir, 'r.html'), join(dir, 'r.json')]);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toBe(formatReport(report, 'html'));
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).id).toBe(report.id);
    // Nothing but the reports: the temporary files were renamed into place.
    expect(readdirSync(dir).sort()).toEqual(['r.html', 'r.json']);
  });

  it('replaces an earlier report in place', async () => {
    const file = join(work, 'replace.md');
    writeFileSync(file, 'yesterday');
    await writeReportFiles(sampleReport(), [{ format: 'md', path: file }]);
    expect(readFileSync(file, 'utf8')).toBe(formatReport(sampleReport(), 'md'));
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses two formats into one file, before writing anything', async () => {
    const file = join(work, 'same', 'report.out');
    await expect(
      writeReportFiles(sampleReport(), [
        { format: 'md', path: file },
        { format: 'csv', path: join(work, 'same', '.', 'report.out') },
      ]),
    ).rejects.toThrow(`Two report formats would be written to the same file: ${file}`);
    expect(readdirSync(work)).not.toContain('same');
  });

  it('names the directory it cannot create, and leaves no temporary file behind', async () => {
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, '');
    await expect(
      writeReportFiles(sampleReport(), [{ format: 'md', path: join(blocker, 'r.md') }]),
    ).rejects.toThrow(`Cannot create the report directory ${blocker}`);
    const occupied = join(work, 'is-a-directory.md');
    rmSync(occupied, { recursive: true, force: true });
    // A directory where the file should go: the rename fails, the temporary file is removed.
    await writeReportFiles(sampleReport(), [{ format: 'md', path: join(occupied, 'inner.md') }]);
    await expect(writeReportFiles(sampleReport(), [{ format: 'md', path: occupied }])).rejects.toThrow(
      `Cannot write the report ${occupied}`,
    );
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
