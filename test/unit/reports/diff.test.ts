import { describe, expect, it } from 'vitest';
import { diffFindings } from '../../../src/reports/diff.js';
import { summarize } from '../../../src/reports/summary.js';
import type { Finding, FindingHop, NodeRef, Severity } from '../../../src/reports/types.js';

const node = (name: string, kind = 'AwsRole'): NodeRef => ({
  id: `arn:aws:iam::111111111111:role/${name}`,
  kind,
  name,
  scope: 'aws:111111111111',
});
const bucket = (name: string): NodeRef => ({
  id: `arn:aws:s3:::${name}`,
  kind: 'AwsS3Bucket',
  name,
  scope: null,
});

function hop(from: NodeRef, type: string, to: NodeRef, extra: Partial<FindingHop> = {}): FindingHop {
  return {
    from,
    to,
    type,
    technique: null,
    levels: type === 'CAN_ACCESS' ? ['read', 'write'] : [],
    reason: `${from.name} ${type} ${to.name}`,
    evidence: [{ source: 'trust-policy', ref: to.id, reason: 'test evidence' }],
    conditional: false,
    ...extra,
  };
}

function reach(subject: string, target: string, path: FindingHop[], extra: Partial<Finding> = {}): Finding {
  return {
    fingerprint: `fp-${subject}-${target}`,
    ruleId: 'nhi-reaches-production-data',
    title: 'Non-human identity can reach production data',
    category: 'reach',
    severity: 'high',
    subject: node(subject),
    target: bucket(target),
    message: `${subject} can write ${target}`,
    path,
    conditional: path.some((h) => h.conditional),
    facts: {},
    ...extra,
  };
}

function hygiene(subject: string, severity: Severity = 'medium', extra: Partial<Finding> = {}): Finding {
  return {
    fingerprint: `fp-keys-${subject}`,
    ruleId: 'access-key-too-old',
    title: 'Access key older than 90 days',
    category: 'credentials',
    severity,
    subject: node(subject, 'AwsUser'),
    target: null,
    message: `${subject} has an access key 400 days old`,
    path: [],
    conditional: false,
    facts: { ageDays: 400 },
    ...extra,
  };
}

const ci = node('ci-deploy');
const tooling = node('tooling-admin');
const prodDeploy = node('prod-deploy');
const payments = bucket('prod-payments');
const SUPPRESSED = { suppression: { reason: 'accepted until the migration', expires: '2099-01-01' } };
const META = { id: 'report-1', generatedAt: '2026-01-01T00:00:00.000Z' };
const NOW = '2026-01-02T00:00:00.000Z';
const fps = (findings: Finding[]) => findings.map((f) => f.fingerprint);

