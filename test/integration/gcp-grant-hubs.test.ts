import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGcpRaw } from '../../bench/synthetic-gcp.js';
import { analyzeGcp } from '../../src/analyzers/gcp-iam/analyze.js';
import { dataResourceId } from '../../src/analyzers/gcp-iam/data-resources.js';
import type { PathHop } from '../../src/answers/answer-types.js';
import { GcpIamQueries } from '../../src/answers/gcp-iam.js';
import { executorReader } from '../../src/answers/graph-reader.js';
import { GraphPathQueries } from '../../src/answers/questions.js';
import { ApiGraph } from '../../src/api/graph.js';
import { transformGcp } from '../../src/collectors/gcp/transform.js';
import { cypherFile } from '../../src/graph/cypher-files.js';
import type { GcpBinding, GcpContainer, GcpEnvironment } from '../../src/model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../src/model/gcp/roles.js';
import { validateInventory } from '../../src/model/validate.js';
import { publishInventory } from '../../src/pipeline/publish.js';
import { buildGcpInventory } from '../../src/providers/gcp/inventory.js';
import { runFindings } from '../../src/reports/findings.js';
import { loadRules } from '../../src/reports/rules/registry.js';
import type { Finding } from '../../src/reports/types.js';
import { testExecutor, wipe } from '../helpers/graph.js';

/**
 * GCP Grant hubs in Neo4j: a small seeded organization (the benchmark's generator) with, besides its
 * own inherited bindings, roles/owner on the organization for two service accounts that others may
 * impersonate and a department folder's buckets open to allUsers and allAuthenticatedUsers, loaded
 * with its organization, folder and project bindings as Grant hubs and then as pair edges, gives the
 * same summary rows, routes, who-can answers, escalations, administrators, findings of the GCP rules
 * that read those edges (gcp-impersonation-chain-to-owner's topmost owner, gcp-public-data,
 * nhi-administrator), the API's `explain` of pair edges, and `gcpWhoCan`/`gcpCanI` answers.
 */

const executor = testExecutor();
afterAll(() => executor.close());
const AS_OF = new Date('2026-12-01T00:00:00Z');
const RULES = ['gcp-impersonation-chain-to-owner', 'gcp-public-data', 'nhi-administrator'];

function organization(): GcpEnvironment {
  const { raw } = syntheticGcpRaw({ projects: 20, seed: 3 });
  const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
  const containers = [...environment.containers.values()];
  const org = containers.find((c) => c.kind === 'organization') as GcpContainer;
  const department = containers.find((c) => c.kind === 'folder' && c.parent === org.name) as GcpContainer;
  // Two owners of the organization in a project of their own, whom one user may impersonate (and
  // nothing else: no folder above the project gives anyone actAs on them).
  const home: GcpContainer = {
    kind: 'project',
    name: 'projects/owners-home',
    parent: org.name,
    labels: {},
    denyPolicies: [],
  };
  const ownerAccounts = ['owner-a', 'owner-b'].map((name) => ({
    email: `${name}@owners-home.iam.gserviceaccount.com`,
    project: home.name,
    disabled: false,
    keys: [],
    policy: {
      source: `gcp/projects/owners-home/service-accounts/${name}.json`,
      bindings: [{ role: 'roles/iam.serviceAccountTokenCreator', members: ['user:alice@example.com'] }],
    },
  }));
  const owners = ownerAccounts.map((a) => `serviceAccount:${a.email}`);
  const add = (container: GcpContainer, binding: GcpBinding): GcpContainer => ({
    ...container,
    policy: {
      source: container.policy?.source ?? `${container.name} policy`,
      bindings: [...(container.policy?.bindings ?? []), binding],
    },
  });
  const changed = new Map(environment.containers);
  changed.set(home.name, home);
  changed.set(org.name, add(org, { role: 'roles/owner', members: owners }));
  changed.set(
    department.name,
    add(department, { role: 'roles/storage.objectViewer', members: ['allUsers', 'allAuthenticatedUsers'] }),
  );
  return {
    ...environment,
    containers: changed,
    serviceAccounts: [...environment.serviceAccounts, ...ownerAccounts],
  };
}

const withoutGrant = ({ grant: _, ...hop }: PathHop): PathHop => hop;
const plain = <T extends { path: PathHop[] }>(answers: T[]) =>
  answers.map((a) => ({ ...a, path: a.path.map(withoutGrant) }));
const findingRows = (findings: Finding[]) =>
  findings.map((f) => ({
    rule: f.ruleId,
    severity: f.severity,
    subject: f.subject.id,
    target: f.target?.id,
    message: f.message,
    path: f.path.map((h) => ({
      from: h.from.id,
      to: h.to.id,
      type: h.type,
      levels: h.levels,
      conditional: h.conditional,
      evidence: h.evidence,
      reason: h.reason,
    })),
  }));

/** What `explain` shows of an edge, less what a load stamps on it. */
const explained = (edge: Awaited<ReturnType<ApiGraph['edge']>>) => {
  if (!edge) return null;
  const { firstSeen: _f, lastSeen: _l, lastRunId: _r, scope: _s, ...props } = edge.props;
  // As the API resolves them: a pair through a hub stores no `conditional: false`.
  const conditional = props.conditional === true;
  const conditions = props.conditions ?? [];
  return {
    type: edge.type,
    from: edge.from.id,
    to: edge.to.id,
    props: { ...props, conditional, conditions },
  };
};

/** The questions asked of both forms: pair edges to explain, resources, principals. */
interface Asked {
  pairs: { from: string; type: string; to: string }[];
  resources: { id: string; name: string }[];
  principals: string[];
}

