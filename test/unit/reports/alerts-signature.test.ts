import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature, webhookSecret } from '../../../src/reports/alerts/webhook.js';

const SECRET = 'a-long-enough-test-secret';
const BODY = '{"schemaVersion":1,"event":"job.failed","message":"naïve → ok"}';
const NOW = new Date('2026-11-24T06:00:00Z');
const TIMESTAMP = String(NOW.getTime() / 1000);

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body bytes>", hex, prefixed sha256=', () => {
    // Computed independently, as a receiver would.
    const expected = createHmac('sha256', SECRET)
      .update(Buffer.from(`${TIMESTAMP}.${BODY}`, 'utf8'))
      .digest('hex');
    expect(signWebhook(SECRET, TIMESTAMP, BODY)).toBe(`sha256=${expected}`);
    expect(signWebhook(SECRET, TIMESTAMP, Buffer.from(BODY, 'utf8'))).toBe(`sha256=${expected}`);
  });

  it('verifies an untouched delivery', () => {
    const signature = signWebhook(SECRET, TIMESTAMP, BODY);
    expect(verifyWebhookSignature(SECRET, { signature, timestamp: TIMESTAMP }, BODY, { now: NOW })).toBe(
      true,
    );
  });

  it('rejects a changed body, another secret, a changed timestamp and missing headers', () => {
    const signature = signWebhook(SECRET, TIMESTAMP, BODY);
    const headers = { signature, timestamp: TIMESTAMP };
    expect(
      verifyWebhookSignature(SECRET, headers, BODY.replace('job.failed', 'job.passed'), { now: NOW }),
    ).toBe(false);
    expect(verifyWebhookSignature('another-secret-of-length', headers, BODY, { now: NOW })).toBe(false);
    const later = String(Number(TIMESTAMP) + 1);
    expect(verifyWebhookSignature(SECRET, { signature, timestamp: later }, BODY, { now: NOW })).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, { signature: undefined, timestamp: TIMESTAMP }, BODY, { now: NOW }),
    ).toBe(false);
  });

  it('rejects a replay outside the tolerance window', () => {
    const signature = signWebhook(SECRET, TIMESTAMP, BODY);
    const tenMinutesLater = new Date(NOW.getTime() + 10 * 60 * 1000);
    expect(
      verifyWebhookSignature(SECRET, { signature, timestamp: TIMESTAMP }, BODY, { now: tenMinutesLater }),
    ).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, { signature, timestamp: TIMESTAMP }, BODY, {
        now: tenMinutesLater,
        toleranceSeconds: 900,
      }),
    ).toBe(true);
  });

  it('takes a key from the environment only when it is long enough to resist guessing', () => {
    const sink = {
      type: 'webhook' as const,
      name: 'siem',
      url: 'https://siem.example.com/',
      secretEnv: 'SIEM_KEY',
    };
    expect(webhookSecret(sink, { SIEM_KEY: SECRET })).toBe(SECRET);
    expect(() => webhookSecret(sink, { SIEM_KEY: 'x' })).toThrow(
      'webhook sink "siem": environment variable SIEM_KEY holds a key of 1 characters; use at least 16',
    );
    expect(() => webhookSecret(sink, { SIEM_KEY: 'fifteen-chars!!' })).toThrow(
      /holds a key of 15 characters/,
    );
    expect(webhookSecret(sink, { SIEM_KEY: 'sixteen-chars!!!' })).toBe('sixteen-chars!!!');
    expect(() => webhookSecret(sink, {})).toThrow(/SIEM_KEY is not set/);
  });
});
