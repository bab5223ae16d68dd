import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsConfigSchema } from '../../src/config/aws.js';
import { createLogger } from '../../src/logging.js';
import { listJobRuns } from '../../src/records/job-runs.js';
import type { AlertPayload } from '../../src/reports/alerts/message.js';
import { verifyWebhookSignature } from '../../src/reports/alerts/webhook.js';
import { type Report, severityRank } from '../../src/reports/types.js';
import { readScheduleConfig } from '../../src/scheduler/config.js';
import type { JobRunOutcome } from '../../src/scheduler/scheduler.js';
import { createJobScheduler } from '../../src/scheduler/service.js';
import { gcpAuditEntry, k8sAuditEvent, writeEvents } from '../helpers/audit-logs.js';
import { BIN, neo4jEnv, runCli, stopChild } from '../helpers/cli.js';
import { cloudTrailRecord, writeTrailFile } from '../helpers/cloudtrail.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';
import { tokenApi } from '../helpers/graphql.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/aws/multi-account', import.meta.url));
/** AWS, Kubernetes and GCP of one estate (test/fixtures/cross-cloud/README.md). */
const CROSS_CLOUD = fileURLToPath(new URL('../fixtures/cross-cloud', import.meta.url));
const JOB = 'fixture-nightly';
const SECRET = 'scheduler-test-hmac-key';
const TOKEN = 'rg_scheduler-metrics-test-token';
/** A full run (sync, every rule, five files) on a busy two-core machine. */
const RUN_TIMEOUT_MS = 400_000;

const executor = testExecutor();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-scheduler-'));
const logLines: {
  msg: string;
  step?: string;
  durationMs?: number;
  job?: string;
  runId?: string;
  [field: string]: unknown;
}[] = [];
const logger = createLogger({
  level: 'debug',
  destination: { write: (line: string) => logLines.push(JSON.parse(line)) } as unknown as DestinationStream,
});

/** A loopback HTTP server that records every delivery, as a webhook receiver would. */
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  await wipe(executor);
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/reachgraph`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

/** A job file in the work directory: the fixture (or another snapshot dir), JSON and Markdown, the receiver as sink. */
function scheduleFile(name: string, snapshot: string): string {
  const file = join(work, name);
  writeFileSync(
    file,
    `stateDir: state
jobs:
  - name: ${JOB}
    cron: "0 3 * * *"
    sync:
      aws:
        snapshots: [${JSON.stringify(snapshot)}]
    report:
      formats: [json, md]
      outDir: reports
    alerts:
      retry: { attempts: 1, baseDelayMs: 0 }
      sinks:
        - type: webhook
          name: receiver
          url: ${receiverUrl}
          secret: ${SECRET}
