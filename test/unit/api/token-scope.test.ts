import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { ANY_NODE, matchesFilter } from '../../../src/answers/filters.js';
import { useReadOnly } from '../../../src/api/read-only.js';
import { accessOf, FULL_ACCESS, TokenScope } from '../../../src/api/token-scope.js';
import { parseScopeOptions } from '../../../src/cli/token.js';
import { ApiTokenSchema } from '../../../src/config/api.js';
import { graphqlBody } from '../../helpers/graphql.js';

const node = (id: string, kind: string, properties: Record<string, string> = {}) => ({
  id,
  labels: [kind],
  properties,
});

describe('a token scope', () => {
  const scope = new TokenScope({
    accounts: ['222222222222'],
    projects: ['acme-prod-data'],
    namespaces: ['prod-payments/payments'],
  });

  it('admits the nodes collected from its accounts, projects and namespaces, and their account root', () => {
    expect(
      scope.contains(node('arn:aws:iam::222222222222:role/x', 'AwsRole', { scope: 'aws:222222222222' })),
    ).toBe(true);
    expect(
      scope.contains(node('arn:aws:iam::222222222222:root', 'AwsAccountRoot', { accountId: '222222222222' })),
    ).toBe(true);
    expect(
      scope.contains(node('arn:aws:iam::111111111111:role/x', 'AwsRole', { scope: 'aws:111111111111' })),
    ).toBe(false);
    expect(
      scope.contains(
        node('gcp:sa:a@acme-prod-data.iam.gserviceaccount.com', 'GcpServiceAccount', {
          scope: 'gcp:acme-prod-data',
        }),
      ),
    ).toBe(true);
    expect(
      scope.contains(
        node('k8s:prod-payments:payments:sa:api', 'K8sServiceAccount', {
          scope: 'k8s:prod-payments',
          namespace: 'payments',
        }),
      ),
    ).toBe(true);
    expect(
      scope.contains(node('k8s:prod-payments:ns:payments', 'K8sNamespace', { scope: 'k8s:prod-payments' })),
    ).toBe(true);
    // Cluster-wide nodes and other namespaces are outside a namespace.
    expect(scope.contains(node('k8s:prod-payments', 'K8sCluster', { scope: 'k8s:prod-payments' }))).toBe(
      false,
    );
    expect(scope.contains(node('k8s:prod-payments:user:ci', 'K8sUser', { scope: 'k8s:prod-payments' }))).toBe(
      false,
    );
    expect(
      scope.contains(
        node('k8s:prod-payments:kube-system:sa:default', 'K8sServiceAccount', {
          scope: 'k8s:prod-payments',
          namespace: 'kube-system',
        }),
      ),
    ).toBe(false);
    // Shared nodes only for a whole provider.
    expect(scope.contains(node('arn:aws:iam::aws:policy/AdministratorAccess', 'AwsPolicy'))).toBe(false);
    expect(
      new TokenScope({ providers: ['aws'] }).contains(
        node('arn:aws:iam::aws:policy/AdministratorAccess', 'AwsPolicy'),
      ),
    ).toBe(true);
  });

  it('places a node known only by id, kind and scope (a finding subject) by its namespace in the id', () => {
    expect(
      scope.containsRef({
        id: 'k8s:prod-payments:payments:pod:api-1',
        kind: 'K8sPod',
        scope: 'k8s:prod-payments',
      }),
    ).toBe(true);
    expect(
      scope.containsRef({
        id: 'k8s:prod-payments:monitoring:pod:x',
        kind: 'K8sPod',
        scope: 'k8s:prod-payments',
      }),
    ).toBe(false);
  });

  it('narrows a filter of the filter language, which matches in memory as in Cypher', () => {
    const narrowed = scope.narrow({ ...ANY_NODE, nonHuman: true });
    expect(narrowed.nonHuman).toBe(true);
    expect(narrowed.within).toHaveLength(3);
    const role = node('arn:aws:iam::222222222222:role/x', 'AwsRole', { scope: 'aws:222222222222' });
    expect(
      matchesFilter({ ...role, properties: { ...role.properties, nonHuman: true } } as never, narrowed),
    ).toBe(true);
    expect(
      matchesFilter(
        node('arn:aws:iam::1:role/y', 'AwsRole', { scope: 'aws:111111111111' }),
        scope.narrow(ANY_NODE),
      ),
    ).toBe(false);
  });

  it('makes a token read only, and a scoped token read only unless it says otherwise (which is refused)', () => {
    const sha256 = 'a'.repeat(64);
    expect(accessOf({ name: 'n', sha256 }).readOnly).toBe(false);
    expect(accessOf({ name: 'n', sha256, readOnly: true }).readOnly).toBe(true);
    expect(accessOf({ name: 'n', sha256, scope: { clusters: ['c'] } })).toMatchObject({ readOnly: true });
    expect(
      ApiTokenSchema.safeParse({ name: 'n', sha256, scope: { clusters: ['c'] }, readOnly: false }).success,
    ).toBe(false);
    expect(ApiTokenSchema.safeParse({ name: 'n', sha256, scope: {} }).success).toBe(false);
  });

  it('is written on the command line as KIND=VALUES', () => {
    expect(
      parseScopeOptions(['account=111111111111,222222222222', 'namespace=c/ns', 'account=111111111111']),
    ).toEqual({
      accounts: ['111111111111', '222222222222'],
      namespaces: ['c/ns'],
    });
    expect(parseScopeOptions([])).toBeUndefined();
    expect(() => parseScopeOptions(['team=payments'])).toThrow(/KIND one of provider, account/);
  });
});

describe('read-only tokens', () => {
  // A schema that has a mutation, so the refusal is the token's, not the schema's.
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { ok: Boolean } type Mutation { refresh: Boolean }',
      resolvers: { Query: { ok: () => true }, Mutation: { refresh: () => true } },
    }),
    plugins: [
      useReadOnly((request) =>
        request.headers.get('authorization') === 'Bearer reader'
          ? { ...FULL_ACCESS, readOnly: true }
          : FULL_ACCESS,
      ),
    ],
  });
  const run = (query: string, token: string) => graphqlBody({ yoga }, query, { token });

  it('run queries, never a mutation, which others may run', async () => {
    expect(await run('{ ok }', 'reader')).toEqual({ data: { ok: true } });
    const refused = await run('mutation { refresh }', 'reader');
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]).toMatchObject({
      message: 'this token is read only: it may run queries, not mutations',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await run('mutation { refresh }', 'writer')).toEqual({ data: { refresh: true } });
  });
});
