import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/aws/multi-account', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  edges: { type: string; from: string; to: string; conditional?: boolean; technique?: string }[];
  canAccess: {
    from: string;
    to: string;
    levels?: string[];
    levelsInclude?: string[];
    actionsExclude?: string[];
    conditional?: boolean;
  }[];
  admins: { principal: string; account: string }[];
  escalations: { principal: string; hops: number }[];
  notEscalations: { principal: string }[];
  mustNotExist: { type: string; from: string; to: string }[];
};

const work = mkdtempSync(join(tmpdir(), 'reachgraph-aws-cli-'));
const neo4j = testNeo4j();
const executor = testExecutor();
const offline = { PATH: process.env.PATH, HOME: process.env.HOME };
const online = {
  ...offline,
  NEO4J_URI: neo4j.uri,
  NEO4J_USER: neo4j.user,
  NEO4J_PASSWORD: neo4j.password,
  NEO4J_DATABASE: neo4j.database,
};
const cli = (args: string[], env: NodeJS.ProcessEnv = offline) => runCli(args, env, work, 120_000);

interface Edge {
  type: string;
  from: string;
  to: string;
  properties: Record<string, unknown>;
  evidence: { source: string; ref: string; reason: string; conditions?: string[] }[];
}

afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph analyze (no Neo4j)', () => {
  it('prints the hand-checked derived edges, each with evidence', async () => {
    const started = Date.now();
    const result = await cli(['analyze', '--snapshot', FIXTURE, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    const output = JSON.parse(result.stdout) as {
      edges: Edge[];
      findings: unknown[];
      issues: unknown[];
      stats: unknown;
    };
    const find = (type: string, from: string, to: string) =>
      output.edges.find((e) => e.type === type && e.from === from && e.to === to);
    for (const e of output.edges) {
      expect(e.evidence.length, `${e.type} ${e.from} -> ${e.to}`).toBeGreaterThan(0);
      expect(e.evidence.every((x) => x.ref && x.reason)).toBe(true);
    }
    // Every difference from the hand-checked answers, listed at once.
    const wrong: string[] = [];
    const isConditional = (edge: Edge) => edge.evidence.every((x) => (x.conditions?.length ?? 0) > 0);
    for (const e of expected.edges) {
      const what = `${e.type} ${e.from} -> ${e.to}`;
      const edge = find(e.type, e.from, e.to);
      if (!edge) wrong.push(`missing ${what}`);
      else if (e.conditional !== undefined && isConditional(edge) !== e.conditional)
        wrong.push(`${what}: conditional ${isConditional(edge)}, expected ${e.conditional}`);
      else if (e.technique !== undefined && edge.properties.technique !== e.technique)
        wrong.push(`${what}: technique ${String(edge.properties.technique)}, expected ${e.technique}`);
    }
    for (const e of expected.canAccess) {
      const what = `CAN_ACCESS ${e.from} -> ${e.to}`;
      const edge = find('CAN_ACCESS', e.from, e.to);
      if (!edge) {
        wrong.push(`missing ${what}`);
        continue;
      }
      const levels = [...((edge.properties.levels ?? []) as string[])].sort();
      const actions = (edge.properties.actions ?? []) as string[];
      if (e.levels && levels.join() !== [...e.levels].sort().join())
        wrong.push(`${what}: levels ${levels}, expected ${e.levels}`);
      if (e.levelsInclude?.some((l) => !levels.includes(l)))
        wrong.push(`${what}: levels ${levels}, expected at least ${e.levelsInclude}`);
      for (const action of e.actionsExclude ?? [])
        if (actions.includes(action)) wrong.push(`${what}: must not allow ${action}`);
      if (e.conditional !== undefined && isConditional(edge) !== e.conditional)
        wrong.push(`${what}: conditional ${isConditional(edge)}, expected ${e.conditional}`);
    }
    for (const a of expected.admins)
      if (!find('ADMINISTERS', a.principal, a.account))
        wrong.push(`missing ADMINISTERS ${a.principal} -> ${a.account}`);
    for (const e of expected.mustNotExist) {
      const hit = output.edges.find(
        (x) => x.type === e.type && x.from === e.from && (e.to === '*' || x.to === e.to),
      );
      if (hit) wrong.push(`must not exist: ${hit.type} ${hit.from} -> ${hit.to}`);
    }
    expect(wrong).toEqual([]);
    expect(Array.isArray(output.findings) && Array.isArray(output.issues)).toBe(true);
    expect(output.stats).toBeDefined();
  });

  it('reports a truncated file by name and still analyzes the other accounts', async () => {
    const broken = join(work, 'truncated');
    cpSync(FIXTURE, broken, { recursive: true });
    writeFileSync(
      join(broken, 'aws', '333333333333', 'iam-get-account-authorization-details.json'),
      '{"RoleDetailList": [',
    );
    const result = await cli(['analyze', '--snapshot', broken, '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {
      accounts: { id: string; complete: boolean }[];
      edges: Edge[];
      issues: { severity: string; source: string }[];
    };
    expect(output.accounts).toContainEqual({ id: 'aws:333333333333', complete: false });
    expect(
      output.issues.some(
        (i) =>
          i.severity === 'error' && i.source.includes('333333333333/iam-get-account-authorization-details'),
      ),
    ).toBe(true);
    expect(output.edges.some((e) => e.from.includes(':222222222222:'))).toBe(true);
  });

  it('fails with one line naming a missing directory', async () => {
    const result = await cli(['analyze', '--snapshot', join(work, 'nowhere'), '--json']);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/nowhere/);
  });
});

