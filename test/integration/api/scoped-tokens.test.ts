import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/api/auth.js';
import { SCOPED_QUERIES } from '../../../src/api/visibility.js';
import { createApi } from '../../../src/api/yoga.js';
import { ApiConfigSchema } from '../../../src/config/api.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { packageRoot } from '../../../src/package-root.js';
import { providerJobs, syncProviders } from '../../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { recordReport } from '../../../src/records/report-runs.js';
import { buildReport } from '../../../src/reports/build.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlBody, graphqlData } from '../../helpers/graphql.js';

// Scoped and read-only tokens over the sample estate (AWS, the EKS cluster prod-payments, GCP) in a
// real Neo4j: a token scoped to the AWS account 222222222222 and the namespace prod-payments/payments
// sees, through every question a scoped token may ask, only identities and resources inside those,
// and its answers are exactly the full token's answers restricted to them. The route between two
// in-scope ends is shown whole (docs/api.md#scoped-tokens).

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const SAMPLE = join(packageRoot(), 'examples', 'sample-env');
const FULL = 'rg_full_token';
const SCOPED = 'rg_scoped_token';
const READ_ONLY = 'rg_read_only_token';
const api = createApi({
  executor,
  config: ApiConfigSchema.parse({
    tokens: [
      { name: 'full', sha256: hashToken(FULL) },
      {
        name: 'payments-portal',
        sha256: hashToken(SCOPED),
        scope: { accounts: ['222222222222'], namespaces: ['prod-payments/payments'] },
      },
      { name: 'reader', sha256: hashToken(READ_ONLY), readOnly: true },
    ],
    maxComplexity: 20_000,
    // Generous: the whole estate's paths, page after page, on a loaded machine.
    queryTimeoutMs: 120_000,
    requestTimeoutMs: 240_000,
  }),
});

const post = (token: string, query: string, variables: Record<string, unknown> = {}): Promise<Json> =>
  graphqlBody(api, query, { token, variables });
const gql = (token: string, query: string, variables: Record<string, unknown> = {}): Promise<Json> =>
  graphqlData(api, query, { token, variables });

/** Every row of a connection, page by page. */
async function all(
  token: string,
  field: string,
  query: string,
  variables: Record<string, unknown> = {},
  first = 100,
) {
  const rows: Json[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Json = await gql(token, query, { ...variables, first, after });
    rows.push(...data[field].edges.map((e: Json) => e.node));
    if (!data[field].pageInfo.hasNextPage) return rows;
    after = data[field].pageInfo.endCursor;
  }
}

/** Which nodes (identities, resources, policies…) the scope admits, by this test's own reading of the rule. */
let inScope: Set<string>;
let everything: Set<string>;

