import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlertOptions,
  type AlertsConfig,
  alertOnFailure,
  alertOnReport,
  verifyWebhookSignature,
} from '../../../src/reports/alerts/index.js';
import type { OutboxItem } from '../../../src/reports/alerts/outbox.js';
import type { Finding, Report } from '../../../src/reports/types.js';
import {
  type HttpRecorder,
  type SmtpRecorder,
  startHttpRecorder,
  startSmtpRecorder,
  unusedPort,
} from '../../helpers/alert-receivers.js';
import { sampleReport } from '../../helpers/report.js';

// Real receivers on 127.0.0.1 (no Neo4j involved): an HTTP server that records requests and an
// SMTP server that records messages.

const SECRET = 'whsec-0123456789abcdef';
const SMTP_PASSWORD = 'smtp-password-not-for-logs';
const FAST_RETRY = { attempts: 3, baseDelayMs: 5 };

let outboxDir: string;
let http: HttpRecorder;
let smtp: SmtpRecorder;
let logLines: string[];

beforeEach(async () => {
  outboxDir = await mkdtemp(join(tmpdir(), 'reachgraph-alerts-'));
  http = await startHttpRecorder();
  smtp = await startSmtpRecorder();
  logLines = [];
});

afterEach(async () => {
  await http.close();
  await smtp.close();
  await rm(outboxDir, { recursive: true, force: true });
});

function options(extra: AlertOptions = {}): AlertOptions {
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  return {
    retry: FAST_RETRY,
    env: { ALERT_WEBHOOK_SECRET: SECRET, SMTP_PASS: SMTP_PASSWORD },
    logger,
    ...extra,
  };
}

function config(sinks: AlertsConfig['sinks'], extra: Partial<AlertsConfig> = {}): AlertsConfig {
  return { sinks, outbox: outboxDir, ...extra };
}

const slackSink = (url: string) => ({
  type: 'slack' as const,
  name: 'team-slack',
  url: `${url}/services/T0/B0/secret-path`,
});
const webhookSink = (url: string) => ({
  type: 'webhook' as const,
  name: 'siem',
  url: `${url}/hooks/reachgraph`,
  secretEnv: 'ALERT_WEBHOOK_SECRET',
  headers: { 'X-Routing-Key': 'security' },
});
const emailSink = () => ({
  type: 'email' as const,
  name: 'security-mail',
  smtp: { host: smtp.host, port: smtp.port, auth: { user: 'alerts', passEnv: 'SMTP_PASS' } },
  from: 'reachgraph <alerts@example.com>',
  to: ['security@example.com', 'oncall@example.com'],
});

async function outboxItems(): Promise<OutboxItem[]> {
  const names = (await readdir(outboxDir)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(outboxDir, name), 'utf8'))));
}

function json(body: Buffer): Record<string, unknown> {
  return JSON.parse(body.toString('utf8'));
}

/** The sample report with one more new critical finding, and the day after with a different new one. */
function reports(): { first: Report; second: Report } {
  const first = sampleReport();
  const second = sampleReport();
  second.id = 'rpt-20261125-060000-aa01';
  second.generatedAt = '2026-11-25T06:00:00.000Z';
  second.diff.previousReportId = first.id;
  second.diff.newFindings = [second.findings[1] as Finding];
  return { first, second };
}