describe('reachgraph query escalations --snapshot (no Neo4j)', () => {
  it('gives the hand-checked escalations with their shortest paths', async () => {
    const result = await cli(['query', 'escalations', '--snapshot', FIXTURE, '--json']);
    expect(result.code).toBe(0);
    const answers = JSON.parse(result.stdout) as {
      principal: string;
      account: string;
      hops: number;
      path: { from: string; to: string; type: string; reason: string; evidence: unknown[] }[];
    }[];
    for (const e of expected.escalations) {
      const mine = answers.filter((a) => a.principal === e.principal);
      expect(mine.length, e.principal).toBeGreaterThan(0);
      expect(Math.min(...mine.map((a) => a.hops)), e.principal).toBe(e.hops);
    }
    const principals = new Set(answers.map((a) => a.principal));
    for (const n of expected.notEscalations) expect(principals.has(n.principal), n.principal).toBe(false);
    for (const a of expected.admins) {
      expect(
        answers.some((x) => x.principal === a.principal && `aws:account:${x.account}` === a.account),
      ).toBe(false);
    }
    for (const a of answers) {
      expect(a.path[0]?.from).toBe(a.principal);
      expect(a.path.every((h, i) => i === 0 || h.from === a.path[i - 1]?.to)).toBe(true);
      expect(a.path.every((h) => h.reason.length > 0 && h.evidence.length > 0)).toBe(true);
    }
  });

  it('answers the same from Neo4j after sync aws', async () => {
    await wipe(executor);
    const sync = await cli(['sync', 'aws', '--snapshot', FIXTURE, '--json'], online);
    expect(sync.code, sync.stderr).toBe(0);
    const run = JSON.parse(sync.stdout);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.summary.principals).toBeGreaterThan(0);
    expect(run.summary.edges.CAN_ASSUME).toBeGreaterThan(0);
    const fromGraph = await cli(['query', 'escalations', '--json'], online);
    const inMemory = await cli(['query', 'escalations', '--snapshot', FIXTURE, '--json']);
    expect(fromGraph.code, fromGraph.stderr).toBe(0);
    expect(JSON.parse(fromGraph.stdout)).toEqual(JSON.parse(inMemory.stdout));
    const text = await cli(['query', 'admins'], online);
    expect(text.stdout).toContain('arn:aws:iam::111111111111:role/tooling-admin');
    // The existing named queries still run.
    const named = await cli(['query', 'administrators', '-p', 'account=null', '--json'], online);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout).length).toBeGreaterThan(0);
  });

  it('rejects a hop limit over the cost bound', async () => {
    const result = await cli([
      'query',
      'reach',
      '--snapshot',
      FIXTURE,
      '--from',
      'nonHuman=true',
      '--to',
      'environment=production',
      '--max-hops',
      '11',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--max-hops: expected an integer from 0 to 10, got 11/);
  });
});

