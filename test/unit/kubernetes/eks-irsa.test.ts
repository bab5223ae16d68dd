import { describe, expect, it } from 'vitest';
import { eksIrsa } from '../../../src/analyzers/cross-provider/eks-irsa.js';
import type { InventoryNode, InventoryRelationship } from '../../../src/model/inventory.js';
import type { CrossProviderUnion } from '../../../src/pipeline/cross-provider.js';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC123';
const ROLE = 'arn:aws:iam::111122223333:role/orders-reader';

function union(subject: string, extra: InventoryNode[] = []): CrossProviderUnion {
  const nodes: InventoryNode[] = [
    { id: 'k8s:prod', kind: 'K8sCluster', properties: { name: 'prod', oidcIssuer: `https://${ISSUER}` } },
    {
      id: 'k8s:prod:orders:sa:api',
      kind: 'K8sServiceAccount',
      properties: { name: 'api', annotations: [`eks.amazonaws.com/role-arn=${ROLE}`] },
    },
    { id: 'k8s:prod:orders:sa:worker', kind: 'K8sServiceAccount', properties: { name: 'worker' } },
    {
      id: 'k8s:prod:billing:sa:api',
      kind: 'K8sServiceAccount',
      properties: { name: 'api', annotations: [`eks.amazonaws.com/role-arn=${ROLE}`] },
    },
    { id: 'k8s:staging:orders:sa:api', kind: 'K8sServiceAccount', properties: { name: 'api' } },
    {
      id: `oidc:${ISSUER}:${subject}`,
      kind: 'OidcSubject',
      properties: { issuer: `https://${ISSUER}`, subject },
    },
    ...extra,
  ];
  const trust: InventoryRelationship = {
    type: 'FEDERATES_TO',
    from: `oidc:${ISSUER}:${subject}`,
    to: ROLE,
    properties: {},
    evidence: [
      {
        source: 'trust-policy',
        ref: `${ROLE}/trust`,
        statement: '#0',
        reason: 'trust policy admits the subject',
      },
    ],
  };
  return { providers: ['aws', 'kubernetes'], nodes, relationships: [trust], dataOf: () => undefined };
}

describe('EKS IRSA (cross-provider)', () => {
  it('gives the exact service account of the issuing cluster an edge to the role, with the trust as evidence', () => {
    const out = eksIrsa.derive(union('system:serviceaccount:orders:api'));
    expect(out.edges.map((e) => [e.from, e.to])).toEqual([['k8s:prod:orders:sa:api', ROLE]]);
    expect(out.edges[0]?.evidence?.[0]?.ref).toBe(`${ROLE}/trust`);
    expect(out.edges[0]?.properties).toEqual({});
    // billing/api asks for the role through its annotation, but the trust does not admit it.
    expect(out.issues?.map((i) => i.object)).toEqual(['k8s:prod:billing:sa:api']);
  });

  it('a wildcard subject admits every matching account and is kept on the edge', () => {
    const out = eksIrsa.derive(union('system:serviceaccount:orders:*'));
    expect(out.edges.map((e) => e.from).sort()).toEqual([
      'k8s:prod:orders:sa:api',
      'k8s:prod:orders:sa:worker',
    ]);
    expect(out.edges[0]?.properties).toEqual({ subjectPattern: 'system:serviceaccount:orders:*' });
  });

  it('gives nothing to another cluster, or when the cluster issuer is unknown', () => {
    const other = union('system:serviceaccount:orders:api');
    const noIssuer = {
      ...other,
      nodes: other.nodes.map((n) => (n.kind === 'K8sCluster' ? { ...n, properties: { name: 'prod' } } : n)),
    };
    expect(eksIrsa.derive(noIssuer).edges).toEqual([]);
  });
});