const IDENTITIES = `query($first: Int, $after: String) {
  identities(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } }
}`;
const RESOURCES = `query($first: Int, $after: String) {
  resources(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } }
}`;
const PATHS = `query($first: Int, $after: String) {
  paths(from: {}, to: {}, maxHops: 6, first: $first, after: $after) {
    edges { node { from { id } to { id } length hops { from { id } to { id } edge { type } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const REACHABLE_FROM = `query($id: ID!, $first: Int, $after: String) {
  reachableFrom(identity: $id, first: $first, after: $after) {
    edges { node { from { id } to { id } } } pageInfo { hasNextPage endCursor }
  }
}`;
const WHO_CAN_REACH = `query($id: ID!, $first: Int, $after: String) {
  whoCanReach(resource: $id, first: $first, after: $after) {
    edges { node { from { id } to { id } } } pageInfo { hasNextPage endCursor }
  }
}`;
const FINDINGS = `query($first: Int, $after: String) {
  findings(first: $first, after: $after) {
    edges { node { fingerprint subject { id node { id } } target { id } path { from { id node { id } } to { id } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const pair = (p: Json) => `${p.from.id} -> ${p.to.id}`;
const visiblePair = (p: Json) => inScope.has(p.from.id) && inScope.has(p.to.id);

beforeAll(async () => {
  await wipe(executor);
  const config = ConfigSchema.parse({});
  const synced = await syncProviders(
    executor,
    providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot: SAMPLE, options: {} }, config),
    { summary: true },
  );
  expect(synced.load.status).toBe('succeeded');
  await recordReport(executor, await buildReport(executor, {}));
  const rows = await executor.read<{ id: string; inScope: boolean }>(
    `MATCH (n:Entity)
     RETURN n.id AS id,
            coalesce(n.scope = 'aws:222222222222', false) OR coalesce(n.accountId = '222222222222', false)
            OR (coalesce(n.scope = 'k8s:prod-payments', false)
                AND (coalesce(n.namespace = 'payments', false) OR n.id = 'k8s:prod-payments:ns:payments')) AS inScope`,
  );
  everything = new Set(rows.map((r) => r.id));
  inScope = new Set(rows.filter((r) => r.inScope).map((r) => r.id));
}, 900_000);

afterAll(() => executor.close());

describe('a token scoped to an account and a namespace', () => {
  it('lists only the identities and resources inside them, in full pages', async () => {
    const identities = (await all(SCOPED, 'identities', IDENTITIES)).map((n) => n.id);
    const resources = (await all(SCOPED, 'resources', RESOURCES)).map((n) => n.id);
    const fullIdentities = (await all(FULL, 'identities', IDENTITIES)).map((n) => n.id);
    const fullResources = (await all(FULL, 'resources', RESOURCES)).map((n) => n.id);
    expect(identities).toEqual(fullIdentities.filter((id) => inScope.has(id)));
    expect(resources).toEqual(fullResources.filter((id) => inScope.has(id)));
    // Hand-checked against examples/sample-env: the account's roles, the namespace's workloads.
    expect(identities).toEqual(
      expect.arrayContaining([
        'arn:aws:iam::222222222222:role/payments-irsa',
        'arn:aws:iam::222222222222:root',
        'k8s:prod-payments:payments:sa:api',
        'k8s:prod-payments:payments:pod:api-6c8d9f7b5-k2x7q',
      ]),
    );
    for (const outside of [
      'arn:aws:iam::111111111111:role/ci/gha-deploy',
      'k8s:prod-payments:kube-system:sa:default',
      'k8s:prod-payments:user:ci-deploy',
      'gcp:sa:gha-deployer@acme-prod-data.iam.gserviceaccount.com',
    ]) {
      expect(fullIdentities).toContain(outside);
      expect(identities).not.toContain(outside);
    }
    expect(resources).toContain('k8s:prod-payments:payments:secret:payments-db');
    expect(resources).toContain('arn:aws:s3:::acme-prod-customer-data');
    expect(resources).not.toContain('k8s:prod-payments');
    expect(resources).not.toContain('gcp:storage:projects/_/buckets/acme-prod-exports');
    // A page of a search is full: the scope narrows the query, it does not thin its result.
    const page = await gql(SCOPED, '{ identities(first: 3) { edges { node { id } } } }');
    expect(page.identities.edges).toHaveLength(3);
    const search = await gql(
      SCOPED,
      '{ identities(first: 50, filter: { nameContains: "deploy" }) { edges { node { id } } } }',
    );
    expect(search.identities.edges.map((e: Json) => e.node.id)).toEqual([
      'arn:aws:iam::222222222222:role/prod-deployer',
    ]);
  });

  it('finds an in-scope node by id and nothing outside, as if it did not exist', async () => {
    const lookup = async (id: string) =>
      (await gql(SCOPED, 'query($id: ID!) { node(id: $id) { id } }', { id })).node;
    expect(await lookup('arn:aws:iam::222222222222:role/payments-irsa')).toEqual({
      id: 'arn:aws:iam::222222222222:role/payments-irsa',
    });
    expect(await lookup('arn:aws:iam::111111111111:role/ci/gha-deploy')).toBeNull();
    expect(await lookup('k8s:prod-payments')).toBeNull();
    const outside = [...everything].filter((id) => !inScope.has(id));
    expect(outside.length).toBeGreaterThan(50);
    for (const id of outside.slice(0, 40)) expect(await lookup(id), id).toBeNull();
  });

  it('searches and counts within the scope: the explorer search and the blast-radius counts', async () => {
    const SEARCH = `query($first: Int, $after: String) {
      search(text: "payments", first: $first, after: $after) { edges { node { node { id } } } pageInfo { hasNextPage endCursor } }
    }`;
    const full = (await all(FULL, 'search', SEARCH)).map((hit) => hit.node.id);
    const scoped = (await all(SCOPED, 'search', SEARCH)).map((hit) => hit.node.id);
    expect(full.some((id) => !inScope.has(id))).toBe(true);
    expect(scoped.length).toBeGreaterThan(0);
    // The same hits (equally relevant ones may come in another order).
    expect([...scoped].sort()).toEqual(full.filter((id) => inScope.has(id)).sort());
    // The first page is full though the index ranks out-of-scope hits among the first.
    const firstPage = await gql(SCOPED, SEARCH, { first: 2 });
    expect(firstPage.search.edges).toHaveLength(Math.min(2, scoped.length));

    const IRSA = 'arn:aws:iam::222222222222:role/payments-irsa';
    const rows = await all(SCOPED, 'reachableFrom', REACHABLE_FROM, { id: IRSA });
    const counts = await gql(SCOPED, 'query($id: ID!) { reachableFromSummary(identity: $id) { total } }', {
      id: IRSA,
    });
    expect(counts.reachableFromSummary.total).toBe(rows.length);
    const fullCounts = await gql(FULL, 'query($id: ID!) { reachableFromSummary(identity: $id) { total } }', {
      id: IRSA,
    });
    expect(fullCounts.reachableFromSummary.total).toBe(
      (await all(FULL, 'reachableFrom', REACHABLE_FROM, { id: IRSA })).length,
    );
  });

  it('answers paths, blast radius and who-can-reach as the full token does, restricted to the scope', async () => {
    const full = await all(FULL, 'paths', PATHS);
    const scoped = await all(SCOPED, 'paths', PATHS);
    expect(scoped.length).toBeGreaterThan(5);
    expect(scoped.map(pair)).toEqual(full.filter(visiblePair).map(pair));
    expect(full.length).toBeGreaterThan(scoped.length);

    // The route between two in-scope ends is shown whole, hops outside the scope included: the
    // deploy role of the account reaches the namespace's database secret through the cluster user
    // aws-auth maps it to.
    const through = scoped.find(
      (p) =>
        p.from.id === 'arn:aws:iam::222222222222:role/prod-deployer' &&
        p.to.id === 'k8s:prod-payments:payments:secret:payments-db',
    );
    expect(through.hops.map((h: Json) => h.to.id)).toContain('k8s:prod-payments:user:ci-deploy');

    const irsa = 'arn:aws:iam::222222222222:role/payments-irsa';
    const blast = await all(SCOPED, 'reachableFrom', REACHABLE_FROM, { id: irsa });
    const fullBlast = await all(FULL, 'reachableFrom', REACHABLE_FROM, { id: irsa });
    expect(blast.length).toBeGreaterThan(0);
    expect(blast.map(pair)).toEqual(fullBlast.filter(visiblePair).map(pair));

    const secret = 'k8s:prod-payments:payments:secret:payments-db';
    const who = await all(SCOPED, 'whoCanReach', WHO_CAN_REACH, { id: secret });
    const fullWho = await all(FULL, 'whoCanReach', WHO_CAN_REACH, { id: secret });
    expect(who.map(pair)).toEqual(fullWho.filter(visiblePair).map(pair));
    expect(fullWho.length).toBeGreaterThan(who.length);

    // Out-of-scope ends are unknown ids, as for a node the graph does not have.
    const outsideFrom = await post(SCOPED, REACHABLE_FROM, {
      id: 'arn:aws:iam::111111111111:role/ci/gha-deploy',
      first: 5,
    });
    expect(outsideFrom.errors[0].message).toBe(
      'no identity with id "arn:aws:iam::111111111111:role/ci/gha-deploy"',
    );
    const outsideTo = await post(SCOPED, WHO_CAN_REACH, {
      id: 'gcp:storage:projects/_/buckets/acme-prod-exports',
      first: 5,
    });
    expect(outsideTo.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('keeps findings, escalations and explanations to the scope', async () => {
    // Pages of 20: each finding's path looks up the live node of every hop.
    const full = await all(FULL, 'findings', FINDINGS, {}, 20);
    const scoped = await all(SCOPED, 'findings', FINDINGS, {}, 20);
    const visible = (f: Json) => inScope.has(f.subject.id) && (!f.target || inScope.has(f.target.id));
    expect(scoped.length).toBeGreaterThan(0);
    expect(scoped.map((f) => f.fingerprint)).toEqual(full.filter(visible).map((f) => f.fingerprint));
    // A finding path's out-of-scope hop is named, but its live node is not opened.
    for (const finding of scoped)
      for (const hop of finding.path)
        if (!inScope.has(hop.from.id)) expect(hop.from.node, hop.from.id).toBeNull();

    const escalations = `{ escalations { principal target identity { id } } }`;
    const fullEscalations = (await gql(FULL, escalations)).escalations;
    const scopedEscalations = (await gql(SCOPED, escalations)).escalations;
    expect(scopedEscalations.length).toBeGreaterThan(0);
    expect(scopedEscalations).toEqual(
      fullEscalations.filter((e: Json) => inScope.has(e.principal) && inScope.has(e.target)),
    );

    const explain = 'query($edge: ID!) { explain(edge: $edge) { id } }';
    const inside =
      'k8s:prod-payments:payments:sa:api|FEDERATES_TO|arn:aws:iam::222222222222:role/payments-irsa';
    const across =
      'arn:aws:iam::111111111111:role/ci/gha-deploy|CAN_ASSUME|arn:aws:iam::222222222222:role/prod-deployer';
    expect((await gql(FULL, explain, { edge: across })).explain).toEqual({ id: across });
    expect((await gql(SCOPED, explain, { edge: across })).explain).toBeNull();
    expect((await gql(SCOPED, explain, { edge: inside })).explain).toEqual({ id: inside });
  });

  it('does not open a path out of the scope from a node it may see', async () => {
    const edges = `query($id: ID!, $direction: EdgeDirection) {
      node(id: $id) { edges(direction: $direction, first: 100) { edges { node { from { id } to { id } } } } }
    }`;
    const deployer = 'arn:aws:iam::222222222222:role/prod-deployer';
    const fullIn = (await gql(FULL, edges, { id: deployer, direction: 'IN' })).node.edges.edges;
    const scopedIn = (await gql(SCOPED, edges, { id: deployer, direction: 'IN' })).node.edges.edges;
    expect(fullIn.map((e: Json) => e.node.from.id)).toContain('arn:aws:iam::111111111111:role/ci/gha-deploy');
    expect(scopedIn.map((e: Json) => e.node)).toEqual(
      fullIn.map((e: Json) => e.node).filter((e: Json) => inScope.has(e.from.id)),
    );
    // An out-of-scope hop of a visible route shows what it is, not where else it leads.
    const routes = await all(
      SCOPED,
      'reachableFrom',
      `query($from: ID!, $first: Int, $after: String) {
        reachableFrom(identity: $from, first: $first, after: $after) { edges { node { to { id }
          hops { to { id edges(first: 5) { edges { node { to { id } } } } ... on Identity { credentials { id } } } } } }
          pageInfo { hasNextPage endCursor } } }`,
      { from: deployer },
      20,
    );
    const hop = routes
      .flatMap((p: Json) => p.hops)
      .find((h: Json) => h.to.id === 'k8s:prod-payments:user:ci-deploy');
    expect(hop).toBeDefined();
    expect(hop.to.edges.edges).toEqual([]);
  });

  it('refuses the questions over the whole estate, and any mutation', async () => {
    for (const query of ['{ runs { id } }', '{ reportRuns { id } }', '{ anomalies { days } }']) {
      const body = await post(SCOPED, query);
      expect(body.errors[0].extensions.code, query).toBe('FORBIDDEN');
      expect(body.data).toBeNull();
    }
    const gcp = await post(
      SCOPED,
      '{ gcpWhoCan(permission: "storage.objects.get", resource: "gs://acme-prod-exports") { __typename } }',
    );
    expect(gcp.errors[0].extensions.code).toBe('FORBIDDEN');
    // Every question a scoped token may ask exists in the schema.
    const fields = (await gql(FULL, '{ __schema { queryType { fields { name } } } }')).__schema.queryType
      .fields;
    const names = fields.map((f: Json) => f.name);
    for (const name of SCOPED_QUERIES) expect(names).toContain(name);

    const mutation = await post(SCOPED, 'mutation { __typename }');
    expect(mutation.errors).toEqual([
      expect.objectContaining({
        message: 'this token is read only: it may run queries, not mutations',
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
  });
});

describe('a read-only token', () => {
  it('runs queries over the whole estate and no mutation', async () => {
    const data = await gql(READ_ONLY, '{ runs(last: 1) { status } }');
    expect(data.runs).toEqual([{ status: 'SUCCEEDED' }]);
    const refused = await post(READ_ONLY, 'mutation Refresh { __typename }');
    expect(refused.errors[0].extensions.code).toBe('FORBIDDEN');
    // A full token's mutation reaches the schema (which declares none today).
    const full = await post(FULL, 'mutation Refresh { __typename }');
    expect(full.errors[0].extensions?.code).not.toBe('FORBIDDEN');
    expect(full.errors[0].message).toMatch(/mutation/i);
  });
});