describe('--as-of: time conditions decided for a given time, recorded on the run and shown in reports', () => {
  const BUCKET = 'arn:aws:s3:::acme-build-artifacts';
  const CONTRACTOR = 'arn:aws:iam::111111111111:user/contractor';
  // A grant that holds in the first quarter of 2026 only (AWS's "access within specific dates").
  const snapshot = join(work, 'as-of');
  cpSync(FIXTURE, snapshot, { recursive: true });
  const detailsFile = join(snapshot, 'aws/111111111111/iam-get-account-authorization-details.json');
  const details = JSON.parse(readFileSync(detailsFile, 'utf8'));
  details.UserDetailList.push({
    Path: '/',
    UserName: 'contractor',
    UserId: 'AIDACONTRACTOR000001',
    Arn: CONTRACTOR,
    CreateDate: '2025-12-01T00:00:00+00:00',
    GroupList: [],
    AttachedManagedPolicies: [],
    UserPolicyList: [
      {
        PolicyName: 'first-quarter',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:GetObject',
              Resource: `${BUCKET}/*`,
              Condition: {
                DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' },
                DateLessThan: { 'aws:CurrentTime': '2026-03-31T23:59:59Z' },
              },
            },
          ],
        },
      },
    ],
    Tags: [],
  });
  writeFileSync(detailsFile, JSON.stringify(details));

  const access = async (asOf: string) => {
    const result = await cli(['analyze', '--snapshot', snapshot, '--json', '--as-of', asOf]);
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as {
      asOf: string;
      edges: Edge[];
      issues: { severity: string; object?: string; message: string }[];
    };
    return {
      asOf: output.asOf,
      edge: output.edges.find((e) => e.type === 'CAN_ACCESS' && e.from === CONTRACTOR && e.to === BUCKET),
      notYet: output.issues.filter((i) => i.object === CONTRACTOR && i.message.includes('not yet')),
    };
  };

  it('changes the analysis reproducibly', async () => {
    const inside = await access('2026-02-01');
    expect(inside.asOf).toBe('2026-02-01T00:00:00.000Z');
    expect(inside.edge?.evidence.some((e) => (e.conditions ?? []).length > 0)).toBe(false);
    expect(inside.edge?.properties.levels).toContain('read');
    expect(await access('2026-02-01')).toEqual(inside);

    const after = await access('2026-05-01T00:00:00Z');
    expect(after.edge).toBeUndefined();
    expect(after.notYet).toEqual([]);

    const before = await access('2025-12-01T00:00:00Z');
    expect(before.edge).toBeUndefined();
    expect(before.notYet[0]?.message).toContain('not yet: from 2026-01-01T00:00:00.001Z');
  });

  it('rejects a date that is not ISO 8601, naming the flag', async () => {
    const result = await cli(['analyze', '--snapshot', snapshot, '--as-of', '01/02/2026']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--as-of: expected an ISO 8601 date');
  });

  it('is recorded on the collection run and shown in the report', async () => {
    await wipe(executor);
    const sync = await cli(
      ['sync', 'aws', '--snapshot', snapshot, '--json', '--as-of', '2026-02-01'],
      online,
    );
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout).asOf).toBe('2026-02-01T00:00:00.000Z');
    const runs = await cli(['runs', '--json'], online);
    const [run] = JSON.parse(runs.stdout) as { asOf: string | null }[];
    expect(new Date(String(run?.asOf)).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    const report = await cli(['report', '--format', 'md'], online);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/analyzed as of 2026-02-01/);
    const json = await cli(['report', '--format', 'json'], online);
    expect(new Date(JSON.parse(json.stdout).graphRun.asOf).toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('query --as-of needs --snapshot', async () => {
    const result = await cli(['query', 'admins', '--as-of', '2026-02-01'], online);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--as-of needs --snapshot');
  });
});
