import { describe, expect, it } from 'vitest';
import { findingOrder, toFinding } from '../../../src/reports/findings.js';
import { fingerprint } from '../../../src/reports/fingerprint.js';
import type { RuleDeclaration } from '../../../src/reports/types.js';

const rule: RuleDeclaration = {
  id: 'sample',
  title: 'Sample',
  category: 'reach',
  severity: 'high',
  description: 'd',
  recommendation: 'r',
  compliance: {},
  query: 'nhi-reaches-production',
  parameters: {},
  references: [],
};
const node = (id: string, labels: string[]) => ({ id, labels, name: id.split('/').pop(), scope: 'aws:1' });
const evidence = [{ source: 'trust-policy', ref: 'role#trust', statement: 'S1', reason: 'admits x' }];
const row = {
  subject: node('arn:aws:iam::111111111111:role/a', ['Principal', 'Entity', 'AwsRole']),
  target: node('arn:aws:s3:::b', ['Resource', 'AwsS3Bucket', 'Entity']),
  severity: 'critical',
  message: 'a can write b',
  path: [
    {
      from: node('arn:aws:iam::111111111111:role/a', ['AwsRole', 'Principal']),
      to: node('arn:aws:s3:::b', ['AwsS3Bucket', 'Resource']),
      type: 'CAN_ACCESS',
      technique: null,
      levels: ['read', 'write'],
      reason: 'admits x',
      evidence: JSON.stringify(evidence),
      conditional: null,
    },
  ],
  conditional: false,
  ids: ['arn:aws:iam::111111111111:role/a', 'arn:aws:s3:::b'],
  facts: { levels: ['read', 'write'], hops: 0, extra: null },
};

describe('toFinding', () => {
  it('resolves kinds from labels, parses evidence, flattens facts and fingerprints the ids', () => {
    const f = toFinding(rule, row);
    expect(f.fingerprint).toBe(fingerprint('sample', row.ids));
    expect(f.subject).toEqual({ id: row.subject.id, kind: 'AwsRole', name: 'a', scope: 'aws:1' });
    expect(f.target?.kind).toBe('AwsS3Bucket');
    expect(f.severity).toBe('critical');
    expect(f.path[0]?.evidence).toEqual(evidence);
    expect(f.path[0]?.conditional).toBe(false);
    expect(f.facts).toEqual({ extra: null, hops: 0, levels: 'read, write' });
    expect(Object.keys(f.facts)).toEqual(['extra', 'hops', 'levels']);
  });

  it('uses the rule severity when the row has none or configuration fixed it', () => {
    expect(toFinding(rule, { ...row, severity: null }).severity).toBe('high');
    expect(toFinding({ ...rule, severity: 'low', severityFixed: true }, row).severity).toBe('low');
  });

  it('names the rule and query of a malformed row', () => {
    expect(() => toFinding(rule, { ...row, severity: 'severe' })).toThrow(
      /rule sample \(cypher\/findings\/nhi-reaches-production\.cypher\): row severity "severe"/,
    );
    expect(() => toFinding(rule, { ...row, ids: [] })).toThrow(/sample .*no ids/);
    const broken = { ...row, path: [{ ...row.path[0], evidence: '{not json' }] } as typeof row;
    expect(() => toFinding(rule, broken)).toThrow(/CAN_ACCESS .* stored evidence is not valid JSON/);
  });
});

describe('findingOrder', () => {
  it('puts the most severe first, then rule id, subject name and target name', () => {
    const base = toFinding(rule, row);
    const make = (severity: 'critical' | 'low', ruleId: string, subject: string) => ({
      ...base,
      severity,
      ruleId,
      subject: { ...base.subject, name: subject, id: subject },
    });
    const sorted = [
      make('low', 'a', 'x'),
      make('critical', 'b', 'y'),
      make('critical', 'a', 'z'),
      make('critical', 'a', 'w'),
    ]
      .sort(findingOrder)
      .map((f) => `${f.severity} ${f.ruleId} ${f.subject.name}`);
    expect(sorted).toEqual(['critical a w', 'critical a z', 'critical b y', 'low a x']);
  });
});
