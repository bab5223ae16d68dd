// biome-ignore-all lint/style/noNonNullAssertion: the sample report holds these entries; a missing one fails the test either way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.js';
import { formatReport } from '../../../src/reports/format/index.js';
import { FINGERPRINT_KEY } from '../../../src/reports/format/sarif.js';
import { sampleReport } from '../../helpers/report.js';

const root = packageRoot();
const sarifSchema = JSON.parse(
  readFileSync(join(root, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

function sarifOf(report = sampleReport()): Sarif.Log {
  return JSON.parse(formatReport(report, 'sarif'));
}

describe('SARIF report', () => {
  // The schema's language-tag pattern is not valid as a Unicode regular expression: compile it without /u.
  // CommonJS modules: imported, they are module.exports, which also carries itself as `default`.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  const validate = ajv.compile(sarifSchema);

  it('validates against the SARIF 2.1.0 schema', () => {
    const log = sarifOf();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
  });

  it('is checked by a validator that rejects a malformed log', () => {
    const log = sarifOf() as unknown as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('validates for a report without findings or rules', () => {
    const report = sampleReport();
    report.rules = [];
    report.findings = [];
    report.suppressed = [];
    expect(validate(sarifOf(report)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('describes the tool and every rule as GitHub code scanning reads them', () => {
    const report = sampleReport();
    const { driver } = sarifOf(report).runs[0]!.tool;
    expect(driver.name).toBe('reachgraph');
    expect(driver.version).toBe(version);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(driver.rules?.map((r) => r.id)).toEqual(report.rules.map((r) => r.id));
    const escalation = driver.rules?.find((r) => r.id === 'nhi-can-escalate-to-admin');
    expect(escalation).toMatchObject({
      name: 'Non-human identity can escalate to administrator',
      shortDescription: { text: 'Non-human identity can escalate to administrator' },
      fullDescription: { text: report.rules.find((r) => r.id === 'nhi-can-escalate-to-admin')?.description },
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5' },
    });
    expect(escalation?.help?.markdown).toContain('`iam:PassRole`');
    expect(escalation?.properties?.tags).toEqual(
      expect.arrayContaining(['security', 'escalation', 'soc2/CC6.1', 'soc2/CC6.2', 'iso27001/A.8.2']),
    );
    const keyAge = driver.rules?.find((r) => r.id === 'access-key-too-old');
    expect(keyAge?.properties?.tags).toContain('cis-aws/1.14');
    // GitHub's bands: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
    const bands: Record<string, [number, number]> = {
      critical: [9.0, 10],
      high: [7.0, 8.9],
      medium: [4.0, 6.9],
      low: [0.1, 3.9],
      info: [0, 0],
    };
    for (const rule of report.rules) {
      const score = Number(driver.rules?.find((r) => r.id === rule.id)?.properties?.['security-severity']);
      const [low, high] = bands[rule.severity]!;
      expect(score).toBeGreaterThanOrEqual(low);
      expect(score).toBeLessThanOrEqual(high);
    }
  });

  it('maps severities to levels and keeps the fingerprint', () => {
    const report = sampleReport();
    const { results = [], tool } = sarifOf(report).runs[0]!;
    const all = [...report.findings, ...report.suppressed];
    expect(results).toHaveLength(all.length);
    const expected = {
      critical: 'error',
      high: 'error',
      medium: 'warning',
      low: 'note',
      info: 'note',
    } as const;
    for (const [i, finding] of all.entries()) {
      const result = results[i]!;
      expect(result.ruleId).toBe(finding.ruleId);
      expect(tool.driver.rules?.[result.ruleIndex!]?.id).toBe(finding.ruleId);
      expect(result.level).toBe(expected[finding.severity]);
      expect(result.message.text).toBe(finding.message);
      expect(result.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: finding.fingerprint });
      expect(result.locations?.[0]?.logicalLocations?.[0]).toMatchObject({
        name: finding.subject.name,
        fullyQualifiedName: finding.subject.id,
      });
      if (finding.target) {
        expect(result.relatedLocations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe(
          finding.target.id,
        );
      }
      expect(result.properties?.facts).toEqual(finding.facts);
    }
  });

  it('draws each path as a thread flow through its nodes, with every hop and its evidence', () => {
    const report = sampleReport();
    const payments = report.findings[0]!;
    const result = sarifOf(report).runs[0]!.results![0]!;
    const locations = result.codeFlows?.[0]?.threadFlows[0]?.locations ?? [];
    expect(locations.map((l) => l.location?.logicalLocations?.[0]?.name)).toEqual([
      'ci-deploy',
      'tooling-admin',
      'prod-deploy',
      'prod-payments-bucket',
    ]);
    for (const [i, hop] of payments.path.entries()) {
      expect(locations[i]?.kinds).toEqual([hop.type]);
      expect(locations[i]?.properties?.evidence).toEqual(hop.evidence);
      expect(locations[i]?.location?.message?.text).toContain(hop.reason);
    }
    expect(locations[2]?.properties?.levels).toEqual(['list', 'read', 'write']);
    const conditional = sarifOf(report).runs[0]!.results!.find((r) => r.properties?.conditional === true);
    expect(
      conditional?.codeFlows?.[0]?.threadFlows[0]?.locations?.[0]?.properties?.undecidedConditions,
    ).toEqual(['aws:SourceIp']);
    const pathless = sarifOf(report).runs[0]!.results!.find((r) => r.ruleId === 'role-unused');
    expect(pathless?.codeFlows).toBeUndefined();
  });

  it('marks suppressed findings as externally suppressed, with the justification', () => {
    const report = sampleReport();
    const results = sarifOf(report).runs[0]!.results!;
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(
      report.suppressed.map((f) => f.fingerprint),
    );
    expect(suppressed[0]?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Break-glass user, reviewed quarterly (SEC-142)',
        properties: { expires: '2027-03-31' },
      },
    ]);
  });
});
