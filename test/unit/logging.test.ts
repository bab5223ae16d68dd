import type { DestinationStream } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging.js';
import { parseScheduleConfig } from '../../src/scheduler/config.js';

const SECRETS = {
  neo4jPassword: 'neo4j-password-s3cret',
  tokenHash: 'a'.repeat(64),
  slackUrl: 'https://hooks.slack.com/services/T000/B000/slack-s3cret',
  webhookUrl: 'https://siem.example.com/hook?key=webhook-s3cret',
  hmac: 'hmac-key-s3cret-0123456789',
  routingKey: 'routing-header-s3cret',
  smtpPass: 'smtp-pass-s3cret',
  bearer: 'Bearer rg_bearer-s3cret',
  awsSecret: 'aws-secret-access-key-s3cret',
  awsSession: 'aws-session-token-s3cret',
};

const SCHEDULE = `
jobs:
  - name: nightly
    cron: "0 3 * * *"
    sync: { aws: { snapshots: [snap] } }
    report: { formats: [md], outDir: out }
    alerts:
      sinks:
        - { type: slack, name: team, url: "${SECRETS.slackUrl}" }
        - type: webhook
          name: siem
          url: "${SECRETS.webhookUrl}"
          secret: ${SECRETS.hmac}
          headers: { X-Routing-Key: ${SECRETS.routingKey} }
        - type: email
          name: security
          smtp: { host: smtp.example.com, port: 587, auth: { user: alerts, pass: ${SECRETS.smtpPass} } }
          from: alerts@example.com
          to: [security@example.com]
`;

function capture() {
  const lines: string[] = [];
  const destination = { write: (line: string) => lines.push(line) } as unknown as DestinationStream;
  return { logger: createLogger({ level: 'debug', destination }), text: () => lines.join('') };
}

describe('the logger', () => {
  it('never writes a secret, however deep it sits in a logged config, request or error', () => {
    const { logger, text } = capture();
    const config = loadConfig({
      env: {
        NEO4J_PASSWORD: SECRETS.neo4jPassword,
        REACHGRAPH_API_TOKENS: `notebook:${SECRETS.tokenHash}`,
      },
    });
    const schedule = parseScheduleConfig(SCHEDULE, '/etc/reachgraph/schedule.yaml');
    logger.info({ config }, 'configuration');
    logger.child({ component: 'scheduler' }).info({ schedule }, 'schedule');
    logger.debug({ job: schedule.jobs[0] }, 'job');
    logger.info({ sink: schedule.jobs[0]?.alerts?.sinks[1] }, 'sink');
    logger.info({ request: { headers: { authorization: SECRETS.bearer } } }, 'request');
    logger.warn(
      { aws: { credentials: { accessKeyId: 'AKIA', secretAccessKey: SECRETS.awsSecret } } },
      'credentials',
    );
    logger.warn({ secretAccessKey: SECRETS.awsSecret, sessionToken: SECRETS.awsSession }, 'flat credentials');
    logger.error({ err: Object.assign(new Error('delivery failed'), { url: SECRETS.webhookUrl }) }, 'error');

    const output = text();
    for (const [name, secret] of Object.entries(SECRETS)) expect(output, name).not.toContain(secret);
    // What is not secret is still there, so the entries were written.
    expect(output).toContain('"name":"siem"');
    expect(output).toContain('"user":"neo4j"');
    expect(output).toContain('"host":"smtp.example.com"');
    expect(output).toContain('delivery failed');
    expect(output).toContain('[redacted]');
  });

  it('writes one JSON object per line with an ISO time', () => {
    const { logger, text } = capture();
    logger.child({ component: 'scheduler' }).info({ job: 'nightly' }, 'job started');
    const entry = JSON.parse(text());
    expect(entry).toMatchObject({
      app: 'reachgraph',
      component: 'scheduler',
      job: 'nightly',
      msg: 'job started',
    });
    expect(entry.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
