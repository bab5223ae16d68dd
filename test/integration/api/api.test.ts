import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/graph/loader.js';
import { helpReferences, relationshipKind } from '../../../src/model/relationship-kinds.js';
import { parseInventoryText } from '../../../src/model/validate.js';
import { computeReachability } from '../../../src/reachability/compute.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { graphqlData, graphqlErrors, tokenApi } from '../../helpers/graphql.js';

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are untyped JSON; the assertions check their shape.
type Json = any;

const executor = testExecutor();
const TOKEN = 'rg_integration';
const api = tokenApi(executor, TOKEN);
let runId = '';

const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const ids = {
  ciDeploy: `arn:aws:iam::${ACCOUNT_A}:user/ci-deploy`,
  toolingAdmin: `arn:aws:iam::${ACCOUNT_A}:role/tooling-admin`,
  prodDeploy: `arn:aws:iam::${ACCOUNT_B}:role/prod-deploy`,
  bucket: 'arn:aws:s3:::prod-payments-bucket',
  orders: `arn:aws:dynamodb:eu-west-1:${ACCOUNT_B}:table/prod-orders`,
  secret: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT_B}:secret:prod/db-password-AbCdEf`,
  staging: 'arn:aws:s3:::staging-assets',
};

async function gql<T = Record<string, Json>>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  return (await graphqlData(api, query, { token: TOKEN, variables })) as T;
}

const gqlErrors = (query: string, variables: Record<string, unknown> = {}) =>
  graphqlErrors(api, query, { token: TOKEN, variables });

/** How many Neo4j queries the API has started. */
async function neo4jQueries(): Promise<number> {
  const metric = await api.metrics.neo4jSeconds.get();
  return metric.values.filter((v) => v.metricName?.endsWith('_count')).reduce((sum, v) => sum + v.value, 0);
}

const PATHS = `query($from: IdentityFilter!, $to: ResourceFilter!, $maxHops: Int, $via: [EdgeType!], $levels: [AccessLevel!], $first: Int, $after: String) {
  paths(from: $from, to: $to, maxHops: $maxHops, via: $via, levels: $levels, first: $first, after: $after) {
    edges { cursor node { from { name } to { name } length conditional levels via } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface PathNode {
  from: { name: string };
  to: { name: string };
  length: number;
  conditional: boolean;
  levels: string[];
  via: string[];
}

/** Every row of a `paths` question, page by page, as `identity -> resource (hops)` lines. */
async function allPaths(variables: Record<string, unknown>, pageSize = 100): Promise<string[]> {
  const lines: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Json = await gql(PATHS, { ...variables, first: pageSize, after });
    for (const { node } of data.paths.edges as { node: PathNode }[])
      lines.push(`${node.from.name} -> ${node.to.name} (${node.length - 1})`);
    if (!data.paths.pageInfo.hasNextPage) return lines;
    after = data.paths.pageInfo.endCursor;
  }
}

const BOTS_TO_PRODUCTION = { from: { nonHuman: true }, to: { environment: 'PRODUCTION' }, maxHops: 6 };
// Read off examples/sample-inventory.json: every non-human identity reaching a production resource,
// with the fewest hop edges before the final access.
const EXPECTED = [
  'backup-operator -> prod-orders (0)',
  'billing-export -> prod-payments-bucket (1)',
  'billing-export-role -> prod-payments-bucket (0)',
  'ci-deploy -> prod-payments-bucket (2)',
  'ci-deploy -> prod/db-password (2)',
  'github acme/payments@main -> prod-orders (1)',
  'github-actions-deploy -> prod-orders (0)',
  'jenkins nightly-backup -> prod-orders (1)',
  'prod-deploy -> prod-payments-bucket (0)',
  'prod-deploy -> prod/db-password (0)',
  'tooling-admin -> prod-payments-bucket (1)',
  'tooling-admin -> prod/db-password (1)',
];

beforeAll(async () => {
  await wipe(executor);
  const text = readFileSync(new URL('../../../examples/sample-inventory.json', import.meta.url), 'utf8');
  runId = (await loadInventory(executor, parseInventoryText(text, 'sample'))).runId;
});
afterAll(() => executor.close());

/** The path questions, asked the same way with and without the reachability summary. */
const detailed = new Map<string, string[]>();

function pathQuestions(mode: string) {
  describe(`path questions (${mode})`, () => {
    it('records every row with its levels and conditional flag', async () => {
      const rows: string[] = [];
      for (const levels of [undefined, ['WRITE']]) {
        const data: Json = await gql(PATHS, { ...BOTS_TO_PRODUCTION, levels, first: 100 });
        for (const { node } of data.paths.edges as { node: PathNode }[])
          rows.push(
            `${levels ?? 'any'}: ${node.from.name} -> ${node.to.name} (${node.length - 1}) [${node.levels}] via [${node.via}]${node.conditional ? ' conditional' : ''}`,
          );
      }
      detailed.set(mode, rows);
    });

    it('paths: which bots can reach production data', async () => {
      expect((await allPaths(BOTS_TO_PRODUCTION)).sort()).toEqual([...EXPECTED].sort());
    });

    it('pages never skip or repeat a row', async () => {
      const paged = await allPaths(BOTS_TO_PRODUCTION, 5);
      expect(paged).toEqual([...new Set(paged)]);
      expect(paged.sort()).toEqual([...EXPECTED].sort());
    });

    it('maxHops bounds the hop edges before the final access', async () => {
      expect((await allPaths({ ...BOTS_TO_PRODUCTION, maxHops: 1 })).sort()).toEqual(
        EXPECTED.filter((l) => !l.endsWith('(2)')).sort(),
      );
      expect((await allPaths({ ...BOTS_TO_PRODUCTION, maxHops: 0 })).sort()).toEqual(
        EXPECTED.filter((l) => l.endsWith('(0)')).sort(),
      );
    });

    it('via restricts the hop types a route may use', async () => {
      expect((await allPaths({ ...BOTS_TO_PRODUCTION, via: ['RUNS_AS'] })).sort()).toEqual(
        [...EXPECTED.filter((l) => l.endsWith('(0)')), 'billing-export -> prod-payments-bucket (1)'].sort(),
      );
      expect(await gqlErrors(PATHS, { ...BOTS_TO_PRODUCTION, via: ['CAN_ACCESS'] })).toEqual([
        expect.stringMatching(/via takes hop edge types.*CAN_ACCESS can only end a path/),
      ]);
    });

    it('levels keeps routes whose final access grants one of them', async () => {
      expect((await allPaths({ ...BOTS_TO_PRODUCTION, levels: ['WRITE'] })).sort()).toEqual(
        [
          'backup-operator -> prod-orders (0)',
          'ci-deploy -> prod-payments-bucket (2)',
          'github acme/payments@main -> prod-orders (1)',
          'github-actions-deploy -> prod-orders (0)',
          'jenkins nightly-backup -> prod-orders (1)',
          'prod-deploy -> prod-payments-bucket (0)',
          'tooling-admin -> prod-payments-bucket (1)',
        ].sort(),
      );
    });

    it('explains each hop with its reason and evidence, and marks conditional routes', async () => {
      const data = await gql(
        `{ paths(from: {nameContains: "CI-DEPLOY"}, to: {kind: ["AwsS3Bucket"], environment: PRODUCTION}) {
            edges { node { length conditional levels
              hops { from { id } to { id } edge { id type reason conditional evidence { source ref statement reason } } } } } } }`,
      );
      const [path] = data.paths.edges.map((e: Json) => e.node);
      expect(path.length).toBe(3);
      expect(path.conditional).toBe(false);
      expect(path.levels).toEqual(['READ', 'WRITE']);
      expect(path.hops.map((h: Json) => [h.from.id, h.edge.type, h.to.id])).toEqual([
        [ids.ciDeploy, 'CAN_ASSUME', ids.toolingAdmin],
        [ids.toolingAdmin, 'CAN_ASSUME', ids.prodDeploy],
        [ids.prodDeploy, 'CAN_ACCESS', ids.bucket],
      ]);
      expect(path.hops[1].edge.evidence).toEqual([
        expect.objectContaining({ source: 'trust-policy', ref: ids.prodDeploy, statement: 'AllowTooling' }),
      ]);
      expect(path.hops.every((h: Json) => h.edge.reason.length > 10)).toBe(true);

      const jenkins = await gql(
        `{ paths(from: {kind: ["CustomIdentity"]}, to: {environment: PRODUCTION}) {
            edges { node { conditional hops { edge { type conditional conditions evidence { conditions } } } } } } }`,
      );
      const [route] = jenkins.paths.edges.map((e: Json) => e.node);
      expect(route.conditional).toBe(true);
      expect(route.hops[0].edge).toMatchObject({
        type: 'CAN_ASSUME',
        conditional: true,
        conditions: ['aws:SourceIp'],
        evidence: [{ conditions: ['aws:SourceIp'] }],
      });
    });

    it('whoCanReach: every identity that can reach a resource, humans included', async () => {
      const query = `query($id: ID!, $levels: [AccessLevel!]) { whoCanReach(resource: $id, levels: $levels, first: 50) {
        edges { node { from { name nonHuman } length } } } }`;
      const names = async (levels?: string[]) =>
        (await gql(query, { id: ids.bucket, levels })).whoCanReach.edges
          .map((e: Json) => `${e.node.from.name} (${e.node.length - 1})`)
          .sort();
      // alice reaches tooling-admin only with MFA: a conditional route, still a route.
      expect(await names()).toEqual(
        [
          'alice (2)',
          'billing-export (1)',
          'billing-export-role (0)',
          'ci-deploy (2)',
          'prod-deploy (0)',
          'tooling-admin (1)',
        ].sort(),
      );
      expect(await names(['WRITE'])).toEqual([
        'alice (2)',
        'ci-deploy (2)',
        'prod-deploy (0)',
        'tooling-admin (1)',
      ]);
    });

    it('reachableFrom: the blast radius of one identity', async () => {
      const data = await gql(
        `query($id: ID!) { reachableFrom(identity: $id) { edges { node { to { id } length } } } }`,
        {
          id: ids.ciDeploy,
        },
      );
      expect(
        data.reachableFrom.edges.map((e: Json) => `${e.node.to.id} (${e.node.length - 1})`).sort(),
      ).toEqual([`${ids.bucket} (2)`, `${ids.secret} (2)`, `${ids.staging} (0)`].sort());
    });

    it('path: how one identity reaches one resource, or null', async () => {
      const query = `query($from: ID!, $to: ID!, $maxHops: Int) { path(from: $from, to: $to, maxHops: $maxHops) {
        from { id } to { id } length levels via hops { from { id } edge { type evidence { ref } } to { id } } } }`;
      const data = await gql(query, { from: ids.ciDeploy, to: ids.bucket });
      expect(data.path).toMatchObject({
        from: { id: ids.ciDeploy },
        to: { id: ids.bucket },
        length: 3,
        via: ['CAN_ASSUME', 'CAN_ASSUME'],
      });
      expect(data.path.hops.map((h: Json) => `${h.from.id} ${h.edge.type} ${h.to.id}`)).toEqual([
        `${ids.ciDeploy} CAN_ASSUME ${ids.toolingAdmin}`,
        `${ids.toolingAdmin} CAN_ASSUME ${ids.prodDeploy}`,
        `${ids.prodDeploy} CAN_ACCESS ${ids.bucket}`,
      ]);
      for (const hop of data.path.hops) expect(hop.edge.evidence.length).toBeGreaterThan(0);
      // The same answer as the blast radius's row for the pair.
      const radius = await gql(
        `query($id: ID!) { reachableFrom(identity: $id) { edges { node { to { id } length levels via } } } }`,
        { id: ids.ciDeploy },
      );
      const row = radius.reachableFrom.edges.find((e: Json) => e.node.to.id === ids.bucket).node;
      expect({ length: data.path.length, levels: data.path.levels, via: data.path.via }).toEqual({
        length: row.length,
        levels: row.levels,
        via: row.via,
      });
      expect((await gql(query, { from: ids.ciDeploy, to: ids.bucket, maxHops: 1 })).path).toBeNull();
      expect((await gql(query, { from: ids.ciDeploy, to: ids.orders })).path).toBeNull();
      expect(await gqlErrors(query, { from: 'nobody', to: ids.bucket })).toEqual([
        'no identity with id "nobody"',
      ]);
      expect(await gqlErrors(query, { from: ids.ciDeploy, to: 'nothing' })).toEqual([
        'no resource with id "nothing"',
      ]);
    });
  });
}

pathQuestions('no summary yet: bounded shortest-path search');

describe('with the reachability summary', () => {
  beforeAll(async () => {
    await computeReachability(executor, { runId });
  });
  it('is in place', async () => {
    const [row] = await executor.read<{ n: number }>('MATCH ()-[x:REACHES]->() RETURN count(x) AS n');
    expect(row?.n).toBeGreaterThan(0);
  });
});
pathQuestions('from the reachability summary');

describe('summary and search', () => {
  it('give the same rows: hops, levels, hop types and conditional flags', () => {
    const [search, summary] = [...detailed.values()];
    expect(search).toHaveLength(EXPECTED.length + 7);
    expect(summary).toEqual(search);
    expect(summary).toContain(
      'any: jenkins nightly-backup -> prod-orders (1) [READ,WRITE] via [CAN_ASSUME] conditional',
    );
    expect(summary).toContain(
      'any: ci-deploy -> prod-payments-bucket (2) [READ,WRITE] via [CAN_ASSUME,CAN_ASSUME]',
    );
  });
});

describe('identities, resources, nodes and edges', () => {
  it('identities: filtered and paged in id order', async () => {
    const query = `query($after: String) { identities(filter: {nonHuman: true, environment: [PRODUCTION]}, first: 2, after: $after) {
      edges { node { __typename id name nhiType environment } } pageInfo { hasNextPage endCursor } } }`;
    const seen: Json[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Json = await gql(query, { after });
      seen.push(...data.identities.edges.map((e: Json) => e.node));
      if (!data.identities.pageInfo.hasNextPage) break;
      after = data.identities.pageInfo.endCursor;
    }
    expect(seen.map((n) => n.name).sort()).toEqual(
      [
        'backup-operator',
        'billing-export',
        'billing-export-role',
        'github-actions-deploy',
        'prod-deploy',
      ].sort(),
    );
    expect(seen.map((n) => n.id)).toEqual([...seen.map((n) => n.id)].sort());
    expect(seen.find((n) => n.name === 'prod-deploy')).toMatchObject({
      __typename: 'AwsRole',
      nhiType: 'ROLE',
    });
  });

  it('resources: by environment and sensitivity', async () => {
    const data = await gql(
      `{ resources(filter: {environment: PRODUCTION, sensitivity: [HIGH]}) { edges { node { __typename name sensitivity } } } }`,
    );
    expect(data.resources.edges.map((e: Json) => `${e.node.__typename} ${e.node.name}`).sort()).toEqual(
      [
        'AwsDynamoDbTable prod-orders',
        'AwsS3Bucket prod-payments-bucket',
        'AwsSecret prod/db-password',
      ].sort(),
    );
  });

  it('node: an identity with its credentials (metadata only) and its outgoing edges', async () => {
    const data = await gql(
      `query($id: ID!) { node(id: $id) { __typename id ... on Identity { nonHuman nhiType
         credentials { id kind status ageDays lastUsedAt } }
         edges(direction: OUT) { edges { node { id type to { id } } } } } }`,
      { id: ids.ciDeploy },
    );
    expect(data.node).toMatchObject({ __typename: 'AwsUser', nonHuman: true, nhiType: 'CI_PIPELINE' });
    expect(data.node.credentials).toEqual([
      {
        id: 'aws:key:AKIAEXAMPLECIDEPLOY01',
        kind: 'AwsAccessKey',
        status: 'active',
        ageDays: 659,
        lastUsedAt: '2026-11-23T22:10:00.000Z',
      },
    ]);
    expect(data.node.edges.edges.map((e: Json) => `${e.node.type} ${e.node.to.id}`)).toEqual([
      `CAN_ACCESS ${ids.staging}`,
      `CAN_ASSUME ${ids.toolingAdmin}`,
    ]);
    expect(await gql(`{ node(id: "arn:aws:iam::${ACCOUNT_A}:role/nobody") { id } }`)).toEqual({ node: null });
  });

  it('explain: one edge by id, with its evidence', async () => {
    const id = `${ids.toolingAdmin}|CAN_ASSUME|${ids.prodDeploy}`;
    const data = await gql(
      `query($id: ID!) { explain(edge: $id) { id type reason from { id } to { id } evidence { statement } } }`,
      {
        id,
      },
    );
    expect(data.explain).toMatchObject({
      id,
      type: 'CAN_ASSUME',
      from: { id: ids.toolingAdmin },
      to: { id: ids.prodDeploy },
      evidence: [{ statement: 'AllowTooling' }],
    });
    expect(data.explain.reason).toMatch(/trust policy of prod-deploy/);
    expect(
      (await gql(`{ explain(edge: "${ids.prodDeploy}|CAN_ASSUME|${ids.toolingAdmin}") { id } }`)).explain,
    ).toBeNull();
    expect(await gqlErrors(`{ explain(edge: "not-an-edge") { id } }`)).toEqual([
      expect.stringMatching(/invalid edge id "not-an-edge"/),
    ]);
  });

  it('explain: the edge’s kind carries its meaning, ATT&CK technique and help from the vocabulary', async () => {
    const before = await neo4jQueries();
    const data = await gql(
      `query($id: ID!) { explain(edge: $id) { kind { type category meaning attack { id name url } help { general abuse remediation references { title url } } } } }`,
      { id: `${ids.toolingAdmin}|CAN_ASSUME|${ids.prodDeploy}` },
    );
    const assume = relationshipKind('CAN_ASSUME');
    expect(data.explain.kind).toEqual({
      type: 'CAN_ASSUME',
      category: 'HOP',
      meaning: assume?.meaning,
      attack: {
        id: 'T1548.005',
        name: 'Abuse Elevation Control Mechanism: Temporary Elevated Cloud Access',
        url: 'https://attack.mitre.org/techniques/T1548/005/',
      },
      help: {
        general: assume?.help?.general,
        abuse: assume?.help?.abuse,
        remediation: assume?.help?.remediation,
        references: assume ? helpReferences(assume) : [],
      },
    });
    // The kind is read from the vocabulary: the edge lookup is the only query.
    expect((await neo4jQueries()) - before).toBe(1);
  });

  it('runs: the load that wrote the graph', async () => {
    const data = await gql(`{ runs(last: 5) { id status counts { key value } } }`);
    expect(data.runs[0]).toMatchObject({ id: runId, status: 'SUCCEEDED' });
    expect(data.runs[0].counts).toContainEqual({ key: 'CAN_ASSUME', value: 4 });
  });

  it('escalations: answers (the sample estate has no administrators, so nobody escalates)', async () => {
    expect(await gql(`{ escalations(account: "${ACCOUNT_B}") { principal hops } }`)).toEqual({
      escalations: [],
    });
    expect(await gqlErrors(`{ escalations(account: "prod") { principal } }`)).toEqual([
      expect.stringMatching(/12-digit/),
    ]);
  });

  it('unknown ids are clear errors', async () => {
    expect(await gqlErrors(`{ whoCanReach(resource: "arn:aws:s3:::nope") { edges { cursor } } }`)).toEqual([
      'no resource with id "arn:aws:s3:::nope"',
    ]);
  });

  it('healthz checks Neo4j; metrics time every query', async () => {
    const health = await api.yoga.fetch('http://localhost/healthz');
    expect(await health.json()).toEqual({ status: 'ok', neo4j: 'up' });
    const metrics = await (
      await api.yoga.fetch('http://localhost/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    expect(metrics).toMatch(
      /reachgraph_neo4j_query_duration_seconds_count\{query="answers\/reaches",outcome="ok"\} [1-9]/,
    );
    expect(metrics).toMatch(/reachgraph_api_request_duration_seconds_count\{path="\/graphql"\} [1-9]/);
  });
});