`,
  );
  return file;
}

/** `--once`: every job of the file now, one after the other. */
async function runOnce(file: string): Promise<JobRunOutcome> {
  const scheduler = createJobScheduler(
    readScheduleConfig(file),
    { executor, aws: AwsConfigSchema.parse({}) },
    { logger },
  );
  const [outcome] = await scheduler.runAll();
  if (!outcome || outcome.status === 'skipped') throw new Error('the job did not run');
  return outcome;
}

function payloads(): AlertPayload[] {
  return received.map((r) => {
    const valid = verifyWebhookSignature(
      SECRET,
      {
        signature: r.headers['x-reachgraph-signature'] as string,
        timestamp: r.headers['x-reachgraph-timestamp'] as string,
      },
      r.body,
    );
    expect(valid, 'every delivery is signed with the sink secret').toBe(true);
    return JSON.parse(r.body) as AlertPayload;
  });
}

const reportJson = join(work, 'reports', `${JOB}.json`);
const reportMd = join(work, 'reports', `${JOB}.md`);

describe('a scheduled job against the real graph', () => {
  let first: JobRunOutcome;

  it(
    'syncs the fixture, writes the report files, records the run and alerts the new high findings',
    async () => {
      first = await runOnce(scheduleFile('schedule.yaml', FIXTURE));
      expect(first).toMatchObject({ job: JOB, status: 'succeeded', error: null });

      const report = JSON.parse(readFileSync(reportJson, 'utf8')) as Report;
      expect(report.id).toBe(first.reportId);
      expect(report.job).toBe(JOB);
      expect(report.graphRun).not.toBeNull();
      expect(report.summary.total).toBeGreaterThan(0);
      expect(readFileSync(reportMd, 'utf8')).toContain(report.id);

      const runs = await listJobRuns(executor, { job: JOB });
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        id: first.runId,
        job: JOB,
        status: 'succeeded',
        reportId: report.id,
        error: null,
      });
      expect(Date.parse(runs[0]?.finishedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(runs[0]?.startedAt ?? ''),
      );
      const [collection] = await executor.read<{ status: string }>(
        'MATCH (r:CollectionRun) RETURN r.status AS status',
      );
      expect(collection?.status).toBe('succeeded');

      // The first report has no predecessor: every high or critical finding is new and alerts, once.
      const expected = report.diff.newFindings
        .filter((f) => severityRank(f.severity) >= severityRank('high'))
        .map((f) => f.fingerprint)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const sent = payloads();
      expect(sent.map((p) => p.event)).toEqual(['report.new-findings']);
      expect(sent[0]).toMatchObject({ job: JOB, reportId: report.id });
      expect(sent[0]?.findings.map((f) => f.fingerprint).sort()).toEqual(expected);

      // Every step logged its duration under the run's id.
      const steps = logLines.filter((l) => l.runId === first.runId && l.msg.endsWith(' finished') && l.step);
      expect(steps.map((l) => l.step)).toEqual(['sync', 'report', 'write', 'record', 'alert']);
      expect(steps.every((l) => typeof l.durationMs === 'number' && l.job === JOB)).toBe(true);
    },
    RUN_TIMEOUT_MS,
  );

  it('a failing run alerts the failure and leaves the graph and the last good report files in place', async () => {
    const before = {
      json: readFileSync(reportJson, 'utf8'),
      md: readFileSync(reportMd, 'utf8'),
      mtime: statSync(reportJson).mtimeMs,
    };
    const [entities] = await executor.read<{ n: number }>('MATCH (n:Entity) RETURN count(n) AS n');
    received.length = 0;
    const missing = join(work, 'no-such-snapshot');

    const failed = await runOnce(scheduleFile('broken.yaml', missing));
    expect(failed).toMatchObject({ job: JOB, status: 'failed', reportId: null });
    expect(failed.error).toContain('no-such-snapshot');

    const sent = payloads();
    expect(sent.map((p) => p.event)).toEqual(['job.failed']);
    expect(sent[0]).toMatchObject({ job: JOB, reportId: null, findings: [] });
    expect(sent[0]?.error?.message).toContain('no-such-snapshot');

    expect(readFileSync(reportJson, 'utf8')).toBe(before.json);
    expect(readFileSync(reportMd, 'utf8')).toBe(before.md);
    expect(statSync(reportJson).mtimeMs).toBe(before.mtime);
    expect(await executor.read('MATCH (n:Entity) RETURN count(n) AS n')).toEqual([entities]);

    const runs = await listJobRuns(executor, { job: JOB });
    expect(runs.map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect(runs[0]).toMatchObject({ id: failed.runId, error: failed.error, reportId: null });
  });

  it(
    'the next good run diffs against the last report of the job: nothing new, nothing alerted',
    async () => {
      received.length = 0;
      const again = await runOnce(join(work, 'schedule.yaml'));
      expect(again.status).toBe('succeeded');
      const report = JSON.parse(readFileSync(reportJson, 'utf8')) as Report;
      expect(report.id).toBe(again.reportId);
      expect(report.diff.previousReportId).toBe(first.reportId);
      expect(report.diff.newFindings).toEqual([]);
      expect(received).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );

  it("the API's /metrics counts runs per job and status and shows the last success", async () => {
    const api = tokenApi(executor, TOKEN);
    const text = await (
      await api.yoga.fetch('http://localhost/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    expect(text).toContain(`reachgraph_job_runs_total{job="${JOB}",status="succeeded"} 2`);
    expect(text).toContain(`reachgraph_job_runs_total{job="${JOB}",status="failed"} 1`);
    expect(text).toMatch(/^reachgraph_job_metrics_up 1$/m);
    const last = (await listJobRuns(executor, { job: JOB })).find((r) => r.status === 'succeeded');
    const shown = Number(
      text.match(/^reachgraph_job_last_success_timestamp_seconds\{job="[^"]+"\} (\S+)$/m)?.[1],
    );
    expect(shown).toBe(Date.parse(last?.finishedAt ?? '') / 1000);
  });
});

describe('a scheduled job syncing GCP beside AWS and Kubernetes', () => {
  it(
    'syncs the three providers of one snapshot in one collection run, so GKE Workload Identity joins them',
    async () => {
      const file = join(work, 'three-clouds.yaml');
      writeFileSync(
        file,
        `jobs:
  - name: three-clouds
    cron: "0 3 * * *"
    sync:
      aws: { snapshots: [${JSON.stringify(CROSS_CLOUD)}] }
      kubernetes: { snapshots: [${JSON.stringify(CROSS_CLOUD)}] }
      gcp:
        snapshots: [${JSON.stringify(CROSS_CLOUD)}]
        projectEnvironments: { shop-prod-778899: production }
    report:
      formats: [json]
      outDir: reports
