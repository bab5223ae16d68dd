import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterOf, matchesFilter, parseNodeSelector } from '../../../src/answers/filters.js';
import type { InventoryNode, InventoryRelationship } from '../../../src/model/inventory.js';
import { parseCodeOwners } from '../../../src/owners/codeowners.js';
import { OwnersFileSchema } from '../../../src/owners/owners-file.js';
import {
  globMatch,
  NOT_OWNED,
  type OwnerSources,
  parseOwnerCandidates,
  resolveOwners,
} from '../../../src/owners/resolve.js';
import { packageRoot } from '../../../src/package-root.js';

const role = (name: string, tags: string[] = [], account = '111111111111'): InventoryNode => ({
  id: `arn:aws:iam::${account}:role/${name}`,
  kind: 'AwsRole',
  scope: `aws:${account}`,
  properties: { name, nonHuman: true, nhiType: 'role', accountId: account, tags },
});
const edge = (type: string, from: string, to: string): InventoryRelationship => ({
  type,
  from,
  to,
  properties: {},
  evidence: [],
});

const ownersFile = (value: unknown) => ({ name: 'owners.yaml', owners: OwnersFileSchema.parse(value) });

function resolve(
  nodes: InventoryNode[],
  sources: OwnerSources = {},
  relationships: InventoryRelationship[] = [],
) {
  const { nodes: out, stats } = resolveOwners({ nodes, relationships }, sources);
  return { byId: new Map(out.map((n) => [n.id, n.properties])), stats };
}

describe('owner resolution order', () => {
  const file = ownersFile({
    owners: {
      payments: { contacts: ['payments@example.com'], alert: 'payments-oncall', aliases: ['@acme/payments'] },
      'alice@example.com': {},
    },
    rules: [
      { owner: 'platform', account: '111111111111' },
      { owner: 'payments', id: 'arn:aws:iam::111111111111:role/pay-*' },
      { owner: 'security', tag: { tier: 'sec*' } },
    ],
  });

  it('takes an owners file rule naming the identity before its own tags', () => {
    const { byId } = resolve([role('pay-api', ['owner=web'])], { file });
    const p = byId.get('arn:aws:iam::111111111111:role/pay-api');
    expect(p).toMatchObject({
      owner: 'payments',
      ownerType: 'team',
      ownerConfidence: 'high',
      ownerSource: 'owners file owners.yaml rule 2 (id arn:aws:iam::111111111111:role/pay-*)',
      ownerContacts: ['payments@example.com'],
      ownerAlertRoute: 'payments-oncall',
      ownerConflict: true,
    });
    // Every source is kept, in the order tried: the conflict is shown, not hidden.
    expect(parseOwnerCandidates(p?.ownerCandidates).map((c) => [c.owner, c.step])).toEqual([
      ['payments', 'file'],
      ['web', 'tag'],
      ['platform', 'inherited'],
    ]);
  });

  it('takes the identity’s own tags before the owner of its account', () => {
    const { byId } = resolve([role('web-api', ['team=web'])], { file });
    expect(byId.get('arn:aws:iam::111111111111:role/web-api')).toMatchObject({
      owner: 'web',
      ownerSource: 'tag team=web',
      ownerConfidence: 'high',
      // The account's owner is a fallback, not a competing claim.
      ownerConflict: false,
    });
  });

  it('inherits the account’s owner last, with less confidence', () => {
    const { byId } = resolve([role('batch')], { file });
    expect(byId.get('arn:aws:iam::111111111111:role/batch')).toMatchObject({
      owner: 'platform',
      ownerConfidence: 'medium',
      ownerSource: 'owners file owners.yaml rule 1 (account 111111111111)',
      ownerConflict: false,
    });
  });

  it('matches tag rules by pattern and tag keys in the configured order, without case', () => {
    const { byId } = resolve(
      [
        role('auditor', ['Tier=security']),
        role('x', ['cost-center=cc-42', 'Contact=alice@example.com'], '222222222222'),
      ],
      { file },
    );
    expect(byId.get('arn:aws:iam::111111111111:role/auditor')?.owner).toBe('security');
    const x = byId.get('arn:aws:iam::222222222222:role/x');
    // contact (medium) comes before cost-center (low) in the default keys; an email is a person.
    expect(x).toMatchObject({ owner: 'alice@example.com', ownerType: 'person', ownerConfidence: 'medium' });
    expect(parseOwnerCandidates(x?.ownerCandidates).map((c) => [c.owner, c.confidence])).toEqual([
      ['alice@example.com', 'medium'],
      ['cc-42', 'low'],
    ]);
  });

  it('uses configured keys only', () => {
    const { byId } = resolve([role('x', ['owner=web', 'squad=blue'])], {
      keys: [{ key: 'squad', confidence: 'high' }],
    });
    expect(byId.get('arn:aws:iam::111111111111:role/x')).toMatchObject({
      owner: 'blue',
      ownerSource: 'tag squad=blue',
    });
  });

  it('maps aliases to the declared owner', () => {
    const { byId } = resolve([role('y', ['team=@ACME/payments'])], { file });
    expect(byId.get('arn:aws:iam::111111111111:role/y')).toMatchObject({
      owner: 'payments',
      ownerType: 'team',
    });
  });

  it('leaves unowned identities without owner properties and counts them', () => {
    const stale = role('z');
    stale.properties.owner = 'left-over';
    const { byId, stats } = resolve([
      stale,
      {
        id: 'aws:service:lambda.amazonaws.com',
        kind: 'AwsServicePrincipal',
        properties: { name: 'lambda', nonHuman: true },
      },
    ]);
    expect(byId.get('arn:aws:iam::111111111111:role/z')?.owner).toBeUndefined();
    expect(byId.get('aws:service:lambda.amazonaws.com')?.owner).toBeUndefined();
    expect(stats).toEqual({ identities: 1, owned: 0, unowned: 1, conflicts: 0 });
  });
});