describe('Slack-compatible webhook', () => {
  it('posts text and blocks naming each new high finding', async () => {
    const report = sampleReport();
    const outcomes = await alertOnReport(report, config([slackSink(http.url)]), options());

    expect(outcomes).toEqual([
      expect.objectContaining({
        sink: 'team-slack',
        event: 'report.new-findings',
        status: 'delivered',
        attempts: 1,
      }),
    ]);
    expect(http.requests).toHaveLength(1);
    const request = http.requests[0];
    expect(request?.path).toBe('/services/T0/B0/secret-path');
    expect(request?.headers['content-type']).toBe('application/json');
    const body = json(request?.body ?? Buffer.alloc(0)) as {
      text: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(body.text).toBe('reachgraph: 1 new finding (1 critical) (job nightly)');
    expect(body.blocks.map((block) => block.type)).toEqual(['header', 'context', 'section']);
    const section = body.blocks[2] as { text: { type: string; text: string } };
    expect(section.text.type).toBe('mrkdwn');
    expect(section.text.text).toContain('*CRITICAL*');
    expect(section.text.text).toContain('ci-deploy → prod-payments-bucket');
    expect(section.text.text).toContain('ci-deploy → tooling-admin → prod-deploy → prod-payments-bucket');
    // Unchanged findings (e.g. the escalation already reported yesterday) are not alerted.
    expect(section.text.text).not.toContain('gha-infra');
  });

  it('sends nothing when no new finding reaches the threshold', async () => {
    const report = sampleReport();
    report.diff.newFindings = report.findings.filter((f) => f.severity === 'medium' || f.severity === 'low');
    expect(report.diff.newFindings.length).toBeGreaterThan(0);

    const outcomes = await alertOnReport(report, config([slackSink(http.url), emailSink()]), options());
    expect(outcomes).toEqual([]);
    expect(http.requests).toEqual([]);
    expect(smtp.messages).toEqual([]);

    // With a lower threshold the same report alerts.
    const lowered = await alertOnReport(
      report,
      config([slackSink(http.url)], { minSeverity: 'low' }),
      options(),
    );
    expect(lowered.map((o) => o.status)).toEqual(['delivered']);
  });
});

describe('signed JSON webhook', () => {
  it('posts the versioned payload signed with HMAC-SHA256 over timestamp and body', async () => {
    const report = sampleReport();
    const outcomes = await alertOnReport(report, config([webhookSink(http.url)]), options());
    expect(outcomes.map((o) => o.status)).toEqual(['delivered']);

    const request = http.requests[0];
    if (!request) throw new Error('no request recorded');
    const signature = request.headers['x-reachgraph-signature'] as string;
    const timestamp = request.headers['x-reachgraph-timestamp'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, { signature, timestamp }, request.body)).toBe(true);
    expect(verifyWebhookSignature('some-other-secret-value', { signature, timestamp }, request.body)).toBe(
      false,
    );
    expect(request.headers['x-reachgraph-event']).toBe('report.new-findings');
    expect(request.headers['x-reachgraph-delivery']).toBe(outcomes[0]?.deliveryId);
    expect(request.headers['x-routing-key']).toBe('security');

    const body = json(request.body);
    expect(body).toMatchObject({
      schemaVersion: 1,
      event: 'report.new-findings',
      reportId: report.id,
      generatedAt: report.generatedAt,
      job: 'nightly',
    });
    const findings = body.findings as Array<Record<string, unknown>>;
    expect(findings.map((f) => f.fingerprint)).toEqual(report.diff.newFindings.map((f) => f.fingerprint));
    expect(findings[0]?.path).toBe('ci-deploy → tooling-admin → prod-deploy → prod-payments-bucket');
  });

  it('retries after a 500 and delivers on the 200, with a valid signature each time', async () => {
    http.respondWith(500);
    const outcomes = await alertOnReport(sampleReport(), config([webhookSink(http.url)]), options());
    expect(outcomes).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);
    expect(http.requests).toHaveLength(2);
    const [first, second] = http.requests;
    expect(second?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
    expect(second?.headers['x-reachgraph-delivery']).toBe(first?.headers['x-reachgraph-delivery']);
    for (const request of http.requests) {
      const headers = {
        signature: request.headers['x-reachgraph-signature'] as string,
        timestamp: request.headers['x-reachgraph-timestamp'] as string,
      };
      expect(verifyWebhookSignature(SECRET, headers, request.body)).toBe(true);
    }
    expect(await outboxItems()).toEqual([]);
  });

  it('does not retry a 400 within the run, keeps it in the outbox and delivers it first next time', async () => {
    const { first, second } = reports();
    http.respondWith(400);
    const [queued] = await alertOnReport(first, config([webhookSink(http.url)]), options());
    expect(queued).toMatchObject({ status: 'queued', attempts: 1, fromOutbox: false });
    expect(queued?.error).toContain('HTTP 400');
    expect(http.requests).toHaveLength(1);
    expect(await outboxItems()).toEqual([
      expect.objectContaining({
        id: queued?.deliveryId,
        sink: 'siem',
        attempts: 1,
        lastError: queued?.error,
      }),
    ]);

    const outcomes = await alertOnReport(second, config([webhookSink(http.url)]), options());
    expect(outcomes.map((o) => [o.status, o.fromOutbox])).toEqual([
      ['delivered', true],
      ['delivered', false],
    ]);
    expect(http.requests.slice(1).map((r) => json(r.body).reportId)).toEqual([first.id, second.id]);
    expect(await outboxItems()).toEqual([]);
  });

  it('reads the key from the named environment variable and queues when it is missing', async () => {
    const outcomes = await alertOnReport(
      sampleReport(),
      config([webhookSink(http.url)]),
      options({ env: {} }),
    );
    expect(outcomes).toEqual([expect.objectContaining({ status: 'queued', attempts: 1 })]);
    expect(outcomes[0]?.error).toContain('environment variable ALERT_WEBHOOK_SECRET is not set');
    expect(http.requests).toEqual([]);
  });
});