`,
      );
      const scheduler = createJobScheduler(
        readScheduleConfig(file),
        { executor, aws: AwsConfigSchema.parse({}) },
        { logger },
      );
      const [outcome] = await scheduler.runAll();
      expect(outcome).toMatchObject({ job: 'three-clouds', status: 'succeeded', error: null });
      if (!outcome || outcome.status === 'skipped') throw new Error('the job did not run');

      // One sync step, one collection run holding every provider's scopes.
      const syncs = logLines.filter(
        (l) => l.runId === outcome.runId && l.step === 'sync' && l.msg === 'sync finished',
      );
      expect(syncs).toHaveLength(1);
      const runId = (syncs[0] as { collectionRunId?: string } | undefined)?.collectionRunId;
      const [run] = await executor.read<{ providers: string[] }>(
        'MATCH (n:Entity {lastRunId: $runId}) RETURN collect(DISTINCT n.provider) AS providers',
        { runId },
      );
      expect(run?.providers).toEqual(expect.arrayContaining(['aws', 'kubernetes', 'gcp']));
      const federated = await executor.read<{ from: string; to: string }>(
        `MATCH (k:K8sServiceAccount)-[:FEDERATES_TO]->(g:GcpServiceAccount) RETURN k.id AS from, g.id AS to`,
      );
      expect(federated).toContainEqual({
        from: 'k8s:shop-gke:shop:sa:api',
        to: 'gcp:sa:reader@shop-prod-778899.iam.gserviceaccount.com',
      });
      const report = JSON.parse(readFileSync(join(work, 'reports', 'three-clouds.json'), 'utf8')) as Report;
      expect(report.id).toBe(outcome.reportId);
    },
    RUN_TIMEOUT_MS,
  );
});

describe('a scheduled job with an activity step', () => {
  const BUILDER = 'arn:aws:iam::111111111111:user/ci/ci-builder';
  const lastActivityOf = async () =>
    (
      await executor.read<{ last: string | null }>(
        'MATCH (n {id: $id}) RETURN toString(n.lastActivity) AS last',
        { id: BUILDER },
      )
    )[0]?.last;
  const activityJob = (name: string, trail?: string, more = '') => {
    const file = join(work, name);
    writeFileSync(
      file,
      `jobs:
  - name: ${JOB}-activity
    cron: "0 3 * * *"
    sync:
      aws: { snapshots: [${JSON.stringify(FIXTURE)}] }
${trail ? `    activity:\n      awsCloudTrail: [${JSON.stringify(trail)}]\n${more}` : ''}    report:
      formats: [json]
      outDir: reports
