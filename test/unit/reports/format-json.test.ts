import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.js';
import { formatReport } from '../../../src/reports/format/index.js';
import {
  REPORT_SCHEMA_FILE,
  ReportSchema,
  reportJsonSchema,
} from '../../../src/reports/format/report-schema.js';
import { sampleReport } from '../../helpers/report.js';

const committed = JSON.parse(readFileSync(join(packageRoot(), REPORT_SCHEMA_FILE), 'utf8'));

// biome-ignore lint/suspicious/noExplicitAny: the tests break parsed JSON on purpose, wherever they like.
type Json = any;

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajvFormats.default(ajv);
  return ajv.compile(committed);
}

describe('JSON report', () => {
  const validate = validator();

  it(`${REPORT_SCHEMA_FILE} matches the zod schema (run npm run docs:generate)`, () => {
    expect(committed).toEqual(reportJsonSchema());
    expect(committed.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('is the Report object, and validates against the committed schema', () => {
    const report = sampleReport();
    const json = formatReport(report, 'json');
    const parsed = JSON.parse(json);
    expect(parsed).toEqual(report);
    expect(json).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(ReportSchema.safeParse(parsed).success).toBe(true);
  });

  it('validates a first report (no previous one) with no findings', () => {
    const report = sampleReport();
    report.findings = [];
    report.suppressed = [];
    report.expiredSuppressions = [];
    report.graphRun = null;
    report.job = null;
    report.diff = {
      previousReportId: null,
      previousGeneratedAt: null,
      newFindings: [],
      resolvedFindings: [],
      unchangedCount: 0,
      newPaths: [],
      removedPaths: [],
      changedPaths: [],
    };
    expect(validate(JSON.parse(formatReport(report, 'json'))), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['an unknown severity', (r: Json) => (r.findings[0].severity = 'urgent'), '/findings/0/severity'],
    ['another schema version', (r: Json) => (r.schemaVersion = 2), '/schemaVersion'],
    ['a missing diff field', (r: Json) => delete r.diff.changedPaths, '/diff'],
    ['an unknown finding field', (r: Json) => (r.findings[1].score = 9), '/findings/1'],
    [
      'evidence without a reason',
      (r: Json) => delete r.findings[0].path[0].evidence[0].reason,
      '/findings/0/path/0/evidence/0',
    ],
    ['a severity count missing', (r: Json) => delete r.summary.bySeverity.info, '/summary/bySeverity'],
  ])('rejects %s', (_name, mutate, where) => {
    const report = JSON.parse(formatReport(sampleReport(), 'json'));
    mutate(report);
    expect(validate(report)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain(where);
  });
});
