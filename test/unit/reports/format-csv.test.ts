// biome-ignore-all lint/style/noNonNullAssertion: the sample report holds these entries; a missing one fails the test either way.
import { describe, expect, it } from 'vitest';
import { csvField } from '../../../src/reports/format/escape.js';
import { formatReport } from '../../../src/reports/format/index.js';
import { sampleReport } from '../../helpers/report.js';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      if (c === '\n' || c === '"') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
      field += c;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last record not terminated by CRLF');
  return rows;
}

describe('CSV report', () => {
  it('has one row per finding, active then suppressed, with the documented columns', () => {
    const report = sampleReport();
    const [header, ...rows] = parseCsv(formatReport(report, 'csv'));
    expect(header).toEqual([
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
    ]);
    const all = [...report.findings, ...report.suppressed];
    expect(rows.map((r) => r[10])).toEqual(all.map((f) => f.fingerprint));
    expect(rows.map((r) => r[8])).toEqual(all.map((f) => String(report.suppressed.includes(f))));
    expect(rows.map((r) => r[7])).toEqual(all.map((f) => String(f.conditional)));
    const payments = rows[0]!;
    expect(payments.slice(0, 6)).toEqual([
      'critical',
      'nhi-reaches-production-data',
      'Non-human identity can reach production data',
      'ci-deploy',
      'AwsRole',
      'prod-payments-bucket',
    ]);
    expect(payments[11]).toBe('ci-deploy → tooling-admin → prod-deploy → prod-payments-bucket');
    expect(payments[12]?.split('; ')).toEqual([
      'arn:aws:iam::111111111111:policy/ci-assume-tooling',
      'arn:aws:iam::111111111111:role/tooling-admin#trust',
      'arn:aws:iam::222222222222:role/prod-deploy#trust',
      'arn:aws:iam::222222222222:policy/deploy-artifacts',
    ]);
    // A path-less finding lists the evidence of the finding itself.
    const oidc = rows.find((r) => r[1] === 'oidc-trust-any-subject');
    expect(oidc?.[11]).toBe('');
    expect(oidc?.[12]).toBe('arn:aws:iam::111111111111:role/gha-any-repo#trust');
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    const report = sampleReport();
    const f = report.findings[0]!;
    f.subject.name = '=HYPERLINK("http://evil.example","click")';
    f.message = 'line one\nline "two", with comma';
    f.title = '@SUM(A1:A9)';
    const target = f.target!;
    target.name = '-2+3';
    const rows = parseCsv(formatReport(report, 'csv'));
    expect(rows[1]?.[3]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows[1]?.[6]).toBe('line one\nline "two", with comma');
    expect(rows[1]?.[2]).toBe(`'@SUM(A1:A9)`);
    expect(rows[1]?.[5]).toBe(`'-2+3`);
    expect(rows[1]?.[11]?.startsWith(`=HYPERLINK`)).toBe(false);
    expect(rows[1]?.[11]).toBe(
      `'=HYPERLINK("http://evil.example","click") → tooling-admin → prod-deploy → -2+3`,
    );
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['+1', "'+1"],
    ['\tcmd', "'\tcmd"],
    ['=1,2', `"'=1,2"`],
    ['', ''],
  ])('csvField(%j) = %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});