`,
    );
    return file;
  };
  const run = async (file: string, database: string) => {
    const scheduler = createJobScheduler(
      readScheduleConfig(file),
      { executor, aws: AwsConfigSchema.parse({}), activity: { database, retentionDays: 90 } },
      { logger },
    );
    const [outcome] = await scheduler.runAll();
    if (!outcome || outcome.status === 'skipped') throw new Error('the job did not run');
    return outcome;
  };

  it(
    'ingests the CloudTrail paths after the sync and writes lastActivity; a job without the step writes it again after its sync',
    async () => {
      const trail = join(work, 'trail');
      const database = join(work, 'activity', 'activity.duckdb');
      writeTrailFile(
        trail,
        [
          cloudTrailRecord({
            eventID: 'sched-1',
            eventTime: '2026-11-01T08:00:00Z',
            recipientAccountId: '111111111111',
            userIdentity: { type: 'IAMUser', arn: BUILDER, accountId: '111111111111' },
          }),
        ],
        { account: '111111111111', day: '2026-11-01' },
      );
      const first = await run(activityJob('activity.yaml', trail), database);
      expect(first).toMatchObject({ status: 'succeeded', error: null });
      const steps = logLines.filter((l) => l.runId === first.runId && l.msg.endsWith(' finished') && l.step);
      expect(steps.map((l) => l.step)).toEqual([
        'sync',
        'ingest',
        'activity-summary',
        'report',
        'write',
        'record',
      ]);
      expect(steps[1]).toMatchObject({ filesRead: 1, events: 1 });
      expect(await lastActivityOf()).toBe('2026-11-01T08:00:00Z');

      // The sync replaces the node's properties whole; the summary comes back from the store.
      const second = await run(activityJob('no-activity.yaml'), database);
      expect(second).toMatchObject({ status: 'succeeded', error: null });
      const again = logLines.filter((l) => l.runId === second.runId && l.msg.endsWith(' finished') && l.step);
      expect(again.map((l) => l.step)).toEqual(['sync', 'activity-summary', 'report', 'write', 'record']);
      expect(await lastActivityOf()).toBe('2026-11-01T08:00:00Z');
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "ingests Cloud Audit Logs and each cluster's Kubernetes audit log as steps of their own, by the functions of their commands",
    async () => {
      const trail = join(work, 'trail-empty');
      const database = join(work, 'activity', 'sources.duckdb');
      writeTrailFile(trail, [], { account: '111111111111', day: '2026-11-01' });
      const gcpLogs = join(work, 'gcp-audit', 'read.json');
      writeEvents(gcpLogs, [gcpAuditEntry({ insertId: 'sched-g1', timestamp: '2026-11-02T10:00:00Z' })], {
        array: true,
      });
      const k8sLogs = join(work, 'k8s-audit', 'audit.log');
      writeEvents(k8sLogs, [k8sAuditEvent({ auditID: 'sched-k1', time: '2026-11-04T09:00:00Z' })]);
      const more = `      gcpAudit: [${JSON.stringify(gcpLogs)}]\n      kubernetesAudit:\n        - { cluster: prod-payments, paths: [${JSON.stringify(k8sLogs)}] }\n`;
      const outcome = await run(activityJob('sources.yaml', trail, more), database);
      expect(outcome).toMatchObject({ status: 'succeeded', error: null });
      const ingests = logLines.filter(
        (l) => l.runId === outcome.runId && l.msg.endsWith(' finished') && l.step === 'ingest',
      );
      expect(ingests.map((l) => [l.source, l.cluster, l.events])).toEqual([
        ['aws-cloudtrail', undefined, 0],
        ['gcp-audit', undefined, 1],
        ['kubernetes-audit', 'prod-payments', 1],
      ]);
    },
    RUN_TIMEOUT_MS,
  );
});

describe('reachgraph schedule (the CLI)', () => {
  const env = neo4jEnv(testNeo4j());
  const logsOf = (stdout: string) =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; job?: string; status?: string; signal?: string });

  it('--once exits 1 when a job failed, with JSON logs on stdout', async () => {
    const file = scheduleFile('cli-broken.yaml', join(work, 'still-no-such-snapshot'));
    const result = await runCli(['schedule', '--config', file, '--once'], env, work);
    expect(result.code, result.stderr).toBe(1);
    const logs = logsOf(result.stdout);
    expect(logs.find((l) => l.msg === 'job failed')).toMatchObject({ job: JOB, status: 'failed' });
    expect(logs.at(-1)).toMatchObject({ msg: 'some jobs did not succeed' });
  });

  it('a bad job file fails before anything runs, naming the file and the key', async () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(file, 'jobs:\n  - name: x\n    cron: "61 * * * *"\n');
    const result = await runCli(['schedule', '--config', file, '--once'], env, work);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`schedule config ${file} is invalid`);
    expect(result.stderr).toContain('jobs[0].cron: not a valid cron expression');
  });

  it('runs until SIGTERM, then stops gracefully and exits 0', async () => {
    const file = join(work, 'every-second.yaml');
    writeFileSync(
      file,
      readFileSync(scheduleFile('cli-tmp.yaml', join(work, 'missing')), 'utf8').replace(
        'cron: "0 3 * * *"',
        'cron: "* * * * * *"',
      ),
    );
    const child = spawn(process.execPath, [BIN, 'schedule', '--config', file], { env, cwd: work });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    // Wait until a tick has run the job at least once (it fails fast: the snapshot is missing).
    await expect
      .poll(() => logsOf(stdout).some((l) => l.msg === 'job failed'), { timeout: 60_000, interval: 200 })
      .toBe(true);
    expect(await stopChild(child)).toBe(0);
    const logs = logsOf(stdout);
    expect(logs.find((l) => l.msg.startsWith('stopping'))).toMatchObject({ signal: 'SIGTERM' });
    expect(logs.at(-1)).toMatchObject({ msg: 'scheduler stopped' });
  });
});
