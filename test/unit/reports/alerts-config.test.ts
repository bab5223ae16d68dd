import { describe, expect, it } from 'vitest';
import {
  AlertsConfigSchema,
  defaultOutboxDir,
  parseAlertsConfig,
} from '../../../src/reports/alerts/config.js';

const slack = { type: 'slack', name: 'team', url: 'https://hooks.slack.com/services/T0/B0/XYZ' };
const webhook = {
  type: 'webhook',
  name: 'siem',
  url: 'https://siem.example.com/hook',
  secretEnv: 'SIEM_SECRET',
};
const email = {
  type: 'email',
  name: 'security',
  smtp: { host: 'smtp.example.com', port: 587, auth: { user: 'alerts', passEnv: 'SMTP_PASS' } },
  from: 'reachgraph <alerts@example.com>',
  to: ['security@example.com'],
};

function problems(value: unknown): string {
  try {
    parseAlertsConfig(value, 'schedule.yaml job nightly');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('alerts configuration', () => {
  it('accepts the three sink types and leaves the defaults to the caller', () => {
    const config = parseAlertsConfig({ sinks: [slack, webhook, email] }, 'test');
    expect(config.sinks.map((s) => s.type)).toEqual(['slack', 'webhook', 'email']);
    expect(config.minSeverity).toBeUndefined();
  });

  it('names the source and the field of each problem', () => {
    const message = problems({ sinks: [{ ...slack, url: 'not a url' }] });
    expect(message).toContain('schedule.yaml job nightly');
    expect(message).toContain('sinks.0.url: expected an http(s) URL');
  });

  it('requires exactly one of secret and secretEnv on a webhook', () => {
    const { secretEnv: _unused, ...unsigned } = webhook;
    expect(problems({ sinks: [unsigned] })).toContain('set exactly one of "secret" or "secretEnv"');
    expect(problems({ sinks: [{ ...webhook, secret: 'a-literal-secret-value' }] })).toContain(
      'set exactly one of "secret" or "secretEnv"',
    );
    expect(problems({ sinks: [{ ...webhook, secretEnv: undefined, secret: 'short' }] })).toContain(
      'use at least 16 characters',
    );
  });

  it('rejects duplicate sink names, unknown types and unknown fields', () => {
    expect(problems({ sinks: [slack, { ...webhook, name: 'team' }] })).toContain(
      'sinks.1.name: duplicate sink name "team"',
    );
    expect(problems({ sinks: [{ ...slack, type: 'pager' }] })).toContain('sinks.0.type');
    expect(problems({ sinks: [{ ...slack, channel: '#sec' }] })).toMatch(/sinks\.0.*channel/);
  });

  it('checks email recipients, port and password source', () => {
    expect(problems({ sinks: [{ ...email, to: [] }] })).toContain('sinks.0.to: at least one recipient');
    expect(problems({ sinks: [{ ...email, smtp: { ...email.smtp, port: 70_000 } }] })).toContain(
      'sinks.0.smtp.port',
    );
    expect(
      problems({
        sinks: [{ ...email, smtp: { ...email.smtp, auth: { user: 'alerts', passEnv: 'lower-case!' } } }],
      }),
    ).toContain('expected an environment variable name');
  });

  it('rejects an unknown severity threshold', () => {
    expect(AlertsConfigSchema.safeParse({ sinks: [], minSeverity: 'severe' }).success).toBe(false);
  });

  it('defaults the outbox to the XDG state directory', () => {
    expect(defaultOutboxDir({ XDG_STATE_HOME: '/var/state' })).toBe('/var/state/reachgraph/outbox');
    expect(defaultOutboxDir({})).toMatch(/\/\.local\/state\/reachgraph\/outbox$/);
  });
});