describe('diffFindings', () => {
  it('makes every active finding of the first report new and resolves nothing', () => {
    const current = [reach('ci-deploy', 'prod-payments', [hop(ci, 'CAN_ACCESS', payments)]), hygiene('bob')];
    const diff = diffFindings(null, current, null, NOW);
    expect(diff.previousReportId).toBeNull();
    expect(diff.previousGeneratedAt).toBeNull();
    expect(fps(diff.newFindings)).toEqual(['fp-ci-deploy-prod-payments', 'fp-keys-bob']);
    expect(diff.resolvedFindings).toEqual([]);
    expect(diff.unchangedCount).toBe(0);
    expect(fps(diff.newPaths)).toEqual(['fp-ci-deploy-prod-payments']);
    expect(diff.removedPaths).toEqual([]);
    expect(diff.changedPaths).toEqual([]);
  });

  it('splits findings into new, resolved and unchanged by fingerprint', () => {
    const kept = hygiene('alice');
    const gone = reach('old-bot', 'prod-payments', [hop(node('old-bot'), 'CAN_ACCESS', payments)]);
    const added = reach('ci-deploy', 'prod-payments', [
      hop(ci, 'CAN_ASSUME', tooling),
      hop(tooling, 'CAN_ASSUME', prodDeploy),
      hop(prodDeploy, 'CAN_ACCESS', payments),
    ]);
    const diff = diffFindings([kept, gone], [added, { ...kept, message: 'reworded' }], META, NOW);
    expect(diff.previousReportId).toBe('report-1');
    expect(diff.previousGeneratedAt).toBe(META.generatedAt);
    expect(fps(diff.newFindings)).toEqual([added.fingerprint]);
    expect(fps(diff.resolvedFindings)).toEqual([gone.fingerprint]);
    expect(diff.unchangedCount).toBe(1);
    expect(fps(diff.newPaths)).toEqual([added.fingerprint]);
    expect(fps(diff.removedPaths)).toEqual([gone.fingerprint]);
  });

  it('carries the previous finding into resolved, stamped with when it went missing', () => {
    const gone = hygiene('carol', 'high', {
      firstSeen: '2025-12-01T00:00:00.000Z',
      lastSeen: META.generatedAt,
    });
    const [resolved] = diffFindings([gone], [], META, NOW).resolvedFindings;
    expect(resolved).toEqual({ ...gone, resolvedAt: NOW });
    // The input is not modified.
    expect(gone.resolvedAt).toBeUndefined();
  });

  it('keeps non-path findings out of the path lists', () => {
    const diff = diffFindings([hygiene('gone')], [hygiene('fresh')], META, NOW);
    expect(fps(diff.newFindings)).toEqual(['fp-keys-fresh']);
    expect(fps(diff.resolvedFindings)).toEqual(['fp-keys-gone']);
    expect(diff.newPaths).toEqual([]);
    expect(diff.removedPaths).toEqual([]);
  });

  describe('changed paths (same fingerprint, category reach)', () => {
    const direct = [hop(ci, 'CAN_ASSUME', prodDeploy), hop(prodDeploy, 'CAN_ACCESS', payments)];
    const before = reach('ci-deploy', 'prod-payments', direct);

    it('reports a different route', () => {
      const after = reach('ci-deploy', 'prod-payments', [
        hop(ci, 'CAN_ASSUME', tooling),
        hop(tooling, 'CAN_ASSUME', prodDeploy),
        hop(prodDeploy, 'CAN_ACCESS', payments),
      ]);
      const diff = diffFindings([before], [after], META, NOW);
      expect(diff.changedPaths).toEqual([{ before, after }]);
      expect(diff.unchangedCount).toBe(1);
      expect(diff.newFindings).toEqual([]);
    });

    it('reports a different hop type between the same nodes', () => {
      const after = reach('ci-deploy', 'prod-payments', [
        hop(ci, 'CAN_ESCALATE', prodDeploy, { technique: 'iam-pass-role' }),
        direct[1] as FindingHop,
      ]);
      expect(diffFindings([before], [after], META, NOW).changedPaths).toHaveLength(1);
    });

    it('reports changed access levels', () => {
      const after = reach('ci-deploy', 'prod-payments', [
        direct[0] as FindingHop,
        hop(prodDeploy, 'CAN_ACCESS', payments, { levels: ['read'] }),
      ]);
      expect(diffFindings([before], [after], META, NOW).changedPaths).toHaveLength(1);
    });

    it('reports a path that became conditional', () => {
      const after = reach('ci-deploy', 'prod-payments', [
        hop(ci, 'CAN_ASSUME', prodDeploy, { conditional: true }),
        direct[1] as FindingHop,
      ]);
      expect(after.conditional).toBe(true);
      expect(diffFindings([before], [after], META, NOW).changedPaths).toHaveLength(1);
    });

    it('ignores changes that do not touch the route (wording, evidence text, level order)', () => {
      const after = reach(
        'ci-deploy',
        'prod-payments',
        [
          { ...(direct[0] as FindingHop), reason: 'reworded reason' },
          hop(prodDeploy, 'CAN_ACCESS', payments, { levels: ['write', 'read'] }),
        ],
        { message: 'reworded message' },
      );
      expect(diffFindings([before], [after], META, NOW).changedPaths).toEqual([]);
    });

    it('does not compare routes of other categories', () => {
      const a = { ...before, category: 'escalation' as const };
      const b = { ...a, path: [hop(ci, 'CAN_ACCESS', payments)] };
      expect(diffFindings([a], [b], META, NOW).changedPaths).toEqual([]);
    });
  });

  describe('suppressions', () => {
    const risk = reach('ci-deploy', 'prod-payments', [hop(ci, 'CAN_ACCESS', payments)]);

    it('never makes a suppressed finding new, even in the first report', () => {
      const diff = diffFindings(null, [{ ...risk, ...SUPPRESSED }], null, NOW);
      expect(diff.newFindings).toEqual([]);
      expect(diff.newPaths).toEqual([]);
      expect(diff.unchangedCount).toBe(0);
    });

    it('does not resolve a finding that is only suppressed now (it still exists)', () => {
      const diff = diffFindings([risk], [{ ...risk, ...SUPPRESSED }], META, NOW);
      expect(diff.resolvedFindings).toEqual([]);
      expect(diff.newFindings).toEqual([]);
      expect(diff.unchangedCount).toBe(0);
    });

    it('makes a finding new again when its suppression expires, since it was not active before', () => {
      const diff = diffFindings([{ ...risk, ...SUPPRESSED }], [risk], META, NOW);
      expect(fps(diff.newFindings)).toEqual([risk.fingerprint]);
      expect(fps(diff.newPaths)).toEqual([risk.fingerprint]);
    });

    it('resolves a suppressed finding whose problem is gone', () => {
      const diff = diffFindings([{ ...risk, ...SUPPRESSED }], [], META, NOW);
      expect(fps(diff.resolvedFindings)).toEqual([risk.fingerprint]);
    });

    it('leaves a finding suppressed in both reports out of every list', () => {
      const diff = diffFindings([{ ...risk, ...SUPPRESSED }], [{ ...risk, ...SUPPRESSED }], META, NOW);
      expect(diff.newFindings).toEqual([]);
      expect(diff.resolvedFindings).toEqual([]);
      expect(diff.unchangedCount).toBe(0);
    });
  });

  it('lists new and resolved findings most severe first, then by rule and subject', () => {
    const current = [hygiene('zed', 'low'), hygiene('amy', 'critical'), hygiene('bob', 'critical')];
    const diff = diffFindings(null, current, null, NOW);
    expect(diff.newFindings.map((f) => `${f.severity} ${f.subject.name}`)).toEqual([
      'critical amy',
      'critical bob',
      'low zed',
    ]);
  });

  it('counts a fingerprint listed twice once', () => {
    const twice = hygiene('dup');
    expect(diffFindings(null, [twice, { ...twice }], null, NOW).newFindings).toHaveLength(1);
  });
});

describe('summarize', () => {
  it('counts active findings by severity and rule, suppressed and conditional apart', () => {
    const conditionalPath = reach('ci-deploy', 'prod-payments', [
      hop(ci, 'CAN_ACCESS', payments, { conditional: true }),
    ]);
    const summary = summarize(
      [conditionalPath, hygiene('a', 'critical'), hygiene('b', 'medium')],
      [{ ...hygiene('c'), ...SUPPRESSED }],
    );
    expect(summary).toEqual({
      total: 3,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0 },
      byRule: { 'access-key-too-old': 2, 'nhi-reaches-production-data': 1 },
      suppressed: 1,
      conditional: 1,
    });
  });
});