describe('outbox across runs', () => {
  it('queues an alert for an unreachable receiver and delivers it first on the next call', async () => {
    const port = await unusedPort();
    const url = `http://127.0.0.1:${port}`;
    const { first, second } = reports();
    const sinks = [webhookSink(url), slackSink(url)];

    const queued = await alertOnReport(first, config(sinks), options());
    expect(queued.map((o) => [o.sink, o.status, o.attempts])).toEqual([
      ['siem', 'queued', 3],
      ['team-slack', 'queued', 3],
    ]);
    for (const outcome of queued) expect(outcome.error).toContain('ECONNREFUSED');
    const items = await outboxItems();
    expect(items.map((i) => [i.sink, i.sinkType, i.event, i.attempts, i.payload.reportId]).sort()).toEqual([
      ['siem', 'webhook', 'report.new-findings', 3, first.id],
      ['team-slack', 'slack', 'report.new-findings', 3, first.id],
    ]);
    for (const item of items) {
      expect(item.lastError).toContain('ECONNREFUSED');
      expect(Date.parse(item.createdAt)).not.toBeNaN();
    }

    // The receiver comes up on that port; the same configuration runs again.
    const receiver = await startHttpRecorder(port);
    try {
      const outcomes = await alertOnReport(second, config(sinks), options());
      expect(outcomes.map((o) => [o.sink, o.status, o.fromOutbox])).toEqual([
        ['siem', 'delivered', true],
        ['siem', 'delivered', false],
        ['team-slack', 'delivered', true],
        ['team-slack', 'delivered', false],
      ]);
      const webhookBodies = receiver.requests
        .filter((r) => r.path === '/hooks/reachgraph')
        .map((r) => json(r.body));
      expect(webhookBodies.map((b) => b.reportId)).toEqual([first.id, second.id]);
      const delivered = receiver.requests.find((r) => r.path === '/hooks/reachgraph');
      expect(delivered?.headers['x-reachgraph-delivery']).toBe(queued[0]?.deliveryId);
      expect(await outboxItems()).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('flushes the outbox even when the report has nothing new', async () => {
    http.respondWith(503, 503, 503);
    await alertOnReport(sampleReport(), config([slackSink(http.url)]), options());
    expect(await outboxItems()).toHaveLength(1);

    const quiet = sampleReport();
    quiet.diff.newFindings = [];
    const outcomes = await alertOnReport(quiet, config([slackSink(http.url)]), options());
    expect(outcomes).toEqual([expect.objectContaining({ status: 'delivered', fromOutbox: true })]);
    expect(http.requests).toHaveLength(4);
    expect(await outboxItems()).toEqual([]);
  });

  it('queues the rest untried once a sink is down in this run', async () => {
    const port = await unusedPort();
    const sink = webhookSink(`http://127.0.0.1:${port}`);
    const { first, second } = reports();
    await alertOnReport(first, config([sink]), options());
    const outcomes = await alertOnReport(second, config([sink]), options());
    expect(outcomes.map((o) => [o.status, o.attempts, o.fromOutbox])).toEqual([
      ['queued', 3, true],
      ['queued', 0, false],
    ]);
    expect(outcomes[1]?.error).toMatch(/^not attempted: .*ECONNREFUSED/);
    const items = await outboxItems();
    expect(items.map((i) => [i.payload.reportId, i.attempts]).sort()).toEqual([
      [first.id, 6],
      [second.id, 0],
    ]);
  });

  it('reports and drops pending alerts of a sink that was removed from the configuration', async () => {
    const port = await unusedPort();
    await alertOnReport(sampleReport(), config([slackSink(`http://127.0.0.1:${port}`)]), options());
    expect(await outboxItems()).toHaveLength(1);

    const quiet = sampleReport();
    quiet.diff.newFindings = [];
    const outcomes = await alertOnReport(quiet, config([webhookSink(http.url)]), options());
    expect(outcomes).toEqual([
      expect.objectContaining({ sink: 'team-slack', status: 'skipped', fromOutbox: true, attempts: 0 }),
    ]);
    expect(outcomes[0]?.error).toContain('no longer configured');
    expect(await outboxItems()).toEqual([]);
    expect(
      logLines.some((line) => line.includes('no longer configured') && line.includes('"level":40')),
    ).toBe(true);
  });

  it('lets jobs with different sinks share one outbox: each handles only its own pending alerts', async () => {
    const port = await unusedPort();
    const nightly = sampleReport();
    await alertOnReport(nightly, config([slackSink(`http://127.0.0.1:${port}`)]), options());
    expect((await outboxItems()).map((i) => [i.job, i.sink])).toEqual([['nightly', 'team-slack']]);

    // Another job, without that sink, must neither drop nor deliver the nightly job's alert.
    const hourly = sampleReport();
    hourly.job = 'hourly';
    const outcomes = await alertOnReport(hourly, config([webhookSink(http.url)]), options());
    expect(outcomes.map((o) => [o.sink, o.status, o.fromOutbox])).toEqual([['siem', 'delivered', false]]);
    expect((await outboxItems()).map((i) => [i.job, i.sink])).toEqual([['nightly', 'team-slack']]);
  });

  it('never throws: an outbox that cannot be written is reported as failed', async () => {
    const blocker = join(outboxDir, 'a-file');
    await writeFile(blocker, 'not a directory');
    const port = await unusedPort();
    const outcomes = await alertOnReport(
      sampleReport(),
      config([slackSink(`http://127.0.0.1:${port}`)], { outbox: join(blocker, 'outbox') }),
      options(),
    );
    expect(outcomes).toEqual([expect.objectContaining({ status: 'failed', attempts: 3 })]);
    expect(outcomes[0]?.error).toContain('could not be queued');
  });
});

describe('email over SMTP', () => {
  it('sends one message to every recipient naming the new finding, authenticating with the password from the environment', async () => {
    const outcomes = await alertOnReport(sampleReport(), config([emailSink()]), options());
    expect(outcomes).toEqual([
      expect.objectContaining({ sink: 'security-mail', status: 'delivered', attempts: 1 }),
    ]);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail?.from).toBe('alerts@example.com');
    expect(mail?.to).toEqual(['security@example.com', 'oncall@example.com']);
    expect(mail?.auth).toEqual({ username: 'alerts', password: SMTP_PASSWORD });
    expect(mail?.subject).toBe('reachgraph: 1 new finding (1 critical) (job nightly)');
    expect(mail?.text).toContain('[CRITICAL] Non-human identity can reach production data');
    expect(mail?.text).toContain('ci-deploy can write prod-payments-bucket');
    expect(mail?.text).toContain('path: ci-deploy → tooling-admin → prod-deploy → prod-payments-bucket');
    expect(mail?.html).toContain('<table');
    expect(mail?.html).toContain('prod-payments-bucket');
  });
});

describe('failed runs', () => {
  it('sends one job.failed alert per sink', async () => {
    const sinks = [slackSink(http.url), webhookSink(http.url), emailSink()];
    const now = new Date();
    const outcomes = await alertOnFailure('nightly', new Error('snapshot directory missing'), config(sinks), {
      ...options(),
      now,
    });
    expect(outcomes.map((o) => [o.sink, o.event, o.status])).toEqual([
      ['team-slack', 'job.failed', 'delivered'],
      ['siem', 'job.failed', 'delivered'],
      ['security-mail', 'job.failed', 'delivered'],
    ]);
    const slack = json(http.requests.find((r) => r.path.startsWith('/services'))?.body ?? Buffer.from('{}'));
    expect(slack.text).toBe('reachgraph: job failed (job nightly)');
    expect(JSON.stringify(slack.blocks)).toContain('snapshot directory missing');
    const webhook = json(
      http.requests.find((r) => r.path === '/hooks/reachgraph')?.body ?? Buffer.from('{}'),
    );
    expect(webhook).toEqual({
      schemaVersion: 1,
      event: 'job.failed',
      reportId: null,
      generatedAt: now.toISOString(),
      job: 'nightly',
      findings: [],
      error: { message: 'snapshot directory missing' },
    });
    expect(smtp.messages[0]?.subject).toBe('reachgraph: job failed (job nightly)');
    expect(smtp.messages[0]?.text).toContain('snapshot directory missing');
  });
});

describe('secrets stay out of logs and outcomes', () => {
  it('logs neither the webhook key, the SMTP password nor the webhook URLs', async () => {
    const port = await unusedPort();
    const down = `http://127.0.0.1:${port}`;
    const outcomes = await alertOnReport(
      sampleReport(),
      config([slackSink(down), webhookSink(down), emailSink()]),
      options(),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['queued', 'queued', 'delivered']);
    const everything = `${logLines.join('\n')}\n${JSON.stringify(outcomes)}`;
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [SECRET, SMTP_PASSWORD, 'secret-path', '/hooks/reachgraph']) {
      expect(everything).not.toContain(secret);
    }
  });
});
