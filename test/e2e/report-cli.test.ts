import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listReportRuns } from '../../src/records/report-runs.js';
import type { Report } from '../../src/reports/types.js';
import { neo4jEnv, runCli } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

// `reachgraph report` as users run it: the built CLI in a child process against the test Neo4j,
// after `reachgraph sync aws` of the hand-checked fixture.

const FIXTURE = fileURLToPath(new URL('../fixtures/aws/multi-account', import.meta.url));
const TOOLING = '111111111111';
const PROD = '222222222222';
const GHA_DEPLOY = `arn:aws:iam::${TOOLING}:role/ci/gha-deploy`;
const TABLE = `arn:aws:dynamodb:eu-west-1:${PROD}:table/payments`;

const executor = testExecutor();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-report-cli-'));
const env = neo4jEnv(testNeo4j());
const cli = (args: string[]) => runCli(args, env, work, 240_000);
const SLOW = 300_000;

beforeAll(() => wipe(executor));
afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

/** The id of the report a run printed in its summary (stderr). */
const reportIdOf = (stderr: string) => stderr.match(/^Report (report-\S+?):/m)?.[1];

describe('reachgraph report', () => {
  it('refuses an empty graph with a clear error, and records nothing', async () => {
    const result = await cli(['report', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no graph loaded yet');
    expect(result.stderr).toContain('reachgraph sync aws --snapshot DIR');
    expect(await listReportRuns(executor, 10)).toEqual([]);
  });

  it(
    'checks its flags before anything runs',
    async () => {
      const cases: [string[], string][] = [
        [['--format', 'pdf'], '--format: expected one of md, html, json, sarif, csv, got "pdf"'],
        [['--format', 'md,html'], 'several formats need --out-dir'],
        [['--out', 'a.md', '--out-dir', 'reports'], '--out and --out-dir: give one of them'],
        [['--out', 'report.txt'], 'cannot tell the format from the extension'],
        [['--fail-on', 'severe'], '--fail-on: expected one of critical, high, medium, low, info'],
        [['--keep', '0'], '--keep: expected a positive integer, got "0"'],
        [
          ['--rules-config', join(work, 'missing.yaml')],
          `rules config ${join(work, 'missing.yaml')}: cannot be read`,
        ],
      ];
      for (const [args, message] of cases) {
        const result = await cli(['report', ...args]);
        expect(result.code, args.join(' ')).toBe(1);
        expect(result.stderr, args.join(' ')).toContain(message);
      }
      expect(await listReportRuns(executor, 10)).toEqual([]);
    },
    SLOW,
  );

  let first: Report;

  it(
    'after a sync, writes the JSON report: versioned, each finding with its path and evidence',
    async () => {
      const sync = await cli(['sync', 'aws', '--snapshot', FIXTURE, '--no-progress']);
      expect(sync.code, sync.stderr).toBe(0);

      const out = join(work, 'out', 'report.json');
      const result = await cli(['report', '--format', 'json', '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`Wrote ${out}`);
      expect(result.stderr).toContain('No earlier report: every finding is new.');
      first = JSON.parse(readFileSync(out, 'utf8')) as Report;
      expect(first.schemaVersion).toBe(1);
      expect(reportIdOf(result.stderr)).toBe(first.id);
      expect(first.graphRun).not.toBeNull();
      expect(first.diff.previousReportId).toBeNull();
      expect(result.stderr).toContain(`${first.summary.total} finding(s)`);
      // M1 of the fixture: the CI role reaches the payments table through the deployer's Lambda PassRole.
      const chain = first.findings.find(
        (f) =>
          f.ruleId === 'nhi-reaches-production-data' && f.subject.id === GHA_DEPLOY && f.target?.id === TABLE,
      );
      expect(chain?.path.map((h) => [h.type, h.technique])).toEqual([
        ['CAN_ASSUME', null],
        ['CAN_ESCALATE', 'lambda-001'],
        ['CAN_ACCESS', null],
      ]);
      expect(chain?.path.every((h) => h.evidence.length > 0 && h.reason.length > 0)).toBe(true);
      expect(chain?.path[0]?.evidence.map((e) => e.statement)).toContain('AssumeProdDeployer');
    },
    SLOW,
  );

  it(
    'writes several formats into a directory: self-contained HTML, SARIF, CSV; diffed against the last report',
    async () => {
      const dir = join(work, 'reports');
      const result = await cli(['report', '--out-dir', dir, '--format', 'html,sarif', '--format', 'csv']);
      expect(result.code, result.stderr).toBe(0);
      const files = ['html', 'sarif', 'csv'].map((ext) => join(dir, `reachgraph-report.${ext}`));
      for (const file of files) {
        expect(existsSync(file), file).toBe(true);
        expect(result.stderr).toContain(`Wrote ${file}`);
      }
      // Nothing changed since the JSON report.
      expect(result.stderr).toContain(`Since ${first.id}`);
      expect(result.stderr).toMatch(/: 0 new, 0 resolved, \d+ unchanged/);

      const html = readFileSync(files[0] as string, 'utf8');
      expect(html.trimStart().toLowerCase()).toMatch(/^<!doctype html>/);
      expect(html).toContain('<svg');
      // Works offline: nothing is fetched from elsewhere.
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
      expect(html).toContain('gha-deploy');

      const sarif = JSON.parse(readFileSync(files[1] as string, 'utf8'));
      expect(sarif.version).toBe('2.1.0');
      const ruleIds = new Set(first.rules.map((r) => r.id));
      const results = sarif.runs[0].results as { ruleId: string }[];
      expect(results.length).toBeGreaterThan(0);
      expect(results.every((r) => ruleIds.has(r.ruleId))).toBe(true);

      const csv = readFileSync(files[2] as string, 'utf8')
        .trim()
        .split(/\r?\n/);
      expect(csv.length).toBeGreaterThan(first.findings.length);
    },
    SLOW,
  );

  it(
    'prints Markdown to stdout; --no-record leaves the recorded history as it was',
    async () => {
      const before = (await listReportRuns(executor, 100)).length;
      const result = await cli(['report', '--no-record']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^# /);
      expect(result.stdout).toContain('gha-deploy');
      expect(result.stderr).toContain('(not recorded)');
      expect((await listReportRuns(executor, 100)).length).toBe(before);
    },
    SLOW,
  );

  it(
    'records nothing when the report cannot be written',
    async () => {
      const before = (await listReportRuns(executor, 100)).length;
      const blocker = join(work, 'not-a-directory');
      writeFileSync(blocker, '');
      const result = await cli(['report', '--out', join(blocker, 'report.json')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Cannot create the report directory ${blocker}`);
      expect((await listReportRuns(executor, 100)).length).toBe(before);
    },
    SLOW,
  );

  it(
    'applies a rules config and its suppression file',
    async () => {
      const [accepted] = first.findings.filter((f) => f.ruleId === 'nhi-reaches-production-data');
      const rulesFile = join(work, 'rules.yaml');
      writeFileSync(
        rulesFile,
        [
          'rules:',
          '  nhi-administrator:',
          '    enabled: false',
          'suppressions: accepted-risks.yaml',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(work, 'accepted-risks.yaml'),
        [
          `- fingerprint: ${accepted?.fingerprint}`,
          '  reason: reviewed with the payments team',
          '  expires: 2999-12-31',
          '',
        ].join('\n'),
      );
      const out = join(work, 'configured.json');
      const result = await cli(['report', '--rules-config', rulesFile, '--no-record', '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
      expect(report.rules.map((r) => r.id)).not.toContain('nhi-administrator');
      expect(report.findings.some((f) => f.ruleId === 'nhi-administrator')).toBe(false);
      expect(first.findings.some((f) => f.ruleId === 'nhi-administrator')).toBe(true);
      expect(report.suppressed.map((f) => f.fingerprint)).toEqual([accepted?.fingerprint]);
      expect(report.suppressed[0]?.suppression?.reason).toBe('reviewed with the payments team');
      expect(report.findings.map((f) => f.fingerprint)).not.toContain(accepted?.fingerprint);
    },
    SLOW,
  );

  it(
    'says which earlier reports exist when --since names none; --fail-on exits 2',
    async () => {
      const unknown = await cli(['report', '--since', 'report-19990101T000000000Z-nosuch']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('no report run with id "report-19990101T000000000Z-nosuch"');
      expect(unknown.stderr).toContain(first.id);

      const since = await cli([
        'report',
        '--since',
        first.id,
        '--no-record',
        '--fail-on',
        'high',
        '--format',
        'csv',
      ]);
      expect(first.findings.some((f) => f.severity === 'high' || f.severity === 'critical')).toBe(true);
      expect(since.code, since.stderr).toBe(2);
      expect(since.stderr).toContain(`Since ${first.id}`);
      expect(since.stdout.split('\n').length).toBeGreaterThan(1);
    },
    SLOW,
  );
});