describe('Kubernetes and GCP', () => {
  const sa: InventoryNode = {
    id: 'k8s:prod:payments:sa:api',
    kind: 'K8sServiceAccount',
    scope: 'k8s:prod',
    properties: {
      name: 'api',
      namespace: 'payments',
      nonHuman: true,
      nhiType: 'service-account',
      labels: [],
      annotations: [],
    },
  };
  const deployment: InventoryNode = {
    id: 'k8s:prod:payments:deployment:api',
    kind: 'K8sWorkload',
    scope: 'k8s:prod',
    properties: {
      name: 'api',
      namespace: 'payments',
      workloadKind: 'Deployment',
      nonHuman: true,
      nhiType: 'workload',
      labels: ['team=checkout'],
    },
  };
  const pod: InventoryNode = {
    id: 'k8s:prod:payments:pod:api-1',
    kind: 'K8sPod',
    scope: 'k8s:prod',
    properties: { name: 'api-1', namespace: 'payments', nonHuman: true, nhiType: 'workload', labels: [] },
  };
  const namespace: InventoryNode = {
    id: 'k8s:prod:ns:payments',
    kind: 'K8sNamespace',
    scope: 'k8s:prod',
    properties: { name: 'payments', environment: 'production', labels: [], annotations: ['owner=payments'] },
  };

  it('gives a service account the labels of its workloads, then its namespace’s', () => {
    const { byId } = resolve([sa, deployment, pod, namespace], {}, [
      edge('RUNS_AS', deployment.id, sa.id),
      edge('RUNS_AS', pod.id, sa.id),
      edge('CHILD_OF', pod.id, deployment.id),
    ]);
    expect(byId.get(sa.id)).toMatchObject({
      owner: 'checkout',
      ownerConfidence: 'medium',
      ownerSource: 'label team=checkout on deployment payments/api (runs as it)',
      ownerConflict: true,
    });
    expect(byId.get(pod.id)).toMatchObject({
      owner: 'checkout',
      ownerSource: 'label team=checkout on deployment payments/api (its controller)',
    });
    expect(byId.get(deployment.id)).toMatchObject({ owner: 'checkout', ownerSource: 'label team=checkout' });
  });

  it('takes a namespace rule of the owners file as the namespace owner', () => {
    const file = ownersFile({
      rules: [
        { owner: 'sre', namespace: 'prod/payments' },
        { owner: 'other', namespace: 'dev/payments' },
      ],
    });
    const { byId } = resolve([sa], { file });
    expect(byId.get(sa.id)).toMatchObject({
      owner: 'sre',
      ownerSource: 'owners file owners.yaml rule 1 (namespace prod/payments)',
      ownerConfidence: 'high',
    });
  });

  it('gives a GCP service account its project’s labels', () => {
    const { byId } = resolve([
      {
        id: 'gcp:sa:etl@acme-data.iam.gserviceaccount.com',
        kind: 'GcpServiceAccount',
        scope: 'gcp:project:acme-data',
        properties: { name: 'etl', nonHuman: true, nhiType: 'service-account', projectId: 'acme-data' },
      },
      {
        id: 'gcp:projects/acme-data',
        kind: 'GcpProject',
        properties: { name: 'acme-data', environment: 'production', labels: ['team=data'] },
      },
    ]);
    expect(byId.get('gcp:sa:etl@acme-data.iam.gserviceaccount.com')).toMatchObject({
      owner: 'data',
      ownerSource: 'label team=data on project acme-data',
      ownerConfidence: 'medium',
    });
  });
});

