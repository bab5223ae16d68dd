import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticGcpRaw } from '../../bench/synthetic-gcp.js';
import { analyzeGcp } from '../../src/analyzers/gcp-iam/analyze.js';
import type { PathHop } from '../../src/answers/answer-types.js';
import { GraphPathQueries } from '../../src/answers/questions.js';
import { transformGcp } from '../../src/collectors/gcp/transform.js';
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
 * with its inherited bindings as Grant hubs and then as pair edges, gives the same summary rows,
 * routes, escalations, administrators and findings of the GCP rules that read those edges
 * (gcp-impersonation-chain-to-owner's topmost owner, gcp-public-data, nhi-administrator).
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
/** A stored edge's one-line reason counts its further records; a hub's pair shows its member leg's. */
const reasonOnly = (text: string | null | undefined) => (text ?? '').replace(/ \(\+\d+ more\)/g, '');
const findingRows = (findings: Finding[]) =>
  findings.map((f) => ({
    rule: f.ruleId,
    severity: f.severity,
    subject: f.subject.id,
    target: f.target?.id,
    message: reasonOnly(f.message),
    path: f.path.map((h) => ({
      from: h.from.id,
      to: h.to.id,
      type: h.type,
      levels: h.levels,
      conditional: h.conditional,
      evidence: h.evidence,
      reason: reasonOnly(h.reason),
    })),
  }));

async function answersOf(environment: GcpEnvironment, grantHubs: boolean) {
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
      `MATCH (a)-[r:REACHES]->(b)
       RETURN a.id + ' > ' + b.id + ' | ' + r.hops + ' ' + r.minHops + ' ' + r.levelMask + ' ' + r.allLevelMask + ' ' +
              r.conditional + ' ' + r.firstHop + ' ' + r.viaCode AS row`,
    )
  )
    .map((r) => r.row)
    .sort();
  const q = new GraphPathQueries(executor);
  const rules = loadRules().filter((r) => RULES.includes(r.id));
  expect(rules).toHaveLength(RULES.length);
  return {
    hubs: analysis.nodes.length,
    summary,
    reach: plain(await q.reach({ from: 'nonHuman=true', to: 'environment=production' })),
    escalations: plain(await q.escalations()),
    findings: findingRows(await runFindings(executor, rules, { now: AS_OF })),
  };
}

describe('GCP Grant hubs in Neo4j', () => {
  let hubbed: Awaited<ReturnType<typeof answersOf>>;
  let pairs: Awaited<ReturnType<typeof answersOf>>;
  let org: string;
  beforeAll(async () => {
    const environment = organization();
    org = `gcp:${[...environment.containers.values()].find((c) => c.kind === 'organization')?.name}`;
    hubbed = await answersOf(environment, true);
    pairs = await answersOf(environment, false);
  }, 600_000);

  it('answer as the pair edges they stand for', () => {
    expect(hubbed.hubs).toBeGreaterThan(0);
    expect(pairs.hubs).toBe(0);
    expect(hubbed.summary.length).toBeGreaterThan(0);
    expect(hubbed.summary).toEqual(pairs.summary);
    expect(hubbed.reach).toEqual(pairs.reach);
    expect(hubbed.escalations).toEqual(pairs.escalations);
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
