import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/file.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { type JobConfig, parseScheduleConfig, readScheduleConfig } from '../../../src/scheduler/config.js';
import { gcpRequests, syncRuns } from '../../../src/scheduler/job.js';

type GcpSync = NonNullable<JobConfig['sync']['gcp']>;

const dir = mkdtempSync(join(tmpdir(), 'reachgraph-schedule-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILE = '/etc/reachgraph/schedule.yaml';

const VALID = `
stateDir: state
jobs:
  - name: nightly
    cron: "0 3 * * *"
    timezone: Europe/Berlin
    sync:
      aws:
        snapshots: [snapshots/acme, /data/other]
        accountEnvironments: { "222222222222": production }
    report:
      formats: [html, json]
      outDir: ../reports
      suppressions: accepted.yaml
    alerts:
      minSeverity: high
      sinks:
        - type: webhook
          name: soc
          url: https://hooks.example.com/reachgraph
          secretEnv: SOC_HMAC_KEY
  - name: live-hourly
    cron: "*/15 * * * * *"
    sync:
      aws:
        live: { profile: audit, roleArns: ["arn:aws:iam::222222222222:role/audit"], regions: [eu-west-1] }
    report:
      formats: [sarif]
      outDir: /srv/reports
`;

/** The error a bad file gives; fails the test if it parses. */
function errorOf(text: string, file = FILE): string {
  try {
    parseScheduleConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

/** VALID with one line replaced. */
function withLine(from: string, to: string): string {
  expect(VALID).toContain(from);
  return VALID.replace(from, to);
}

describe('schedule config', () => {
  it('reads jobs and resolves relative paths against the file, absolute ones as given', () => {
    const config = parseScheduleConfig(VALID, FILE);
    expect(config.stateDir).toBe('/etc/reachgraph/state');
    const [nightly, live] = config.jobs;
    expect(nightly?.sync.aws?.snapshots).toEqual(['/etc/reachgraph/snapshots/acme', '/data/other']);
    expect(nightly?.report.outDir).toBe('/etc/reports');
    expect(nightly?.report.suppressions).toBe('/etc/reachgraph/accepted.yaml');
    expect(nightly?.sync.aws?.accountEnvironments).toEqual({ '222222222222': 'production' });
    // Undelivered alerts default to the state directory.
    expect(nightly?.alerts?.outbox).toBe('/etc/reachgraph/state/outbox');
    expect(live?.sync.aws?.live).toEqual({
      profile: 'audit',
      roleArns: ['arn:aws:iam::222222222222:role/audit'],
      regions: ['eu-west-1'],
    });
    expect(live?.alerts).toBeUndefined();
  });

  it('reads the same jobs from JSON, choosing the parser by extension', () => {
    const json = JSON.stringify({
      jobs: [
        {
          name: 'ci',
          cron: '0 * * * *',
          sync: { aws: { snapshots: ['snap'] } },
          report: { formats: ['md'], outDir: 'out' },
        },
      ],
    });
    const file = join(dir, 'schedule.json');
    writeFileSync(file, json);
    const config = readScheduleConfig(file);
    expect(config.jobs[0]?.sync.aws?.snapshots).toEqual([join(dir, 'snap')]);
    expect(config.jobs[0]?.report.outDir).toBe(join(dir, 'out'));
    expect(config.stateDir).toBeUndefined();
  });

  it('names the file and the path inside it for every problem', () => {
    const message = errorOf(withLine('cron: "0 3 * * *"', 'cron: "0 25 * * *"'));
    expect(message).toContain(`schedule config ${FILE} is invalid`);
    expect(message).toContain('jobs[0].cron: not a valid cron expression');

    expect(errorOf(withLine('timezone: Europe/Berlin', 'timezone: Mars/Olympus'))).toContain(
      'jobs[0].timezone: not an IANA time zone',
    );
    expect(errorOf(withLine('formats: [sarif]', 'formats: [pdf]'))).toMatch(
      /jobs\[1\]\.report\.formats\[0\]:/,
    );
    expect(errorOf(withLine('formats: [sarif]', 'formats: [md, md]'))).toContain(
      'jobs[1].report.formats: a format is listed twice',
    );
    expect(
      errorOf(withLine('roleArns: ["arn:aws:iam::222222222222:role/audit"]', 'roleArns: ["audit"]')),
    ).toContain('jobs[1].sync.aws.live.roleArns[0]: expected an IAM role ARN');
  });

  it('rejects unknown keys at every level, naming the key', () => {
    const top = errorOf(`${VALID}\nretries: 3\n`);
    expect(top).toMatch(/\(top level\): .*"retries"/);
    const job = errorOf(withLine('timezone: Europe/Berlin', 'timezone: Europe/Berlin\n    schedule: daily'));
    expect(job).toMatch(/jobs\[0\]: .*"schedule"/);
    const sync = errorOf(withLine('profile: audit', 'profile: audit, role: x'));
    expect(sync).toMatch(/jobs\[1\]\.sync\.aws\.live: .*"role"/);
    const sink = errorOf(withLine('secretEnv: SOC_HMAC_KEY', 'secretEnv: SOC_HMAC_KEY\n          token: x'));
    expect(sink).toMatch(/jobs\[0\]\.alerts\.sinks\[0\]: .*"token"/);
  });

  it('needs exactly one source per job, unique job names and at least one job', () => {
    expect(
      errorOf(withLine('snapshots: [snapshots/acme, /data/other]', 'live: {}\n        snapshots: [a]')),
    ).toContain('jobs[0].sync.aws: set exactly one of "snapshots" or "live"');
    expect(errorOf(withLine('snapshots: [snapshots/acme, /data/other]\n', ''))).toContain(
      'jobs[0].sync.aws: set exactly one of "snapshots" or "live"',
    );
    expect(errorOf(withLine('name: live-hourly', 'name: nightly'))).toContain(
      'jobs[1].name: duplicate job name "nightly"',
    );
    expect(errorOf('jobs: []')).toContain('jobs: define at least one job');
  });

  it('checks alert sinks and rule overrides when the file is read, not at the first run', () => {
    expect(errorOf(withLine('secretEnv: SOC_HMAC_KEY', 'headers: {}'))).toContain(
      'jobs[0].alerts.sinks[0]: set exactly one of "secret" or "secretEnv"',
    );
    const rules = withLine(
      'suppressions: accepted.yaml',
      'rules: { rules: { no-such-rule: { enabled: false } } }',
    );
    expect(errorOf(rules)).toMatch(/jobs\[0\]\.report\.rules: .*unknown rule no-such-rule/);
    const twice = withLine(
      'suppressions: accepted.yaml',
      'suppressions: accepted.yaml\n      rules: { suppressions: other.yaml }',
    );
    expect(errorOf(twice)).toContain('jobs[0].report.suppressions: name the suppression file once');
  });

  it('accepts the documented example, which points at the bundled sample estate', () => {
    const file = fileURLToPath(new URL('../../../examples/schedule.yaml', import.meta.url));
    const [job] = readScheduleConfig(file).jobs;
    expect(job?.sync.aws?.snapshots).toHaveLength(1);
    expect(existsSync(join(job?.sync.aws?.snapshots?.[0] ?? '', 'aws'))).toBe(true);
    expect(existsSync(join(job?.sync.kubernetes?.snapshots?.[0] ?? '', 'kubernetes', 'prod-payments'))).toBe(
      true,
    );
    expect(existsSync(join(job?.sync.gcp?.snapshots?.[0] ?? '', 'gcp', 'organization'))).toBe(true);
    // The sample's AWS accounts, its cluster and its GCP organization sync in one run, so the
    // cross-provider rules join them.
    const runs = syncRuns(job as JobConfig, { aws: ConfigSchema.parse({}).aws });
    expect(runs.map((r) => r.map((p) => p.provider.name))).toEqual([['aws', 'kubernetes', 'gcp']]);
    expect(job?.report.formats).toEqual(['html', 'md', 'json', 'sarif', 'csv']);
  });

  it('syncs Kubernetes snapshots or live contexts beside AWS, or alone', () => {
    const config = parseScheduleConfig(
      `jobs:
  - name: both
    cron: "0 3 * * *"
    sync:
      aws: { snapshots: [a] }
      kubernetes: { snapshots: [a, b], clusterEnvironments: { prod-eks: production } }
    report: { formats: [json], outDir: out }
  - name: live
    cron: "0 4 * * *"
    sync:
      kubernetes: { live: { kubeconfig: kube/config, contexts: [prod-eks, staging] } }
    report: { formats: [json], outDir: out }
`,
      FILE,
    );
    const [both, live] = config.jobs as [JobConfig, JobConfig];
    expect(both.sync.kubernetes?.snapshots).toEqual(['/etc/reachgraph/a', '/etc/reachgraph/b']);
    const env = { aws: ConfigSchema.parse({}).aws, kubernetes: ConfigSchema.parse({}).kubernetes };
    expect(syncRuns(both, env).map((r) => r.map((p) => p.source))).toEqual([
      ['aws snapshot /etc/reachgraph/a', 'kubernetes snapshot /etc/reachgraph/a'],
      ['kubernetes snapshot /etc/reachgraph/b'],
    ]);
    expect(live.sync.kubernetes?.live).toEqual({
      kubeconfig: '/etc/reachgraph/kube/config',
      contexts: ['prod-eks', 'staging'],
    });
    expect(syncRuns(live, env).map((r) => r.map((p) => p.source))).toEqual([['kubernetes live']]);
    const errorOf = (text: string) => {
      try {
        parseScheduleConfig(text, FILE);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    const job = (sync: string) =>
      `jobs:\n  - name: j\n    cron: "0 3 * * *"\n    sync: ${sync}\n    report: { formats: [json], outDir: out }\n`;
    expect(errorOf(job('{}'))).toContain('sync at least one of "aws", "kubernetes" or "gcp"');
    expect(errorOf(job('{ kubernetes: { snapshots: [a], live: {} } }'))).toContain(
      'set exactly one of "snapshots" or "live"',
    );
    expect(errorOf(job('{ kubernetes: { live: { context: [x] } } }'))).toContain('context');
  });

  it('syncs GCP snapshots or the live APIs beside the other providers, or alone', () => {
    const config = parseScheduleConfig(
      `jobs:
  - name: three
    cron: "0 3 * * *"
    sync:
      aws: { snapshots: [a] }
      kubernetes: { snapshots: [a] }
      gcp: { snapshots: [a, b], projectEnvironments: { acme-prod-data: production } }
    report: { formats: [json], outDir: out }
  - name: live
    cron: "0 4 * * *"
    sync:
      gcp:
        live:
          organization: "123456789012"
          projects: [acme-prod-data]
          credentials: keys/gcp.json
          impersonateServiceAccount: audit@acme-security.iam.gserviceaccount.com
          groupMembers: true
    report: { formats: [json], outDir: out }
`,
      FILE,
    );
    const [three, live] = config.jobs as [JobConfig, JobConfig];
    expect(three.sync.gcp?.snapshots).toEqual(['/etc/reachgraph/a', '/etc/reachgraph/b']);
    const defaults = ConfigSchema.parse({});
    const env = {
      aws: defaults.aws,
      kubernetes: defaults.kubernetes,
      gcp: { ...defaults.gcp, projectEnvironments: { 'from-config': 'staging' as const }, concurrency: 3 },
    };
    const runs = syncRuns(three, env);
    expect(runs.map((r) => r.map((p) => p.source))).toEqual([
      [
        'aws snapshot /etc/reachgraph/a',
        'kubernetes snapshot /etc/reachgraph/a',
        'gcp snapshot /etc/reachgraph/a',
      ],
      ['gcp snapshot /etc/reachgraph/b'],
    ]);
    // The job's project environments replace the config's.
    expect(gcpRequests(three.sync.gcp as GcpSync, env.gcp)[1]).toEqual({
      source: { snapshotDir: '/etc/reachgraph/b' },
      projectEnvironments: { 'acme-prod-data': 'production' },
    });
    // A live job: its options over the config's, paths relative to the job file.
    expect(syncRuns(live, env).map((r) => r.map((p) => p.source))).toEqual([['gcp live']]);
    expect(gcpRequests(live.sync.gcp as GcpSync, env.gcp)).toEqual([
      {
        source: {
          live: {
            organization: '123456789012',
            projects: ['acme-prod-data'],
            credentials: '/etc/reachgraph/keys/gcp.json',
            impersonateServiceAccount: 'audit@acme-security.iam.gserviceaccount.com',
            concurrency: 3,
            groupMembers: true,
          },
        },
        projectEnvironments: { 'from-config': 'staging' },
      },
    ]);
    const errorOf = (text: string) => {
      try {
        parseScheduleConfig(text, FILE);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    const job = (sync: string) =>
      `jobs:\n  - name: j\n    cron: "0 3 * * *"\n    sync: ${sync}\n    report: { formats: [json], outDir: out }\n`;
    expect(errorOf(job('{ gcp: { snapshots: [a], live: {} } }'))).toContain(
      'jobs[0].sync.gcp: set exactly one of "snapshots" or "live"',
    );
    expect(errorOf(job('{ gcp: { live: { organization: acme } } }'))).toContain('an organization number');
    expect(errorOf(job('{ gcp: { live: { project: [x] } } }'))).toContain('project');
  });

  it('takes an activity step: CloudTrail paths resolved against the file, at least one, no unknown keys', () => {
    const step = (activity: string) =>
      withLine(
        '    report:\n      formats: [html, json]',
        `    activity: ${activity}\n    report:\n      formats: [html, json]`,
      );
    const [job, other] = parseScheduleConfig(step('{ awsCloudTrail: [trail, /logs/ct] }'), FILE).jobs;
    expect(job?.activity?.awsCloudTrail).toEqual(['/etc/reachgraph/trail', '/logs/ct']);
    expect(other?.activity).toBeUndefined();
    expect(errorOf(step('{ awsCloudTrail: [] }'))).toContain(
      'jobs[0].activity.awsCloudTrail: list at least one file or directory',
    );
    expect(errorOf(step('{ cloudtrail: [x] }'))).toContain('cloudtrail');
    expect(errorOf(step('{}'))).toContain(
      'name at least one of "awsCloudTrail", "gcpAudit" or "kubernetesAudit"',
    );
  });

  it('takes Cloud Audit Logs and per-cluster Kubernetes audit paths in the activity step', () => {
    const step = (activity: string) =>
      withLine(
        '    report:\n      formats: [html, json]',
        `    activity: ${activity}\n    report:\n      formats: [html, json]`,
      );
    const [job] = parseScheduleConfig(
      step(
        '{ gcpAudit: [gcp-logs], kubernetesAudit: [{ cluster: prod-eks, paths: [audit, /var/log/k8s] }] }',
      ),
      FILE,
    ).jobs;
    expect(job?.activity).toEqual({
      gcpAudit: ['/etc/reachgraph/gcp-logs'],
      kubernetesAudit: [{ cluster: 'prod-eks', paths: ['/etc/reachgraph/audit', '/var/log/k8s'] }],
    });
    expect(errorOf(step('{ kubernetesAudit: [{ paths: [audit] }] }'))).toContain(
      'jobs[0].activity.kubernetesAudit[0].cluster',
    );
    expect(errorOf(step('{ kubernetesAudit: [] }'))).toContain('list at least one cluster');
  });

  it('says which file cannot be read or parsed', () => {
    expect(() => readScheduleConfig(join(dir, 'missing.yaml'))).toThrow(
      `schedule config ${join(dir, 'missing.yaml')}: cannot be read`,
    );
    expect(errorOf('jobs: [\n  - name: x', FILE)).toContain(`schedule config ${FILE}: not valid YAML`);
    expect(errorOf('{"jobs": [', '/x/schedule.json')).toContain(
      'schedule config /x/schedule.json: not valid JSON',
    );
  });
});