describe('CI identities', () => {
  const subject: InventoryNode = {
    id: 'oidc:token.actions.githubusercontent.com:repo:acme/deploy:ref:refs/heads/main',
    kind: 'OidcSubject',
    properties: {
      name: 'github acme/deploy',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:acme/deploy:ref:refs/heads/main',
      nonHuman: true,
      nhiType: 'ci-pipeline',
    },
  };
  const deployRole = role('ci/gha-deploy');
  const codeowners = new Map([
    [
      'acme/deploy',
      { name: 'CODEOWNERS deploy', codeowners: parseCodeOwners('* @acme/platform\n/docs/ @acme/writers\n') },
    ],
  ]);

  it('maps the repository of a GitHub subject through CODEOWNERS, and the role it federates into', () => {
    const { byId } = resolve([subject, deployRole], { codeowners }, [
      edge('FEDERATES_TO', subject.id, deployRole.id),
    ]);
    expect(byId.get(subject.id)).toMatchObject({
      owner: '@acme/platform',
      ownerType: 'team',
      ownerConfidence: 'medium',
      ownerSource:
        'repository acme/deploy (GitHub OIDC subject repo:acme/deploy:ref:refs/heads/main): CODEOWNERS deploy line 1 (* @acme/platform)',
    });
    expect(byId.get(deployRole.id)).toMatchObject({ owner: '@acme/platform', ownerConfidence: 'medium' });
    expect(String(byId.get(deployRole.id)?.ownerSource)).toContain(', which can act as it');
  });

  it('prefers the owners file’s repository map, and its aliases name CODEOWNERS teams', () => {
    const file = ownersFile({
      owners: { platform: { aliases: ['@acme/platform'] } },
      repositories: { 'acme/deploy': 'release' },
    });
    const { byId } = resolve([subject], { file, codeowners });
    const p = byId.get(subject.id);
    expect(p).toMatchObject({ owner: 'release', ownerConfidence: 'high', ownerConflict: true });
    expect(parseOwnerCandidates(p?.ownerCandidates).map((c) => c.owner)).toEqual(['release', 'platform']);
  });
});

describe('globMatch', () => {
  it('matches * and ? without regular expressions', () => {
    expect(globMatch('arn:aws:iam::*:role/ci-*', 'arn:aws:iam::111111111111:role/ci-deploy')).toBe(true);
    expect(globMatch('a*b*c', 'aXXbYYc')).toBe(true);
    expect(globMatch('a*b*c', 'aXXbYY')).toBe(false);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('abc', 'abcd')).toBe(false);
  });
});

describe('the owner rules and the filter language', () => {
  it('leave out in Cypher exactly the kinds resolution never owns', () => {
    for (const file of ['nhi-without-owner', 'unowned-nhi-reaches-production-or-escalates']) {
      const text = readFileSync(join(packageRoot(), 'cypher', 'findings', `${file}.cypher`), 'utf8');
      const excluded = [...text.matchAll(/NOT s:(\w+)/g)].map((m) => m[1]);
      expect(new Set(excluded), file).toEqual(new Set([...NOT_OWNED].filter((k) => k !== 'Grant')));
    }
  });

  it('select identities by owner and by having one', () => {
    const owned = { id: 'a', labels: ['AwsRole'], properties: { owner: 'payments' } };
    const unowned = { id: 'b', labels: ['AwsRole'], properties: {} };
    const byOwner = parseNodeSelector('owner=payments', '--from');
    expect(byOwner.owners).toEqual(['payments']);
    expect([owned, unowned].filter((n) => matchesFilter(n, byOwner)).map((n) => n.id)).toEqual(['a']);
    const none = parseNodeSelector('owned=false', '--from');
    expect([owned, unowned].filter((n) => matchesFilter(n, none)).map((n) => n.id)).toEqual(['b']);
    expect(filterOf({ owner: ['data'], owned: true })).toMatchObject({ owners: ['data'], owned: true });
  });
});
