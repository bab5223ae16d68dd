import { describe, expect, it } from 'vitest';
import { parseAlertsConfig } from '../../../src/reports/alerts/config.js';
import { type AlertFinding, type AlertPayload, payloadForSink } from '../../../src/reports/alerts/message.js';

const finding = (fingerprint: string, owner?: string, ownerRoute?: string): AlertFinding => ({
  fingerprint,
  ruleId: 'nhi-reaches-production-data',
  title: 't',
  severity: 'high',
  category: 'reach',
  subject: { id: fingerprint, kind: 'AwsRole', name: fingerprint, scope: null },
  target: null,
  message: 'm',
  path: null,
  conditional: false,
  ...(owner ? { owner } : {}),
  ...(ownerRoute ? { ownerRoute } : {}),
});

const payload: AlertPayload = {
  schemaVersion: 1,
  event: 'report.new-findings',
  reportId: 'r',
  generatedAt: '2026-12-06T00:00:00.000Z',
  job: 'nightly',
  previousReportId: null,
  minSeverity: 'high',
  findings: [finding('a', 'payments', 'payments-oncall'), finding('b', 'data', 'data'), finding('c')],
} as AlertPayload;

describe('per-owner alert sinks', () => {
  const owners = { 'payments-oncall': ['payments-slack'], data: ['data-mail', 'payments-slack'] };

  it('gives a routed sink only its owners’ findings, by alert route or owner name', () => {
    expect(payloadForSink(payload, 'payments-slack', owners)?.findings.map((f) => f.fingerprint)).toEqual([
      'a',
      'b',
    ]);
    expect(payloadForSink(payload, 'data-mail', owners)?.findings.map((f) => f.fingerprint)).toEqual(['b']);
    expect(
      payloadForSink(payload, 'data-mail', { payments: ['data-mail'] })?.findings.map((f) => f.fingerprint),
    ).toEqual(['a']);
  });

  it('gives every other sink the whole alert, and routed sinks no job alerts or empty ones', () => {
    expect(payloadForSink(payload, 'security-webhook', owners)).toBe(payload);
    expect(payloadForSink(payload, 'data-mail', undefined)).toBe(payload);
    expect(payloadForSink({ ...payload, findings: [finding('c')] }, 'data-mail', owners)).toBeNull();
    expect(payloadForSink({ ...payload, event: 'job.failed', findings: [] }, 'data-mail', owners)).toBeNull();
  });

  it('rejects a route to a sink that is not configured', () => {
    expect(() =>
      parseAlertsConfig(
        {
          sinks: [{ type: 'slack', name: 'payments-slack', url: 'https://hooks.example/x' }],
          owners: { payments: ['nope'] },
        },
        'job nightly',
      ),
    ).toThrow(/owners\.payments\.0.*no sink is named "nope"/s);
  });
});
