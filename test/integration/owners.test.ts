import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { readOwnerSources } from '../../src/owners/sources.js';
import { packageRoot } from '../../src/package-root.js';
import { providerJobs, type SyncResult, syncProviders } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { buildReport } from '../../src/reports/build.js';
import { runFindings } from '../../src/reports/findings.js';
import { loadRules } from '../../src/reports/rules/registry.js';
import type { Finding } from '../../src/reports/types.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { graphqlData, tokenApi } from '../helpers/graphql.js';

// Owners through the real graph (docs/owners.md): the sample estate synced with its owners file and
// CODEOWNERS, the owner properties as the loader stored them, the three owner rules, a report of one
// owner's findings, and the API's owner fields and filters.

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const SAMPLE = join(packageRoot(), 'examples', 'sample-env');
const TOKEN = 'rg_owners';
let synced: SyncResult;
let findings: Finding[];

const api = tokenApi(executor, TOKEN);

const graphql = (query: string, variables: Record<string, unknown> = {}): Promise<Json> =>
  graphqlData(api, query, { token: TOKEN, variables });

beforeAll(async () => {
  await wipe(executor);
  const config = ConfigSchema.parse({});
  const { warnings, ...owners } = readOwnerSources(config.owners, { owners: join(SAMPLE, 'owners.yaml') });
  expect(warnings).toEqual([]);
  synced = await syncProviders(
    executor,
    providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot: SAMPLE, options: {} }, config),
    { summary: true, owners },
  );
  expect(synced.load.status).toBe('succeeded');
  const ownerRules = loadRules().filter((r) =>
    ['nhi-without-owner', 'nhi-owner-gone', 'unowned-nhi-reaches-production-or-escalates'].includes(r.id),
  );
  findings = await runFindings(executor, ownerRules);
}, 300_000);

afterAll(() => executor.close());

const of = (rule: string) =>
  findings
    .filter((f) => f.ruleId === rule)
    .map((f) => f.subject.id)
    .sort();

describe('owners in the graph', () => {
  it('stores the owner, its evidence, confidence and every candidate on each identity', async () => {
    const [row] = await executor.read<Json>(
      `MATCH (s:Principal {id: $id})
       RETURN s.owner AS owner, s.ownerType AS type, s.ownerSource AS source, s.ownerConfidence AS confidence,
              s.ownerContacts AS contacts, s.ownerAlertRoute AS route, s.ownerConflict AS conflict,
              s.ownerCandidates AS candidates`,
      { id: 'gcp:sa:gha-deployer@acme-prod-data.iam.gserviceaccount.com' },
    );
    expect(row).toMatchObject({
      owner: 'data',
      type: 'team',
      source: 'label team=data on project acme-prod-data',
      confidence: 'medium',
      contacts: ['data@acme.example'],
      route: 'data',
      conflict: true,
    });
    // The repository acme/deploy, which can act as it, names another owner: kept, not hidden.
    expect(JSON.parse(row.candidates).map((c: Json) => [c.owner, c.step])).toEqual([
      ['data', 'gcp'],
      ['platform', 'repository'],
    ]);
    expect(synced.owners).toMatchObject({ unowned: 6 });
    expect(synced.owners.owned + synced.owners.unowned).toBe(synced.owners.identities);
  });

  it('reports every identity without an owner, and those of them that reach production or escalate', () => {
    const unowned = [
      'arn:aws:ec2:eu-west-1:222222222222:instance/i-0b5e7c1d2a3f40001',
      'arn:aws:iam::222222222222:role/prod-poweruser',
      'arn:aws:iam::222222222222:user/ci/iam-helper',
      'arn:aws:iam::333333333333:role/dev-sandbox',
      'arn:aws:lambda:eu-west-1:222222222222:function:nightly-ops-cleanup',
      'oidc:token.actions.githubusercontent.com:*',
    ];
    expect(of('nhi-without-owner')).toEqual(unowned);
    expect(of('unowned-nhi-reaches-production-or-escalates')).toEqual(unowned);
    const poweruser = findings.find(
      (f) =>
        f.ruleId === 'unowned-nhi-reaches-production-or-escalates' &&
        f.subject.id === 'arn:aws:iam::222222222222:role/prod-poweruser',
    );
    expect(poweruser?.severity).toBe('high');
    expect(Number(poweruser?.facts.productionResources)).toBeGreaterThan(0);
  });

  it('reports identities owned by a person the estate no longer holds, not those whose person is there', () => {
    // ops.lead@acme.example has no identity; alice@acme.example is the IAM user alice.
    expect(of('nhi-owner-gone')).toEqual([
      'arn:aws:iam::111111111111:user/ci/ops-bot',
      'arn:aws:iam::222222222222:role/prod-ops-automation',
    ]);
  });

  it('gives findings their subject’s owner, and report --owner keeps one owner’s findings unrecorded', async () => {
    const report = await buildReport(executor, { owner: 'payments' });
    expect(report.owner).toBe('payments');
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.owner === 'payments')).toBe(true);
    const [recorded] = await executor.read<{ n: number }>('MATCH (r:ReportRun) RETURN count(r) AS n');
    expect(recorded?.n).toBe(0);
    const full = await buildReport(executor, {});
    expect(full.findings.length).toBeGreaterThan(report.findings.length);
    expect(
      full.findings
        .filter((f) => f.owner === 'payments')
        .map((f) => f.fingerprint)
        .sort(),
    ).toEqual(report.findings.map((f) => f.fingerprint).sort());
  });

  it('answers owner fields and filters identities and findings by owner through the API', async () => {
    const data = await graphql(`{
      identities(filter: {owner: ["payments"]}, first: 100) {
        edges { node { id owner ownership { owner type source confidence conflict candidates { owner step source } } } }
      }
      unowned: identities(filter: {owned: false, nonHuman: true}, first: 100) { edges { node { id owner } } }
      findings(filter: {owner: "payments"}, first: 100) { edges { node { owner rule { id } subject { id } } } }
      unownedFindings: findings(filter: {unowned: true, ruleId: ["nhi-without-owner"]}, first: 100) {
        edges { node { owner subject { id } } }
      }
    }`);
    const ids = data.identities.edges.map((e: Json) => e.node.id);
    expect(ids).toContain('k8s:prod-payments:payments:sa:api');
    expect(ids).toContain('arn:aws:iam::222222222222:role/payments-irsa');
    expect(data.identities.edges.every((e: Json) => e.node.owner === 'payments')).toBe(true);
    const irsa = data.identities.edges.find(
      (e: Json) => e.node.id === 'arn:aws:iam::222222222222:role/payments-irsa',
    );
    expect(irsa.node.ownership).toMatchObject({
      owner: 'payments',
      type: 'TEAM',
      confidence: 'HIGH',
      source: expect.stringContaining('owners.yaml rule 1 (id arn:aws:iam::222222222222:role/payments-*)'),
    });
    // Public, service principals and other non-human principals that are never owned are left out by the rule,
    // not by the filter: every unowned non-human identity of the rule is among them.
    const unownedIds = data.unowned.edges.map((e: Json) => e.node.id);
    for (const id of of('nhi-without-owner')) expect(unownedIds).toContain(id);
    expect(data.findings.edges.length).toBeGreaterThan(0);
    expect(data.findings.edges.every((e: Json) => e.node.owner === 'payments')).toBe(true);
    expect(data.unownedFindings.edges.map((e: Json) => e.node.subject.id).sort()).toEqual(
      of('nhi-without-owner'),
    );
  });
});