function questions(environment: GcpEnvironment): Asked {
  const pairs = analyzeGcp(environment, { asOf: AS_OF, grantHubs: false })
    .edges.map((e) => ({ from: e.from, type: e.type, to: e.to }))
    .sort((a, b) => `${a.type} ${a.from} ${a.to}`.localeCompare(`${b.type} ${b.from} ${b.to}`));
  // Every 40th pair edge, in a stable order: about a hundred, of every type and shape.
  const sampled = pairs.filter((_, i) => i % 40 === 0);
  const buckets = environment.resources.filter((r) => r.kind === 'bucket').slice(0, 3);
  return {
    pairs: sampled,
    resources: buckets.map((r) => ({ id: dataResourceId(r), name: r.fullName })),
    principals: [
      'user:alice@example.com',
      ...environment.serviceAccounts.slice(0, 3).map((a) => `serviceAccount:${a.email}`),
    ],
  };
}

async function answersOf(environment: GcpEnvironment, grantHubs: boolean, asked: Asked) {
  await wipe(executor);
  const analysis = analyzeGcp(environment, { asOf: AS_OF, grantHubs });
  const inventory = buildGcpInventory(
    environment,
    analysis,
    { sourceName: 'test', onIssue: () => {} },
    { projectEnvironments: {} },
  );
  await publishInventory(executor, validateInventory(inventory, `gcp-${grantHubs}`), { summary: true });
  const summary = (
    await executor.read<{ row: string }>(
      // Through the one expansion every reader uses: a principal's rows may stand on a Grant hub.
      `MATCH (s:Principal)
       ${cypherFile('reachability/summary-rows').text}
       RETURN s.id + ' > ' + r.id + ' | ' + x.hops + ' ' + x.minHops + ' ' + x.levelMask + ' ' + x.allLevelMask + ' ' +
              x.conditional + ' ' + x.firstHop + ' ' + x.viaCode AS row`,
    )
  )
    .map((r) => r.row)
    .sort();
  const q = new GraphPathQueries(executor);
  const rules = loadRules().filter((r) => RULES.includes(r.id));
  expect(rules).toHaveLength(RULES.length);
  // A shared machine may starve the server: the limit is the test's, not the API's.
  const api = new ApiGraph(executor, { timeoutMs: 600_000 });
  const explainedPairs = [];
  for (const { from, type, to } of asked.pairs)
    explainedPairs.push(explained(await api.edge(from, type, to)));
  const iam = await GcpIamQueries.fromGraph(executorReader(executor));
  const whoCan = [];
  for (const resource of asked.resources)
    whoCan.push({
      routes: plain(await q.whoCan({ resource: resource.id })),
      gcp: iam.whoCan({ permission: 'storage.objects.get', resource: resource.name, asOf: AS_OF }),
      canI: asked.principals.map((as) => iam.canI({ as, resource: resource.name, asOf: AS_OF })),
    });
  return {
    hubs: analysis.nodes.length,
    summary,
    reach: plain(await q.reach({ from: 'nonHuman=true', to: 'environment=production' })),
    escalations: plain(await q.escalations()),
    admins: await q.admins(),
    findings: findingRows(await runFindings(executor, rules, { now: AS_OF })),
    explained: explainedPairs,
    whoCan,
  };
}

describe('GCP Grant hubs in Neo4j', () => {
  let hubbed: Awaited<ReturnType<typeof answersOf>>;
  let pairs: Awaited<ReturnType<typeof answersOf>>;
  let org: string;
  beforeAll(async () => {
    const environment = organization();
    org = `gcp:${[...environment.containers.values()].find((c) => c.kind === 'organization')?.name}`;
    const asked = questions(environment);
    hubbed = await answersOf(environment, true, asked);
    pairs = await answersOf(environment, false, asked);
  }, 1_200_000);

  it('answer as the pair edges they stand for', () => {
    expect(hubbed.hubs).toBeGreaterThan(0);
    expect(pairs.hubs).toBe(0);
    expect(hubbed.summary.length).toBeGreaterThan(0);
    expect(hubbed.summary).toEqual(pairs.summary);
    expect(hubbed.reach).toEqual(pairs.reach);
    expect(hubbed.escalations).toEqual(pairs.escalations);
    expect(hubbed.admins.length).toBeGreaterThan(0);
    expect(hubbed.admins).toEqual(pairs.admins);
  });

  it('explain every pair edge as it was analyzed, and answer who-can and can-i alike', () => {
    expect(hubbed.explained.length).toBeGreaterThan(50);
    expect(hubbed.explained.every((e) => e !== null)).toBe(true);
    expect(hubbed.explained).toEqual(pairs.explained);
    expect(hubbed.whoCan.some((w) => w.routes.length > 0 && w.gcp.length > 0)).toBe(true);
    expect(hubbed.whoCan).toEqual(pairs.whoCan);
  });

  it('give the GCP rules the same findings, the owner at its topmost level only', () => {
    expect(hubbed.findings).toEqual(pairs.findings);
    const rule = (id: string) => hubbed.findings.filter((f) => f.rule === id);
    expect(rule('gcp-public-data').length).toBeGreaterThan(0);
    const chains = rule('gcp-impersonation-chain-to-owner');
    expect(chains.length).toBeGreaterThan(0);
    // The owners hold roles/owner on the organization: alice's chain ends there, not at a level below.
    expect(chains.filter((f) => f.subject === 'gcp:user:alice@example.com').map((f) => f.target)).toEqual([
      org,
    ]);
    expect(rule('nhi-administrator').length).toBeGreaterThan(0);
  });
});
